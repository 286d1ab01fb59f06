import type { CheckedTarget, Evaluation, Finding, FindingStatus, RuleInfo } from '../engine/findings';
import type { Waiver } from '../engine/settings';
import type { Posture } from '../posture/types';
import { compareText } from '../text-order';
import { summarizeAccounts } from './accounts';
import { compareWithBaseline, newFindingsFail, type Baseline } from './baseline';
import { EXIT_FINDINGS, EXIT_OK, SEVERITIES, type Report, type ReportFinding, type ReportTarget, type ScanResult, type Threshold } from './scan-result';
import { failsThreshold } from './threshold';
import { applyWaivers } from './waivers';

/** One posture document and what the engine made of it. */
export interface EvaluatedPosture {
  posture: Posture;
  evaluation: Evaluation;
}

/** The CLI's defaults: any failing finding fails the run, unknown ones do not. */
export const DEFAULT_THRESHOLD: Threshold = { failOn: 'low', failOnUnknown: false, failOnNew: false };

export interface ResultOptions {
  input: Report['input'];
  toolVersion: string;
  /** The rule catalog (severities as the settings override them). */
  catalog: RuleInfo[];
  /** The rules to report; findings and targets of other rules are left out. */
  ruleIds: ReadonlySet<string>;
  waivers: Waiver[];
  /** The day waivers are judged against. */
  now: Date;
  /** A previous report: findings are marked new or unchanged, the gone ones listed as resolved. */
  baseline?: Baseline;
  /** Default DEFAULT_THRESHOLD. */
  threshold?: Threshold;
  /** Summarize each posture's account (a scan of several accounts). */
  perAccount?: boolean;
}

/**
 * The results stage: merges evaluations (one per cdktf stack, or one per plan or account) into one
 * scan result. Rule selection, waivers, deterministic order, counts, baseline marks, exit code.
 */
export function buildScanResult(evaluated: EvaluatedPosture[], options: ResultOptions): ScanResult {
  const selected = (item: { rule_id: string }) => options.ruleIds.has(item.rule_id);
  const rawFindings = evaluated.flatMap(({ evaluation, posture }) =>
    evaluation.findings.filter(selected).map((finding) => ({ ...finding, stack: posture.source.stack })),
  );
  const { findings, expired } = applyWaivers(rawFindings, options.waivers, options.now);
  const reportFindings = findings.map(toReportFinding).sort(compareFindings);

  const checked = checkedTargets(evaluated, options.ruleIds).sort(compareTargets);
  const judged = new TargetSet();
  for (const finding of reportFindings) judged.add(finding);
  const rules = options.catalog.filter((rule) => options.ruleIds.has(rule.id));

  let report: Report = {
    version: 1,
    tool: { name: 'sescheck', version: options.toolVersion },
    input: options.input,
    findings: reportFindings,
    summary: {
      rules: rules.length,
      passed: checked.filter((target) => !judged.has(target)).length,
      fail: count(reportFindings, 'fail'),
      unknown: count(reportFindings, 'unknown'),
      waived: count(reportFindings, 'waived'),
    },
  };
  if (expired.length > 0) report.expired_waivers = expired.map(({ rule, resource, reason, expires }) => ({ rule, resource, reason, expires }));

  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  let fails: boolean;
  if (options.baseline) {
    const compared = compareWithBaseline(report, options.baseline.report, options.baseline.file);
    report = compared;
    fails = threshold.failOnNew ? newFindingsFail(compared, threshold.failOn, threshold.failOnUnknown) : failsThreshold(compared, threshold.failOn, threshold.failOnUnknown);
  } else {
    fails = failsThreshold(report, threshold.failOn, threshold.failOnUnknown);
  }

  const stackFiles: Record<string, string> = {};
  for (const { posture } of evaluated) if (posture.source.stack !== undefined) stackFiles[posture.source.stack] = posture.source.path;
  const result: ScanResult = { report, rules, checked, stackFiles, exitCode: fails ? EXIT_FINDINGS : EXIT_OK };
  if (options.perAccount) result.accounts = summarizeAccounts(evaluated.map(({ posture }) => posture), report.findings);
  return result;
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

/** The selected rules' checked targets of every evaluation, each rule, resource and stack once. */
function checkedTargets(evaluated: EvaluatedPosture[], ruleIds: ReadonlySet<string>): ReportTarget[] {
  const seen = new TargetSet();
  const targets: ReportTarget[] = [];
  for (const { evaluation, posture } of evaluated) {
    for (const target of evaluation.checked) {
      if (!ruleIds.has(target.rule_id)) continue;
      const out = toTarget(target, posture.source.stack);
      if (seen.add(out)) targets.push(out);
    }
  }
  return targets;
}

/**
 * Rule, resource and stack triples (as targetKey tells them apart), in maps by each: no key string
 * is built for each of the thousands of checked targets of a large plan.
 */
class TargetSet {
  private readonly byRule = new Map<string, Map<string, Set<string | undefined>>>();

  /** Adds the item's target; false when it was there. */
  add(item: { rule_id: string; resource: string; stack?: string }): boolean {
    let byResource = this.byRule.get(item.rule_id);
    if (byResource === undefined) this.byRule.set(item.rule_id, (byResource = new Map()));
    let stacks = byResource.get(item.resource);
    if (stacks === undefined) byResource.set(item.resource, (stacks = new Set()));
    if (stacks.has(item.stack)) return false;
    stacks.add(item.stack);
    return true;
  }

  has(item: { rule_id: string; resource: string; stack?: string }): boolean {
    return this.byRule.get(item.rule_id)?.get(item.resource)?.has(item.stack) ?? false;
  }
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
