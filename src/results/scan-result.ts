import type { FindingStatus, RuleInfo } from '../engine/findings';
import type { Severity, Waiver } from '../engine/settings';
import type { InputKind } from '../posture/types';

/** Most severe first: the order of the text report and of the findings in every format. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** The lowest severity of a failing finding that fails the run; `none` never does. */
export const FAIL_ON = [...SEVERITIES, 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** No finding at or above the threshold. */
export const EXIT_OK = 0;
/** A finding at or above the threshold (--fail-on, --fail-on-unknown, --fail-on-new). */
export const EXIT_FINDINGS = 1;

/** What makes a scan fail: the exit-code threshold. */
export interface Threshold {
  failOn: FailOn;
  /** Unknown findings at or above failOn count too; by default an unknown never fails the run. */
  failOnUnknown: boolean;
  /** With a baseline, only the findings it did not have count (--fail-on-new). */
  failOnNew: boolean;
}

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

/** The JSON report (version 1): the findings and counts of a scan result, which every format renders. */
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

/** What a scan of several accounts says about each: its findings, and the calls that failed. */
export interface AccountSummary {
  account: string;
  fail: number;
  unknown: number;
  waived: number;
  /** Calls that failed (denied, region not enabled, throttled...): each left something unknown. */
  faults: number;
  /** Why the account could not be read at all (its role could not be assumed or used). */
  notScanned?: string;
}

/**
 * The outcome of a scan, between the engine and the reporters: the selected rules' findings with
 * waivers applied and baseline marks, the counts, the exit code. Reporters only render it.
 */
export interface ScanResult {
  report: Report;
  /** The evaluated rules, sorted by id. */
  rules: RuleInfo[];
  checked: ReportTarget[];
  /** The file each stack was read from (cdktf.out/stacks/NAME/cdk.tf.json), for SARIF locations. */
  stackFiles: Record<string, string>;
  /** EXIT_FINDINGS when a finding reaches the threshold, else EXIT_OK. */
  exitCode: typeof EXIT_OK | typeof EXIT_FINDINGS;
  /** One summary per account, in the order scanned (a scan of several accounts). */
  accounts?: AccountSummary[];
}

/** Identifies what a finding or target is about: rule, resource and stack. */
export function targetKey(item: { rule_id: string; resource: string; stack?: string }): string {
  return JSON.stringify([item.rule_id, item.resource, item.stack ?? null]);
}
