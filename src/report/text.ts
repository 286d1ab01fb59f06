import type { Severity } from '../engine/settings';
import { SEVERITIES, type AccountSummary, type BaselineComparison, type Report, type ReportFinding, type ScanResult } from '../results/scan-result';
import type { RenderContext, Reporter } from './reporter';

const STATUS_LABEL = { fail: 'FAIL', unknown: 'UNKNOWN', waived: 'WAIVED' } as const;
/** Message lines start after the status column. */
const STATUS_INDENT = 4;
const MESSAGE_INDENT = 13;

type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'cyan' | 'magenta' | 'blue' | 'green';
const ANSI: Record<Style, string> = {
  bold: '1', dim: '2', red: '31', green: '32', yellow: '33', blue: '34', magenta: '35', cyan: '36',
};

const SEVERITY_STYLE: Record<Severity, Style[]> = {
  critical: ['bold', 'magenta'],
  high: ['bold', 'red'],
  medium: ['bold', 'yellow'],
  low: ['bold', 'blue'],
  info: ['bold'],
};
const STATUS_STYLE: Record<ReportFinding['status'], Style[]> = { fail: ['red'], unknown: ['yellow'], waived: ['cyan'] };

/** Human-readable report: grouped by severity, then rule; wrapped to the terminal width. */
export const textReporter: Reporter = {
  render(result: ScanResult, context: RenderContext): string {
    const paint = (text: string, styles: Style[]) =>
      context.color && styles.length > 0 ? `\u001b[${styles.map((s) => ANSI[s]).join(';')}m${text}\u001b[0m` : text;
    const width = Math.max(40, context.width);
    const { report } = result;
    const rulesById = new Map(result.rules.map((rule) => [rule.id, rule]));
    const lines: string[] = [paint(`sescheck ${report.tool.version}: ${report.input.kind} ${report.input.path}`, ['bold']), ''];

    for (const severity of SEVERITIES) {
      const findings = report.findings.filter((finding) => finding.severity === severity);
      if (findings.length === 0) continue;
      lines.push(paint(severity.toUpperCase(), SEVERITY_STYLE[severity]));
      for (const ruleId of [...new Set(findings.map((finding) => finding.rule_id))]) {
        const rule = rulesById.get(ruleId);
        lines.push(...wrap(`${paint(ruleId, ['bold'])} ${rule?.title ?? ''}`.trimEnd(), width, 2, 2 + ruleId.length + 1));
        const ofRule = findings.filter((finding) => finding.rule_id === ruleId);
        for (const finding of ofRule) lines.push(...renderFinding(finding, width, paint));
        const remediation = rule?.remediation.trim() || ofRule[0].remediation;
        // Remediation text is hard-wrapped in the rule's METADATA: re-flow each paragraph.
        remediation
          .split(/\n\s*\n/)
          .filter((paragraph) => paragraph.trim())
          .forEach((paragraph, index) => {
            const text = index === 0 ? `Fix: ${paragraph}` : paragraph;
            const indent = STATUS_INDENT + 5;
            lines.push(...wrap(text, width, index === 0 ? STATUS_INDENT : indent, indent).map((l) => paint(l, ['dim'])));
          });
        lines.push('');
      }
    }
    if (report.findings.length === 0) lines.push(paint('No findings.', ['green']), '');

    if (report.expired_waivers?.length) {
      lines.push(paint('Expired waivers (no longer applied):', ['bold', 'yellow']));
      for (const waiver of report.expired_waivers) {
        lines.push(...wrap(`${waiver.rule} ${waiver.resource}: expired ${waiver.expires} (${waiver.reason})`, width, 2, 4));
      }
      lines.push('');
    }
    if (report.baseline) {
      if (report.baseline.resolved.length > 0) {
        lines.push(paint('Resolved since the baseline (gone from this scan):', ['bold', 'green']));
        for (const finding of report.baseline.resolved) lines.push(...wrap(`${finding.rule_id} ${finding.status} ${finding.resource}`, width, 2, 4));
        lines.push('');
      }
      lines.push(paint(baselineLine(report.baseline), ['bold']));
    }
    lines.push(paint(summaryLine(result), ['bold']));
    return `${lines.join('\n')}\n`;
  },
};

