import assert from 'node:assert/strict';
import { defaultSettings } from '../../src/engine/settings';
import { failsThreshold } from '../../src/results/threshold';
import { scan, tlsPosture } from '../report/helpers';

describe('JSON report (built from real evaluations)', () => {
  it('has exactly the documented shape', async () => {
    const { report } = await scan([tlsPosture()], { rules: ['CS-004'] });
    assert.deepEqual(Object.keys(report), ['version', 'tool', 'input', 'findings', 'summary']);
    assert.equal(report.version, 1);
    assert.deepEqual(report.tool, { name: 'sescheck', version: '0.0.0-test' });
    assert.deepEqual(report.input, { kind: 'plan', path: 'plan.json' });
    assert.deepEqual(Object.keys(report.summary), ['rules', 'passed', 'fail', 'unknown', 'waived']);
    for (const finding of report.findings) {
      assert.deepEqual(
        Object.keys(finding).filter((key) => !['location', 'waiver'].includes(key)),
        ['rule_id', 'severity', 'status', 'resource', 'region', 'message', 'remediation'],
      );
    }
  });

  it('reports each finding with its status, and counts passes as checked targets without a finding', async () => {
    const { report } = await scan([tlsPosture()], { rules: ['CS-004'] });
    assert.deepEqual(
      report.findings.map((f) => [f.resource, f.status]),
      [
        ['aws_sesv2_configuration_set.computed', 'unknown'],
        ['aws_sesv2_configuration_set.optional', 'fail'],
        ['aws_sesv2_configuration_set.unset', 'fail'],
      ],
    );
    assert.deepEqual(report.summary, { rules: 1, passed: 1, fail: 2, unknown: 1, waived: 0 });
    const unset = report.findings.find((f) => f.resource.endsWith('.unset'));
    assert.deepEqual(unset?.location, { file: 'ses.tf', line: 12 });
    assert.equal(report.findings.find((f) => f.resource.endsWith('.optional'))?.location, undefined, 'no location when the input has none');
    assert.match(report.findings[0].message, /known only after apply/);
    assert.match(report.findings[1].remediation, /REQUIRE/);
  });

  it('sorts findings by severity, then rule, then resource, whatever the rules found', async () => {
    const { report } = await scan([tlsPosture()]);
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const keys = report.findings.map((f) => [order.indexOf(f.severity), f.rule_id, f.resource] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    assert.deepEqual(keys, sorted);
    const again = await scan([tlsPosture()]);
    assert.deepEqual(again.report, report, 'two runs give the same report');
  });

  it('leaves out the rules not selected, in findings, passes and the rule count', async () => {
    const all = await scan([tlsPosture()]);
    const none = await scan([tlsPosture()], { rules: [] });
    assert.deepEqual(none.report.findings, []);
    assert.deepEqual(none.report.summary, { rules: 0, passed: 0, fail: 0, unknown: 0, waived: 0 });
    assert.ok(all.report.summary.rules >= 1);
  });

  it('turns waived failures into status waived, lists expired waivers, and never counts waived as failing', async () => {
    const settings = {
      ...defaultSettings(),
      waivers: [
        { rule: 'CS-004', resource: 'aws_sesv2_configuration_set.optional', reason: 'legacy sender until Q3', expires: '2026-12-31' },
        { rule: 'CS-004', resource: 'aws_sesv2_configuration_set.uns?t', reason: 'old waiver, now expired', expires: '2026-01-31' },
        { rule: 'CS-004', resource: '*computed', reason: 'unknowns cannot be waived', expires: '2026-12-31' },
      ],
    };
    const { report } = await scan([tlsPosture()], { rules: ['CS-004'], settings });
    const optional = report.findings.find((f) => f.resource.endsWith('.optional'));
    assert.equal(optional?.status, 'waived');
    assert.deepEqual(optional?.waiver, { reason: 'legacy sender until Q3', expires: '2026-12-31' });
    assert.equal(report.findings.find((f) => f.resource.endsWith('.unset'))?.status, 'fail');
    assert.equal(report.findings.find((f) => f.resource.endsWith('.computed'))?.status, 'unknown');
    assert.deepEqual(report.expired_waivers, [settings.waivers[1]]);
    assert.deepEqual(report.summary, { rules: 1, passed: 1, fail: 1, unknown: 1, waived: 1 });
  });

  it('merges the stacks of a cdktf.out into one report and names each finding\'s stack', async () => {
    const { report, checked } = await scan(
      [tlsPosture({ kind: 'config', path: 'cdktf.out', stack: 'prod' }), tlsPosture({ kind: 'config', path: 'cdktf.out', stack: 'dev' })],
      { rules: ['CS-004'] },
    );
    assert.equal(report.findings.length, 6);
    assert.deepEqual([...new Set(report.findings.map((f) => f.stack))].sort(), ['dev', 'prod']);
    assert.equal(report.summary.passed, 2, 'the secure set of each stack');
    assert.equal(checked.length, 8);
  });

  describe('exit threshold', () => {
    it('fails at or above --fail-on, never for none, and for unknowns only when asked', async () => {
      const { report } = await scan([tlsPosture()], { rules: ['CS-004'] });
      // CS-004 is medium.
      assert.equal(failsThreshold(report, 'low', false), true);
      assert.equal(failsThreshold(report, 'medium', false), true);
      assert.equal(failsThreshold(report, 'high', false), false);
      assert.equal(failsThreshold(report, 'none', false), false);
      const onlyUnknown = { ...report, findings: report.findings.filter((f) => f.status === 'unknown') };
      assert.equal(failsThreshold(onlyUnknown, 'low', false), false);
      assert.equal(failsThreshold(onlyUnknown, 'low', true), true);
      assert.equal(failsThreshold(onlyUnknown, 'high', true), false);
    });

    it('never fails for waived findings', async () => {
      const settings = {
        ...defaultSettings(),
        waivers: [{ rule: 'CS-004', resource: 'aws_sesv2_configuration_set.*', reason: 'all waived for this test', expires: '2099-01-01' }],
      };
      const { report } = await scan([tlsPosture()], { rules: ['CS-004'], settings });
      assert.equal(report.summary.waived, 2);
      assert.equal(failsThreshold(report, 'info', false), false);
    });
  });
});
