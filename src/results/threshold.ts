import type { Report, ReportFinding, FailOn } from './scan-result';
import { SEVERITIES } from './scan-result';

/**
 * Whether this finding fails the run: a failing finding at or above `failOn`, an unknown one only
 * with `failOnUnknown` (by default an undecided check never fails the run); a waived one never.
 */
export function failsRun(finding: Pick<ReportFinding, 'status' | 'severity'>, failOn: FailOn, failOnUnknown: boolean): boolean {
  if (failOn === 'none') return false;
  const counts = finding.status === 'fail' || (failOnUnknown && finding.status === 'unknown');
  return counts && SEVERITIES.indexOf(finding.severity) <= SEVERITIES.indexOf(failOn);
}

/** Whether the report fails the run: a finding that does (failsRun). */
export function failsThreshold(report: Pick<Report, 'findings'>, failOn: FailOn, failOnUnknown: boolean): boolean {
  return report.findings.some((finding) => failsRun(finding, failOn, failOnUnknown));
}