function renderFinding(finding: ReportFinding, width: number, paint: (text: string, styles: Style[]) => string): string[] {
  const label = STATUS_LABEL[finding.status];
  const where = [
    finding.region ? `(${finding.region})` : '',
    finding.stack !== undefined ? `[stack ${finding.stack}]` : '',
    finding.baseline !== undefined ? paint(`[${finding.baseline}]`, finding.baseline === 'new' ? ['bold'] : ['dim']) : '',
  ]
    .filter(Boolean)
    .join(' ');
  const head = wrap(`${finding.resource} ${where}`.trimEnd(), width, MESSAGE_INDENT, MESSAGE_INDENT);
  head[0] = `${' '.repeat(STATUS_INDENT)}${paint(label, STATUS_STYLE[finding.status])}${' '.repeat(MESSAGE_INDENT - STATUS_INDENT - label.length)}${head[0].trimStart()}`;
  const lines = [...head, ...wrap(finding.message, width, MESSAGE_INDENT, MESSAGE_INDENT)];
  if (finding.location) {
    const at = finding.location.line !== undefined ? `${finding.location.file}:${finding.location.line}` : finding.location.file;
    lines.push(...wrap(`at ${at}`, width, MESSAGE_INDENT, MESSAGE_INDENT).map((l) => paint(l, ['dim'])));
  }
  if (finding.waiver) {
    lines.push(...wrap(`waived until ${finding.waiver.expires}: ${finding.waiver.reason}`, width, MESSAGE_INDENT, MESSAGE_INDENT).map((l) => paint(l, ['cyan'])));
  }
  return lines;
}

/** The one-line summary at the end of the text report (and on stderr for the other formats). */
export function summaryLine({ report }: Pick<ScanResult, 'report'>): string {
  const { rules, passed, fail, unknown, waived } = report.summary;
  return `${rules} ${rules === 1 ? 'rule' : 'rules'}: ${passed} passed, ${fail} failed, ${unknown} unknown, ${waived} waived`;
}

/** How the findings compare with the --baseline, in one line (the text report and stderr). */
export function baselineLine(comparison: BaselineComparison): string {
  return `against baseline ${comparison.file}: ${comparison.new} new, ${comparison.unchanged} unchanged, ${comparison.resolved.length} resolved`;
}

/** Against a baseline, the comparison and then each new and resolved finding, one line each (stderr, for logs that keep it but not the report). */
export function comparisonLines(report: Pick<Report, 'findings' | 'baseline'>): string[] {
  if (!report.baseline) return [];
  return [
    `sescheck: ${baselineLine(report.baseline)}`,
    ...report.findings.filter((f) => f.baseline === 'new').map((finding) => `  new       ${finding.rule_id} ${finding.status} ${finding.resource}`),
    ...report.baseline.resolved.map((finding) => `  resolved  ${finding.rule_id} ${finding.status} ${finding.resource}`),
  ];
}

/** A scan of several accounts, one line per account (on stderr), the accounts not scanned called out. */
export function accountLines(summaries: readonly AccountSummary[]): string[] {
  const scanned = summaries.filter((s) => !s.notScanned).length;
  const lines = [`${summaries.length} account(s): ${scanned} scanned, ${summaries.length - scanned} not scanned`];
  for (const s of summaries) {
    const counts = `${s.fail} fail, ${s.unknown} unknown, ${s.waived} waived`;
    lines.push(s.notScanned ? `  ${s.account}  NOT SCANNED, every check unknown (${counts}): ${s.notScanned}` : `  ${s.account}  ${counts}; ${s.faults} failed call(s)`);
  }
  return lines;
}

/**
 * Greedy word wrap: the first line indented by `first`, the others by `rest`; a word longer
 * than a line (an ARN) is cut, so nothing runs past `width`. ANSI codes count as zero width.
 */
export function wrap(text: string, width: number, first: number, rest: number): string[] {
  const lines: string[] = [];
  let line = '';
  let indent = first;
  const flush = () => {
    lines.push(`${' '.repeat(indent)}${line}`);
    line = '';
    indent = rest;
  };
  for (let word of text.split(/\s+/).filter(Boolean)) {
    if (line && visible(line) + 1 + visible(word) > width - indent) flush();
    while (line === '' && visible(word) > width - indent) {
      const room = width - indent;
      line = word.slice(0, room);
      word = word.slice(room);
      flush();
    }
    if (!word) continue;
    line = line ? `${line} ${word}` : word;
  }
  if (line || lines.length === 0) flush();
  return lines;
}

function visible(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

