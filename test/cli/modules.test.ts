import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PROJECT_ROOT } from '../../src/engine/bundle';
import type { Report } from '../../src/results/scan-result';
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

  it('config: reads a for_each module, and its uncompressed stream fails FH-001 as in the plan', () => {
    const { code, report } = sescheck(['config', 'test/fixtures/terraform/module-references']);
    assert.equal(code, 1);
    assert.deepEqual(statuses(report, ['FH-001']), { 'FH-001': { 'module.events["support"].aws_kinesis_firehose_delivery_stream.this': 'fail' } });
    // The conditionals the plan decides are expressions configuration does not evaluate: unknown, not a pass.
    assert.deepEqual(statuses(report, ['CT-007']), { 'CT-007': { 'aws_cloudtrail.main': 'unknown' } });
  });

  it('config: what counts on absence is unknown naming the modules it cannot read, never a fail', () => {
    const { code, report, stderr } = sescheck(['config', 'test/fixtures/inputs/hcl-modules-unread']);
    assert.equal(code, 0, 'unknown findings do not fail without --fail-on-unknown');
    assert.deepEqual(report.findings.filter((f) => f.status === 'fail'), []);
    const unknown = statuses(report, ['CT-001', 'CT-003', 'CS-001', 'WM-001']);
    assert.deepEqual(unknown, {
      'CT-001': { 'aws://default/eu-west-1': 'unknown' },
      'CT-003': { 'aws://default/eu-west-1': 'unknown' },
      'CS-001': { 'aws_sesv2_configuration_set.main': 'unknown' },
      'WM-001': { 'arn:aws:workmail:eu-west-1:111122223333:organization/m-0123456789abcdef': 'unknown' },
    });
    for (const finding of report.findings.filter((f) => f.rule_id === 'CT-001' || f.rule_id === 'WM-001')) {
      assert.match(finding.message, /module\.audit_trail may declare .*terraform-aws-modules\/cloudtrail\/aws/);
    }
    assert.match(stderr, /module\.workmail_logs: module not read \(directory .* does not exist/);
    assert.equal(sescheck(['config', 'test/fixtures/inputs/hcl-modules-unread', '--fail-on-unknown']).code, 1);
  });

  it('config: a trail whose count is unknown (count = var.x ? 1 : 0) may not exist: the CloudTrail verdicts are unknown naming it, never a pass', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-count-'));
    try {
      const secure = fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'secure', 'main.tf'), 'utf8');
      const at = secure.indexOf('{', secure.indexOf('resource "aws_cloudtrail" "main"')) + 1;
      fs.writeFileSync(path.join(dir, 'main.tf'), `${secure.slice(0, at)}\n  count = var.enable_trail ? 1 : 0\n${secure.slice(at)}\nvariable "enable_trail" {\n  type = bool\n}\n`);
      const { report, stderr } = sescheck(['config', dir]);
      assert.deepEqual(statuses(report, ['CT-001', 'CT-003']), { 'CT-001': { 'aws://default/eu-west-1': 'unknown' }, 'CT-003': { 'aws://default/eu-west-1': 'unknown' } });
      assert.ok(report.findings.filter((f) => f.rule_id === 'CT-001').every((f) => f.message.includes('aws_cloudtrail.main may declare')));
      assert.equal(report.summary.fail, 0);
      assert.match(stderr, /aws_cloudtrail\.main: count is unknown .* read as neither present nor absent/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
