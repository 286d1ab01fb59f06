import type { Location } from '../posture/types';
import type { Severity } from './settings';

export type FindingStatus = 'fail' | 'unknown' | 'waived';

/** One finding as the rules produce it (status fail or unknown); the results stage may turn fail into waived. */
export interface Finding {
  rule_id: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  resource: string;
  region: string | null;
  account: string | null;
  message: string;
  remediation: string;
  location: Location | null;
  waiver?: { reason: string; expires: string };
}

/** A rule's facts, from its METADATA annotations in the built bundle. */
export interface RuleInfo {
  id: string;
  /** The rule's package group: `cloudtrail` for data.sescheck.rules.cloudtrail.ct_001 (policies/rules/cloudtrail/). */
  group: string;
  title: string;
  description: string;
  severity: Severity;
  remediation: string;
  links: string[];
}

/** Something a rule judged: passes are the checked targets without a finding of that rule. */
export interface CheckedTarget {
  rule_id: string;
  resource: string;
  region: string | null;
  account: string | null;
  location: Location | null;
}

/** What the rules found in one posture document (the catalog is read once, apart: PolicyEngine.catalog). */
export interface Evaluation {
  findings: Finding[];
  checked: CheckedTarget[];
}
