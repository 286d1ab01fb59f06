import type { CheckedTarget, Evaluation, Finding, FindingStatus, RuleInfo } from '../engine/findings';
import type { Severity, Waiver } from '../engine/settings';
import { applyWaivers } from '../engine/waivers';
import type { InputKind } from '../posture/types';

/** Most severe first: the order of the text report and of the findings in every format. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** One finding in the JSON report: the documented, stable shape (docs/cli.md). */
export interface ReportFinding {
  rule_id: string;
  severity: Severity;
  status: FindingStatus;
  resource: string;
  region: string | null;
  message: string;
  remediation: string;
  location?: { file: string; line?: number };
  waiver?: { reason: string; expires: string };
  /** The cdktf stack the finding comes from (an addition for inputs with several stacks). */
  stack?: string;
  /** The AWS account of the resource, when the input names it (live scans; an addition). */
  account?: string;
  /** Against --baseline: whether the previous report had this finding (docs/live.md). */
  baseline?: BaselineMark;
}

export type BaselineMark = 'new' | 'unchanged';

/** Against --baseline: the counts of marked findings, and the previous report's findings that are gone. */
export interface BaselineComparison {
  file: string;
  new: number;
  unchanged: number;
  resolved: ReportFinding[];
}

export interface ReportSummary {
  /** Rules evaluated (after --rule/--skip-rule). */
  rules: number;
  /** Checked targets with no finding of the rule that checked them. */
  passed: number;
  fail: number;
  unknown: number;
  waived: number;
}

/** The JSON report (version 1). Every other format is rendered from it. */
export interface Report {
  version: 1;
  tool: { name: 'sescheck'; version: string };
  input: { kind: InputKind; path: string };
  findings: ReportFinding[];
  summary: ReportSummary;
  /** Waivers past their expiry date, which no longer apply (present only when there are some). */
  expired_waivers?: Waiver[];
  /** Present only when compared with a --baseline. */
  baseline?: BaselineComparison;
}

/** Something a rule judged, for the formats that list passes too (JUnit). */
export interface ReportTarget {
  rule_id: string;
  resource: string;
  region: string | null;
  location?: { file: string; line?: number };
  stack?: string;
}

/** The report with what the formats need besides it: the rules' facts and every checked target. */
export interface ScanResult {
  report: Report;
  /** The evaluated rules, sorted by id. */
  rules: RuleInfo[];
  checked: ReportTarget[];
  /** The file each stack was read from (cdktf.out/stacks/NAME/cdk.tf.json), for SARIF locations. */
  stackFiles: Record<string, string>;
}

/** One evaluated posture; `stack` is set for the stacks of a cdktf.out, `file` is what it was read from. */
export interface StackEvaluation {
  evaluation: Evaluation;
  stack?: string;
  file?: string;
}

export interface BuildOptions {
  input: Report['input'];
  toolVersion: string;
  /** The rule catalog (severities as the settings override them). */
  catalog: RuleInfo[];
  /** The rules to report; findings and targets of other rules are left out. */
  ruleIds: ReadonlySet<string>;
  waivers: Waiver[];
  now: Date;
}

/** Merges evaluations into one report: rule filters, waivers, deterministic order, summary. */
export function buildReport(evaluations: StackEvaluation[], options: BuildOptions): ScanResult {
  const selected = (item: { rule_id: string }) => options.ruleIds.has(item.rule_id);
  const rawFindings = evaluations.flatMap(({ evaluation, stack }) =>
    evaluation.findings.filter(selected).map((finding) => ({ ...finding, stack })),
  );
  const { findings, expired } = applyWaivers(rawFindings, options.waivers, options.now);
  const reportFindings = findings.map(toReportFinding).sort(compareFindings);

  const checked = dedupe(
    evaluations.flatMap(({ evaluation, stack }) => evaluation.checked.filter(selected).map((target) => toTarget(target, stack))),
  ).sort(compareTargets);
  const judged = new Set(reportFindings.map((finding) => targetKey(finding)));
  const rules = options.catalog.filter((rule) => options.ruleIds.has(rule.id));

  const report: Report = {
    version: 1,
    tool: { name: 'sescheck', version: options.toolVersion },
    input: options.input,
    findings: reportFindings,
    summary: {
      rules: rules.length,
      passed: checked.filter((target) => !judged.has(targetKey(target))).length,
      fail: count(reportFindings, 'fail'),
      unknown: count(reportFindings, 'unknown'),
      waived: count(reportFindings, 'waived'),
    },
  };
  if (expired.length > 0) report.expired_waivers = expired.map(({ rule, resource, reason, expires }) => ({ rule, resource, reason, expires }));
  const stackFiles: Record<string, string> = {};
  for (const { stack, file } of evaluations) if (stack !== undefined && file !== undefined) stackFiles[stack] = file;
  return { report, rules, checked, stackFiles };
}

/** Whether the report fails the run: a failing finding at or above `failOn` (and unknowns when asked). */
export function failsThreshold(report: Report, failOn: Severity | 'none', failOnUnknown: boolean): boolean {
  if (failOn === 'none') return false;
  const limit = SEVERITIES.indexOf(failOn);
  return report.findings.some(
    (finding) =>
      (finding.status === 'fail' || (failOnUnknown && finding.status === 'unknown')) && SEVERITIES.indexOf(finding.severity) <= limit,
  );
}

/** Identifies what a finding or target is about: rule, resource and stack. */
export function targetKey(item: { rule_id: string; resource: string; stack?: string }): string {
  return JSON.stringify([item.rule_id, item.resource, item.stack ?? null]);
}

function toReportFinding(finding: Finding & { stack?: string }): ReportFinding {
  const out: ReportFinding = {
    rule_id: finding.rule_id,
    severity: finding.severity,
    status: finding.status,
    resource: finding.resource,
    region: finding.region,
    message: finding.message,
    remediation: finding.remediation.trim(),
  };
  const location = toLocation(finding.location);
  if (location) out.location = location;
  if (finding.waiver) out.waiver = finding.waiver;
  if (finding.stack !== undefined) out.stack = finding.stack;
  if (finding.account) out.account = finding.account;
  return out;
}

function toTarget(target: CheckedTarget, stack: string | undefined): ReportTarget {
  const out: ReportTarget = { rule_id: target.rule_id, resource: target.resource, region: target.region };
  const location = toLocation(target.location);
  if (location) out.location = location;
  if (stack !== undefined) out.stack = stack;
  return out;
}

function toLocation(location: Finding['location']): ReportFinding['location'] {
  if (!location?.file) return undefined;
  return typeof location.line === 'number' ? { file: location.file, line: location.line } : { file: location.file };
}

function dedupe(targets: ReportTarget[]): ReportTarget[] {
  const seen = new Map<string, ReportTarget>();
  for (const target of targets) if (!seen.has(targetKey(target))) seen.set(targetKey(target), target);
  return [...seen.values()];
}

function count(findings: ReportFinding[], status: FindingStatus): number {
  return findings.filter((finding) => finding.status === status).length;
}

const STATUS_ORDER: FindingStatus[] = ['fail', 'unknown', 'waived'];

function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    compareText(a.rule_id, b.rule_id) ||
    compareText(a.resource, b.resource) ||
    compareText(a.stack ?? '', b.stack ?? '') ||
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    compareText(a.message, b.message)
  );
}

function compareTargets(a: ReportTarget, b: ReportTarget): number {
  return compareText(a.rule_id, b.rule_id) || compareText(a.resource, b.resource) || compareText(a.stack ?? '', b.stack ?? '');
}

/** Code-point order, so the order does not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
