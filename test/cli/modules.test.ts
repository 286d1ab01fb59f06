import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import path from 'path';
import { PROJECT_ROOT } from '../../src/engine/bundle';
import type { Report } from '../../src/report/report';
import { snapshotBundle } from '../report/helpers';

/**
 * End to end on Terraform modules and references: the built CLI (bin/sescheck → dist/) on a real
 * `terraform show -json` plan and on configuration directories with modules. Needs `npm run build` first.
 */
const BIN = path.join(PROJECT_ROOT, 'bin', 'sescheck');

function sescheck(args: string[]): { code: number | null; report: Report; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args, '--format', 'json', '--bundle', snapshotBundle()], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return { code: run.status, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

/** rule id -> resource -> status, for the findings of these rules. */
function statuses(report: Report, rules: string[]): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const finding of report.findings.filter((f) => rules.includes(f.rule_id))) {
    (result[finding.rule_id] ??= {})[finding.resource] = finding.status;
  }
  return result;
}

describe('sescheck CLI on Terraform modules and references (end to end)', () => {
  it('plan: known nulls fail CT-007 and ID-001, an uncompressed stream in a for_each module fails FH-001, nothing is unknown', () => {
    const { code, report } = sescheck(['plan', 'test/fixtures/inputs/plan-module-references-provider5.json']);
    assert.equal(code, 1);
    assert.deepEqual(statuses(report, ['CT-007', 'ID-001', 'FH-001']), {
      'CT-007': { 'aws_cloudtrail.main': 'fail' },
      'ID-001': { 'aws_sesv2_email_identity.ops': 'fail' },
      'FH-001': { 'module.events["support"].aws_kinesis_firehose_delivery_stream.this': 'fail' },
    });
    assert.deepEqual(report.findings.filter((f) => f.status === 'unknown'), []);
    assert.deepEqual(report.findings.filter((f) => ['CS-001', 'CS-002', 'CS-003'].includes(f.rule_id)), [], 'the index() event destinations are attached');
  });
});
