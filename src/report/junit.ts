import junit from 'junit-report-builder';
import { targetKey, type ReportFinding, type ReportTarget, type ScanResult } from '../results/scan-result';
import type { Reporter } from './reporter';

/**
 * JUnit XML for CI test reports: one suite per rule, one test case per resource the rule
 * checked (one per finding when it has several), a failure per failing finding, and
 * unknown or waived findings as skipped with the reason in a property and in system-out.
 */
export const junitReporter: Reporter = {
  render(result: ScanResult): string {
    const builder = junit.newBuilder().name(`sescheck ${result.report.input.kind} ${result.report.input.path}`);
    // Grouped once up front: filtering all findings per rule and per target is quadratic (6k findings: 30 s).
    const findingsOf = groupBy(result.report.findings, (finding) => finding.rule_id);
    const targetsOf = groupBy(result.checked, (target) => target.rule_id);
    for (const rule of result.rules) {
      const suite = builder.testSuite().name(`${rule.id} ${rule.title}`);
      suite.property('severity', rule.severity);
      const byTarget = groupBy(findingsOf.get(rule.id) ?? [], targetKey);
      const targets = [...(targetsOf.get(rule.id) ?? [])];
      // A finding about something the rule did not list as checked still gets its test case.
      const known = new Set(targets.map(targetKey));
      for (const [key, [finding]] of byTarget) {
        if (!known.has(key)) {
          known.add(key);
          targets.push({ rule_id: finding.rule_id, resource: finding.resource, region: finding.region, stack: finding.stack, location: finding.location });
        }
      }
      for (const target of targets) {
        const ofTarget = byTarget.get(targetKey(target)) ?? [];
        if (ofTarget.length === 0) {
          testCase(suite.testCase(), rule.id, target);
          continue;
        }
        ofTarget.forEach((finding, index) => {
          const test = testCase(suite.testCase(), rule.id, target, ofTarget.length > 1 ? index + 1 : undefined);
          addOutcome(test, finding);
        });
      }
    }
    return `${builder.build()}\n`;
  },
};

/** Items grouped by key, groups and items in their first-seen order. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

type TestCase = ReturnType<ReturnType<ReturnType<typeof junit.newBuilder>['testSuite']>['testCase']>;

function testCase(test: TestCase, ruleId: string, target: ReportTarget, occurrence?: number): TestCase {
  const stack = target.stack !== undefined ? ` [stack ${target.stack}]` : '';
  const region = target.region ? ` (${target.region})` : '';
  test.className(ruleId).name(`${target.resource}${region}${stack}${occurrence ? ` #${occurrence}` : ''}`);
  if (target.location) test.file(target.location.file);
  return test;
}

function addOutcome(test: TestCase, finding: ReportFinding): void {
  test.property('status', finding.status);
  if (finding.baseline !== undefined) test.property('baseline', finding.baseline);
  if (finding.status === 'fail') {
    test.failure(finding.message, finding.severity);
    test.stacktrace(finding.remediation ? `Remediation: ${finding.remediation}` : undefined);
    return;
  }
  const reason =
    finding.status === 'waived' && finding.waiver
      ? `waived until ${finding.waiver.expires}: ${finding.waiver.reason} (finding: ${finding.message})`
      : `unknown: ${finding.message}`;
  test.skipped().property('reason', reason).standardOutput(reason);
}
