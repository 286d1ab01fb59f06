import junit from 'junit-report-builder';
import type { ReportFinding, ReportTarget, ScanResult } from './report';
import { targetKey } from './report';
import type { Reporter } from './reporter';

/**
 * JUnit XML for CI test reports: one suite per rule, one test case per resource the rule
 * checked (one per finding when it has several), a failure per failing finding, and
 * unknown or waived findings as skipped with the reason in a property and in system-out.
 */
export const junitReporter: Reporter = {
  render(result: ScanResult): string {
    const builder = junit.newBuilder().name(`sescheck ${result.report.input.kind} ${result.report.input.path}`);
    for (const rule of result.rules) {
      const suite = builder.testSuite().name(`${rule.id} ${rule.title}`);
      suite.property('severity', rule.severity);
      const findings = result.report.findings.filter((finding) => finding.rule_id === rule.id);
      const targets = result.checked.filter((target) => target.rule_id === rule.id);
      // A finding about something the rule did not list as checked still gets its test case.
      const known = new Set(targets.map(targetKey));
      for (const finding of findings) {
        if (!known.has(targetKey(finding))) {
          known.add(targetKey(finding));
          targets.push({ rule_id: finding.rule_id, resource: finding.resource, region: finding.region, stack: finding.stack, location: finding.location });
        }
      }
      for (const target of targets) {
        const ofTarget = findings.filter((finding) => targetKey(finding) === targetKey(target));
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
