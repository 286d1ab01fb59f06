import type { RuleInfo } from '../engine/findings';
import type { Report, ReportFinding, ScanResult } from '../results/scan-result';
import type { Reporter } from './reporter';
import { baselineLine } from './text';

/** Findings listed per rule and status; the rest are counted ("and N more"), so a huge scan stays readable. */
export const MAX_LISTED_PER_RULE = 20;
/** Longest message or resource shown in a cell; longer text is cut with an ellipsis. */
export const MAX_CELL_LENGTH = 500;

/**
 * Compact Markdown (GitHub flavoured) for pull-request comments and step summaries: the counts,
 * failing findings grouped by rule with the fix folded, then unknown and waived findings in short
 * tables. Every piece of text from the input is escaped: it can neither break a table nor add HTML.
 */
export const markdownReporter: Reporter = {
  render(result: ScanResult): string {
    const { report } = result;
    const rulesById = new Map(result.rules.map((rule) => [rule.id, rule]));
    const { fail, unknown, waived, passed, rules } = report.summary;
    const blocks: string[] = [
      `### sescheck: ${fail === 0 ? 'no failing findings' : `${fail} failing ${fail === 1 ? 'finding' : 'findings'}`}`,
      ['| fail | unknown | waived | passed | rules |', '| ---: | ---: | ---: | ---: | ---: |', `| ${fail} | ${unknown} | ${waived} | ${passed} | ${rules} |`].join('\n'),
      `${inline(report.input.kind)} ${code(report.input.path)} · sescheck ${inline(report.tool.version)}`,
    ];

    const failing = report.findings.filter((finding) => finding.status === 'fail');
    if (failing.length > 0) {
      blocks.push('#### Failing findings');
      for (const [ruleId, findings] of byRule(failing)) blocks.push(...failingRule(ruleId, rulesById.get(ruleId), findings));
    }
    const unknowns = report.findings.filter((finding) => finding.status === 'unknown');
    if (unknowns.length > 0) {
      blocks.push(`#### Unknown (${unknowns.length})`, 'A value a rule needs is not known from the input; the check is neither passed nor failed.');
      blocks.push(compactTable(['rule', 'resource', 'why unknown'], unknowns, (finding) => [finding.message]));
    }
    const waivedFindings = report.findings.filter((finding) => finding.status === 'waived');
    if (waivedFindings.length > 0) {
      blocks.push(`#### Waived (${waivedFindings.length})`);
      blocks.push(compactTable(['rule', 'resource', 'waiver'], waivedFindings, (finding) => [finding.waiver ? `until ${finding.waiver.expires}: ${finding.waiver.reason}` : '']));
    }
    if (report.findings.length === 0) blocks.push('No findings.');
    if (report.expired_waivers?.length) {
      blocks.push(
        '#### Expired waivers (no longer applied)',
        report.expired_waivers.map((waiver) => `- **${inline(waiver.rule)}** ${code(waiver.resource)}: expired ${inline(waiver.expires)} (${inline(waiver.reason)})`).join('\n'),
      );
    }
    if (report.baseline) {
      const { resolved } = report.baseline;
      if (resolved.length > 0) {
        blocks.push(`#### Resolved since the baseline (${resolved.length})`);
        blocks.push(compactTable(['rule', 'resource', 'was'], resolved, (finding) => [finding.status]));
      }
      blocks.push(inline(baselineLine(report.baseline)));
    }
    if (hasCappedRule(report)) {
      blocks.push(`<sub>At most ${MAX_LISTED_PER_RULE} findings of each rule are listed per status; the JSON and SARIF reports have them all.</sub>`);
    }
    return `${blocks.join('\n\n')}\n`;
  },
};

