import assert from 'node:assert/strict';
import { compareWithBaseline } from '../../src/results/baseline';
import { defaultSettings } from '../../src/engine/settings';
import { MAX_LISTED_PER_RULE, markdownReporter } from '../../src/report/markdown';
import { configurationSet, scan, tlsPosture } from './helpers';

const CONTEXT = { color: false, width: 80, cwd: process.cwd() };
/** The only HTML the report may contain: its own tags, never any from the input. */
const OWN_TAGS = /<\/?(code|sub|details|summary)>/g;

/** Splits a GFM table row into cells as GitHub does: on each `|` not taken by a backslash escape. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === '\\' && index + 1 < line.length) {
      cell += char + line[index + 1];
      index += 1;
    } else if (char === '|') {
      out.push(cell);
      cell = '';
    } else cell += char;
  }
  out.push(cell);
  // The leading and trailing pipes leave an empty first and last piece.
  assert.equal(out[0].trim(), '', `row starts with a pipe: ${line}`);
  assert.equal(out.at(-1)?.trim(), '', `row ends with a pipe: ${line}`);
  return out.slice(1, -1).map((text) => text.trim());
}

/** What a reader sees in a cell: GFM's `\|` unescaped, then Markdown escapes and entities, tags dropped. */
function shown(cell: string): string {
  return cell
    .replace(/\\\|/g, '|')
    .replace(OWN_TAGS, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The tables of a report: each a list of rows (header first), each a list of cells. */
function tables(markdown: string): string[][][] {
  return markdown
    .split('\n\n')
    .filter((block) => block.startsWith('| '))
    .map((block) => block.split('\n').filter((line, index) => index !== 1).map(cells));
}

describe('Markdown report', () => {
  it('leads with the counts, the input and the tool version, then groups failing findings by rule', async () => {
    const result = await scan([tlsPosture()], { rules: ['CS-004'] });
    const markdown = markdownReporter.render(result, CONTEXT);
    assert.match(markdown, /^### sescheck: 2 failing findings\n/);
    const [counts, failing, unknown] = tables(markdown);
    assert.deepEqual(counts, [
      ['fail', 'unknown', 'waived', 'passed', 'rules'],
      ['2', '1', '0', '1', '1'],
    ]);
    assert.match(markdown, /^plan <code>plan\.json<\/code> · sescheck 0\.0\.0-test$/m);
    assert.match(markdown, /^#### Failing findings\n\n\*\*CS-004\*\* Configuration set requires TLS \(medium, 2 findings\)$/m);
    assert.deepEqual(failing.map((row) => row.map(shown)), [
      ['resource', 'region', 'message'],
      ['aws_sesv2_configuration_set.optional', 'eu-west-1', result.report.findings.find((f) => f.resource.endsWith('.optional'))?.message],
      ['aws_sesv2_configuration_set.unset at ses.tf:12', 'eu-west-1', result.report.findings.find((f) => f.resource.endsWith('.unset'))?.message],
    ]);
    // The fix is folded, once per rule.
    assert.match(markdown, /<details><summary>How to fix CS-004<\/summary>\n\nSet delivery_options .*\n\n<\/details>/);
    assert.equal(markdown.match(/<details>/g)?.length, 1);
    assert.match(markdown, /^#### Unknown \(1\)$/m);
    assert.deepEqual(unknown[1].map(shown).slice(0, 2), ['CS-004', 'aws_sesv2_configuration_set.computed']);
    assert.match(shown(unknown[1][2]), /known only after apply/);
    assert.doesNotMatch(markdown, /\.secure/, 'passing checks are counted, not listed');
    assert.doesNotMatch(markdown, /At most/, 'no cap note when nothing is left out');
  });

  it('lists waived findings with reason and expiry, and the expired waivers', async () => {
    const settings = {
      ...defaultSettings(),
      waivers: [
        { rule: 'CS-004', resource: 'aws_sesv2_configuration_set.optional', reason: 'legacy sender until Q3', expires: '2026-12-31' },
        { rule: 'CS-004', resource: 'aws_sesv2_configuration_set.unset', reason: 'old waiver, now expired', expires: '2026-01-31' },
      ],
    };
    const markdown = markdownReporter.render(await scan([tlsPosture()], { rules: ['CS-004'], settings }), CONTEXT);
    assert.match(markdown, /^### sescheck: 1 failing finding\n/);
    assert.match(markdown, /^#### Waived \(1\)$/m);
    const waived = tables(markdown).at(-1) ?? [];
    assert.deepEqual(waived.map((row) => row.map(shown)), [
      ['rule', 'resource', 'waiver'],
      ['CS-004', 'aws_sesv2_configuration_set.optional', 'until 2026-12-31: legacy sender until Q3'],
    ]);
    assert.match(markdown, /^- \*\*CS-004\*\* <code>aws_sesv2_configuration_set\.unset<\/code>: expired 2026-01-31 \(old waiver, now expired\)$/m);
  });

  it(`lists at most ${MAX_LISTED_PER_RULE} findings of a rule per status, counts the rest, and says so`, async () => {
    const posture = tlsPosture();
    posture.configuration_sets = [
      ...Array.from({ length: 50 }, (_, index) => configurationSet(`open${String(index).padStart(2, '0')}`, 'OPTIONAL')),
      ...Array.from({ length: 25 }, (_, index) => configurationSet(`later${String(index).padStart(2, '0')}`, null, { unknown: { tls_policy: 'known only after apply' } })),
    ];
    const markdown = markdownReporter.render(await scan([posture], { rules: ['CS-004'] }), CONTEXT);
    const [counts, failing, unknown] = tables(markdown);
    assert.deepEqual(counts[1], ['50', '25', '0', '0', '1']);
    assert.equal(failing.length, 1 + MAX_LISTED_PER_RULE + 1);
    assert.deepEqual(failing.at(-1)?.map(shown), ['… and 30 more', '', '']);
    assert.equal(unknown.length, 1 + MAX_LISTED_PER_RULE + 1);
    assert.deepEqual(unknown.at(-1)?.map(shown), ['CS-004', '… and 5 more', '']);
    assert.match(markdown, new RegExp(`<sub>At most ${MAX_LISTED_PER_RULE} findings of each rule are listed per status; the JSON and SARIF reports have them all\\.</sub>\n$`));
  });

  it('escapes hostile resource names and messages: no broken table, no HTML from the input', async () => {
    const hostile = 'evil|name `x` <img src=x onerror=alert(1)>\n| injected | row |\\|<!--';
    const posture = tlsPosture();
    posture.configuration_sets = [configurationSet(hostile, 'OPTIONAL', { id: `aws_sesv2_configuration_set.${hostile}` })];
    const result = await scan([posture], { rules: ['CS-004'] });
    const markdown = markdownReporter.render(result, CONTEXT);
    assert.doesNotMatch(markdown.replace(OWN_TAGS, ''), /</, 'every < from the input is an entity');
    const failing = tables(markdown)[1];
    assert.equal(failing.length, 2, 'one header and one finding row: the newline and pipes added no row');
    for (const row of failing) assert.equal(row.length, 3, `three cells: ${row.join(' ¦ ')}`);
    const flat = (text: string) => text.replace(/\s*\n\s*/g, ' ');
    assert.equal(shown(failing[1][0]), flat(`aws_sesv2_configuration_set.${hostile}`));
    assert.equal(shown(failing[1][2]), flat(result.report.findings[0].message));
    assert.ok(result.report.findings[0].message.includes(hostile), 'the rule message carries the hostile name');
    // Backticks cannot open a code span, nor asterisks or underscores emphasis.
    assert.doesNotMatch(markdown.replace(/\\`/g, ''), /`/);
  });

  it('says when there are no findings', async () => {
    const posture = tlsPosture();
    posture.configuration_sets = [posture.configuration_sets[3]];
    const markdown = markdownReporter.render(await scan([posture], { rules: ['CS-004'] }), CONTEXT);
    assert.match(markdown, /^### sescheck: no failing findings\n/);
    assert.match(markdown, /^No findings\.$/m);
    assert.doesNotMatch(markdown, /####/);
  });

  it('names the stack of each finding, and marks new and resolved findings against a baseline', async () => {
    const result = await scan([tlsPosture({ kind: 'config', path: 'cdktf.out', stack: 'prod' })], { rules: ['CS-004'] });
    const gone = { ...result.report.findings[0], rule_id: 'CS-001', resource: 'aws_sesv2_configuration_set.removed', status: 'fail' as const };
    const previous = { ...result.report, findings: [...result.report.findings.filter((f) => f.resource.endsWith('.optional')), gone] };
    result.report = compareWithBaseline(result.report, previous, 'prev.json');
    const markdown = markdownReporter.render(result, CONTEXT);
    const failing = tables(markdown)[1].map((row) => shown(row[0]));
    assert.deepEqual(failing.slice(1), ['aws_sesv2_configuration_set.optional stack prod', 'aws_sesv2_configuration_set.unset stack prod at ses.tf:12 **new**']);
    assert.deepEqual(tables(markdown).at(-1)?.map((row) => row.map(shown)), [
      ['rule', 'resource', 'was'],
      ['CS-001', 'aws_sesv2_configuration_set.removed stack prod', 'fail'],
    ]);
    assert.match(markdown, /^#### Resolved since the baseline \(1\)$/m);
    assert.match(markdown, /^against baseline prev\.json: 2 new, 1 unchanged, 1 resolved$/m);
  });
});
