import assert from 'node:assert/strict';
import { defaultSettings } from '../../src/engine/settings';
import { textReporter, wrap } from '../../src/report/text';
import { scan, tlsPosture } from './helpers';

const PLAIN = { color: false, width: 80, cwd: process.cwd() };
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

describe('text report', () => {
  it('groups findings by severity, then rule, and ends with a one-line summary', async () => {
    const result = await scan([tlsPosture()]);
    const text = textReporter.render(result, PLAIN);
    const lines = text.trimEnd().split('\n');
    const headings = lines.filter((line) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO)$/.test(line));
    const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
    assert.deepEqual(headings, [...headings].sort((a, b) => order.indexOf(a) - order.indexOf(b)), 'most severe first');
    assert.equal(new Set(headings).size, headings.length, 'one heading per severity');
    // Every finding sits under the heading of its severity and its rule's line.
    for (const finding of result.report.findings) {
      const ruleLine = lines.findIndex((line) => line.startsWith(`  ${finding.rule_id} `));
      assert.ok(ruleLine > 0, `${finding.rule_id} has a heading`);
      const heading = lines.slice(0, ruleLine).reverse().find((line) => headings.includes(line));
      assert.equal(heading, finding.severity.toUpperCase());
    }
    const { summary } = result.report;
    assert.equal(lines.at(-1), `${summary.rules} rules: ${summary.passed} passed, ${summary.fail} failed, ${summary.unknown} unknown, ${summary.waived} waived`);
  });

  it('shows the status, resource, message, location and remediation of each finding', async () => {
    const text = textReporter.render(await scan([tlsPosture()], { rules: ['CS-004'] }), PLAIN);
    assert.match(text, /^MEDIUM$/m);
    assert.match(text, /^ {2}CS-004 Configuration set requires TLS$/m);
    assert.match(text, /^ {4}FAIL {5}aws_sesv2_configuration_set\.optional \(eu-west-1\)$/m);
    assert.match(text, /^ {4}UNKNOWN {2}aws_sesv2_configuration_set\.computed/m);
    assert.match(text, /^ {13}at ses\.tf:12$/m);
    assert.match(text, /^ {4}Fix: /m);
    assert.doesNotMatch(text, ANSI, 'no colour when not asked');
    assert.doesNotMatch(text, /secure/, 'passing checks are counted, not listed');
  });

  it('shows waived findings with their reason and expiry, and the expired waivers', async () => {
    const settings = {
      ...defaultSettings(),
      waivers: [
        { rule: 'CS-004', resource: 'aws_sesv2_configuration_set.optional', reason: 'legacy sender until Q3', expires: '2026-12-31' },
        { rule: 'CS-004', resource: 'aws_sesv2_configuration_set.unset', reason: 'old waiver, now expired', expires: '2026-01-31' },
      ],
    };
    const text = textReporter.render(await scan([tlsPosture()], { rules: ['CS-004'], settings }), PLAIN);
    assert.match(text, /^ {4}WAIVED {3}aws_sesv2_configuration_set\.optional/m);
    assert.match(text, /waived until 2026-12-31: legacy sender until Q3/);
    assert.match(text, /Expired waivers \(no longer applied\):\n {2}CS-004 aws_sesv2_configuration_set\.unset: expired 2026-01-31/);
  });

  it('stays within 80 columns, cutting words longer than a line', async () => {
    const posture = tlsPosture();
    posture.configuration_sets[0].id = `module.mail.module.sending.aws_sesv2_configuration_set.${'x'.repeat(90)}`;
    const text = textReporter.render(await scan([posture], { rules: ['CS-004'] }), PLAIN);
    for (const line of text.split('\n')) assert.ok(line.length <= 80, `too long (${line.length}): ${line}`);
    assert.match(text, /x{20}/);
  });

  it('colours only when asked (a TTY without NO_COLOR), and the text is the same without the codes', async () => {
    const result = await scan([tlsPosture()], { rules: ['CS-004'] });
    const coloured = textReporter.render(result, { ...PLAIN, color: true });
    assert.match(coloured, ANSI);
    assert.equal(coloured.replace(ANSI, ''), textReporter.render(result, PLAIN));
  });

  it('says there are no findings when there are none', async () => {
    const posture = tlsPosture();
    posture.configuration_sets = [posture.configuration_sets[3]];
    const text = textReporter.render(await scan([posture], { rules: ['CS-004'] }), PLAIN);
    assert.match(text, /^No findings\.$/m);
    assert.match(text, /1 rule: 1 passed, 0 failed, 0 unknown, 0 waived\n$/);
  });

  it('wraps words greedily with separate first and following indents', () => {
    assert.deepEqual(wrap('aaa bbb ccc ddd', 12, 2, 4), ['  aaa bbb', '    ccc ddd']);
    assert.deepEqual(wrap('abcdefghij', 6, 0, 2), ['abcdef', '  ghij']);
    assert.deepEqual(wrap('', 10, 2, 2), ['  ']);
  });
});