function failingRule(ruleId: string, rule: RuleInfo | undefined, findings: ReportFinding[]): string[] {
  const severity = findings[0].severity;
  const heading = `**${inline(ruleId)}** ${inline(rule?.title ?? '')} (${severity}, ${findings.length} ${findings.length === 1 ? 'finding' : 'findings'})`;
  const rows = findings.slice(0, MAX_LISTED_PER_RULE).map((finding) => row([where(finding), finding.region ?? '', clip(finding.message)], [false, true, true]));
  if (findings.length > MAX_LISTED_PER_RULE) rows.push(row([`… and ${findings.length - MAX_LISTED_PER_RULE} more`, '', ''], [true, true, true]));
  const blocks = [heading, ['| resource | region | message |', '| --- | --- | --- |', ...rows].join('\n')];
  const remediation = rule?.remediation.trim() || findings[0].remediation;
  if (remediation) blocks.push(`<details><summary>How to fix ${inline(ruleId)}</summary>\n\n${paragraphs(remediation)}\n\n</details>`);
  return blocks;
}

/** One table for unknown or waived findings: rule, resource, and what the caller says about each. */
function compactTable(header: [string, string, string], findings: ReportFinding[], detail: (finding: ReportFinding) => [string]): string {
  const rows: string[] = [];
  for (const [ruleId, ofRule] of byRule(findings)) {
    for (const finding of ofRule.slice(0, MAX_LISTED_PER_RULE)) {
      rows.push(row([ruleId, where(finding), clip(detail(finding)[0])], [true, false, true]));
    }
    if (ofRule.length > MAX_LISTED_PER_RULE) rows.push(row([ruleId, `… and ${ofRule.length - MAX_LISTED_PER_RULE} more`, ''], [true, true, true]));
  }
  return [`| ${header.join(' | ')} |`, '| --- | --- | --- |', ...rows].join('\n');
}

/** The resource cell: the resource as code, with its stack, file and line, and baseline mark when known. */
function where(finding: ReportFinding): string {
  const parts = [code(clip(finding.resource))];
  if (finding.stack !== undefined) parts.push(`stack ${code(finding.stack)}`);
  if (finding.location) parts.push(`at ${code(finding.location.line !== undefined ? `${finding.location.file}:${finding.location.line}` : finding.location.file)}`);
  if (finding.baseline === 'new') parts.push('**new**');
  return parts.join(' ');
}

/** A table row; `escape[i]` says whether cell i is plain text to escape (else it is Markdown built here). */
function row(cells: string[], escape: boolean[]): string {
  return `| ${cells.map((cell, index) => (escape[index] ? inline(cell) : cell)).join(' | ')} |`;
}

function byRule(findings: ReportFinding[]): Map<string, ReportFinding[]> {
  const groups = new Map<string, ReportFinding[]>();
  for (const finding of findings) groups.set(finding.rule_id, [...(groups.get(finding.rule_id) ?? []), finding]);
  return groups;
}

function hasCappedRule(report: Report): boolean {
  const counts = new Map<string, number>();
  for (const finding of report.findings) {
    const key = `${finding.status} ${finding.rule_id}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.values()].some((count) => count > MAX_LISTED_PER_RULE);
}

/** Remediation text is hard-wrapped in the rules' METADATA: each paragraph re-flowed to one line. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => inline(paragraph))
    .filter(Boolean)
    .map((paragraph) => paragraph.replace(/^([#>+=-]|\d+[.)])/, '\\$1'))
    .join('\n\n');
}

function clip(text: string): string {
  return text.length > MAX_CELL_LENGTH ? `${text.slice(0, MAX_CELL_LENGTH - 1)}…` : text;
}

/**
 * Plain text as inline Markdown: one line; Markdown punctuation backslash-escaped (`|` included, so
 * a table cell stays one cell); `&`, `<` and `>` as entities, so no HTML or autolink gets through.
 */
export function inline(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*[\]|~]/g, '\\$&')
    // An underscore between letters or digits never starts emphasis in GFM (snake_case stays readable).
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .trim();
}

/**
 * Text in monospace: an HTML code element around escaped text rather than a backtick span,
 * because GFM splits table cells on `|` even inside backticks, where no escape can be undone.
 */
export function code(text: string): string {
  return `<code>${inline(text)}</code>`;
}
