import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { App, Testing } from 'cdktf';
import * as lambdaModule from '../../src/lambda/scan-account';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { readConfigPath } from '../../src/inputs/config';
import { READ_ONLY_POLICY } from '../../src/live/iam-policy';
import { ORGANIZATION_POLICY } from '../../src/live/organization';
import { StackPropsError } from '../../stacks/constructs/props';
import { LAMBDA_RETRY } from '../../stacks/constructs/scheduled-scan';
import { buildScheduledScanApp } from '../../stacks/scheduled-scan-main';
import { MemberScanRoleStack, ScheduledScanStack } from '../../stacks/scheduled-scan-stack';
import { onlyResource, policyOf, resourcesOf, type TerraformJson } from './synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON and ASL are untyped by nature */
const SCANNER_ROLE = 'arn:aws:iam::999999999999:role/sescheck-scanner';

function synth(build: (app: App) => void): { json: Record<string, TerraformJson>; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-scheduled-'));
  const app = Testing.app({ outdir: dir });
  build(app);
  app.synth();
  const json: Record<string, TerraformJson> = {};
  for (const name of fs.readdirSync(path.join(dir, 'stacks'))) json[name] = JSON.parse(fs.readFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  return { json, dir };
}

/** Every state reachable from StartAt, every Next naming a state, and at least one end. */
function checkGraph(machine: any, where: string): void {
  const states = machine.States as Record<string, any>;
  const seen = new Set<string>();
  const visit = (name: string) => {
    assert.ok(states[name], `${where}: state ${name} exists`);
    if (seen.has(name)) return;
    seen.add(name);
    const state = states[name];
    const next = [state.Next, state.Default, ...(state.Choices ?? []).map((c: any) => c.Next), ...(state.Catch ?? []).map((c: any) => c.Next)].filter(Boolean);
    assert.ok(next.length > 0 || state.End === true || state.Type === 'Succeed' || state.Type === 'Fail', `${where}: ${name} ends or goes on`);
    next.forEach(visit);
  };
  visit(machine.StartAt);
  assert.deepEqual([...seen].sort(), Object.keys(states).sort(), `${where}: no unreachable state`);
}

describe('scheduled-scan stack (CDKTF)', () => {
  let json: TerraformJson;
  let dir: string;

  before(() => {
    const synthesized = synth((app) => {
      new ScheduledScanStack(app, 'scheduled-scan', { region: 'us-east-1', lambdaPackage: 'build/lambda.zip', maxConcurrency: 25, toleratedFailurePercentage: 5, regions: ['eu-west-1', 'us-east-1'] });
    });
    json = synthesized.json['scheduled-scan'];
    dir = synthesized.dir;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts the state machine on a schedule, through a role that may only start it', () => {
    const schedule = onlyResource(json, 'aws_scheduler_schedule');
    assert.equal(schedule.schedule_expression, 'cron(17 3 * * ? *)');
    assert.deepEqual(schedule.flexible_time_window, { mode: 'OFF' });
    assert.match(schedule.target.arn, /^\$\{aws_sfn_state_machine\..*\.arn\}$/);
    const schedulerRole = Object.values(resourcesOf(json, 'aws_iam_role')).find((r: any) => r.name === 'sescheck-scan-scheduler');
    assert.equal(policyOf(schedulerRole, 'assume_role_policy').Statement[0].Principal.Service, 'scheduler.amazonaws.com');
    const policy = Object.values(resourcesOf(json, 'aws_iam_role_policy')).map((p: any) => policyOf(p)).find((p) => p.Statement[0].Action === 'states:StartExecution');
    assert.deepEqual(policy.Statement, [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: schedule.target.arn }]);
  });

  it('has a state machine definition that lists the accounts, then scans each in a Distributed Map with bounded concurrency and retries', () => {
    const machine = onlyResource(json, 'aws_sfn_state_machine');
    assert.equal(machine.type, 'STANDARD');
    assert.equal(machine.logging_configuration.level, 'ERROR');
    const definition = JSON.parse(machine.definition);
    checkGraph(definition, 'top level');
    assert.deepEqual(Object.keys(definition.States), ['ListAccounts', 'ScanAccounts']);
    const list = definition.States.ListAccounts;
    assert.equal(list.Resource, 'arn:aws:states:::lambda:invoke');
    assert.match(list.Parameters.FunctionName, /aws_lambda_function\..*lister.*\.arn/);
    assert.deepEqual(list.Parameters.Payload, { roleName: 'sescheck-audit', regions: ['eu-west-1', 'us-east-1'], organizationalUnits: [], excludeAccounts: [], importSecurityHub: false, 'executionName.$': '$$.Execution.Name' });
    assert.deepEqual(list.ResultSelector, { 'accountList.$': '$.Payload' });
    assert.deepEqual(list.Retry, [LAMBDA_RETRY]);
    const map = definition.States.ScanAccounts;
    assert.deepEqual([map.Type, map.ItemsPath, map.MaxConcurrency, map.ToleratedFailurePercentage, map.End], ['Map', undefined, 25, 5, true]);
    // The items come from the list the lister wrote to S3, not the state: no 256 KB bound on the organization.
    assert.deepEqual(map.ItemReader, {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { 'Bucket.$': '$.accountList.bucket', 'Key.$': '$.accountList.key' },
    });
    assert.deepEqual(map.ItemProcessor.ProcessorConfig, { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    checkGraph(map.ItemProcessor, 'item processor');
    const scan = map.ItemProcessor.States.ScanAccount;
    assert.match(scan.Parameters.FunctionName, /aws_lambda_function\..*scanner.*\.arn/);
    assert.equal(scan.Parameters['Payload.$'], '$', 'the map item is the handler event');
    assert.ok(scan.Retry[0].ErrorEquals.includes('Lambda.TooManyRequestsException') && scan.Retry[0].MaxAttempts === 3);
    // An account that could not be read, or whose scan failed, alerts: it must not look clean.
    assert.deepEqual(scan.Catch, [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyScanFailed' }]);
    const choice = map.ItemProcessor.States.NewFailingFindings;
    assert.deepEqual(choice.Choices, [
      { Variable: '$.result.notScanned', IsPresent: true, Next: 'NotifyNotScanned' },
      { Variable: '$.result.newFailing', NumericGreaterThan: 0, Next: 'Notify' },
    ]);
    for (const name of ['NotifyNotScanned', 'NotifyScanFailed']) assert.equal(map.ItemProcessor.States[name].Resource, 'arn:aws:states:::sns:publish', name);
    const notify = map.ItemProcessor.States.Notify;
    assert.equal(notify.Resource, 'arn:aws:states:::sns:publish');
    assert.match(notify.Parameters.TopicArn, /aws_sns_topic\..*\.arn/);
  });

  it('runs the two functions on Node 20 with handlers this repository exports, each with its own log group of bounded retention', () => {
    const functions = Object.values(resourcesOf(json, 'aws_lambda_function')) as any[];
    assert.deepEqual(functions.map((f) => [f.runtime, f.handler]).sort(), [
      ['nodejs20.x', 'dist/src/lambda/scan-account.handler'],
      ['nodejs20.x', 'dist/src/lambda/scan-account.listAccountsHandler'],
    ]);
    for (const f of functions) {
      const exported = f.handler.split('.').pop() as keyof typeof lambdaModule;
      assert.equal(typeof lambdaModule[exported], 'function', `${f.handler} is exported by src/lambda/scan-account.ts`);
    }
    const groups = Object.values(resourcesOf(json, 'aws_cloudwatch_log_group')) as any[];
    assert.deepEqual(groups.map((g) => g.retention_in_days), [400, 400, 400]);
    const scanner = functions.find((f) => f.handler.endsWith('.handler'));
    assert.match(scanner.environment.variables.REPORT_BUCKET, /aws_s3_bucket\..*\.bucket/);
  });

  it('gives the scanner only sts:AssumeRole on the member role and the reports prefix; the lister the Organizations reads and the account list', () => {
    const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy')).map((p: any) => policyOf(p));
    const scanner = policies.find((p) => p.Statement.some((s: any) => s.Sid === 'AssumeScanRole'));
    assert.match(scanner.Statement[0].Resource, /^arn:\$\{data\.aws_partition\..*\}:iam::\*:role\/sescheck-audit$/);
    assert.match(scanner.Statement[1].Resource, /\/sescheck\/\*$/);
    const lister = policies.find((p) => p.Statement.some((s: any) => s.Sid === 'SescheckListOrganization'));
    assert.deepEqual(lister.Statement[0], ORGANIZATION_POLICY.Statement[0]);
    // The lister writes the account list, the state machine reads it: that prefix only.
    const machine = policies.find((p) => p.Statement.some((s: any) => s.Sid === 'ChildExecutions'));
    for (const [policy, action] of [[lister, 's3:PutObject'], [machine, 's3:GetObject']]) {
      const statement = policy.Statement.find((s: any) => s.Sid === 'AccountList');
      assert.equal(statement.Action, action);
      assert.match(statement.Resource, /^\$\{aws_s3_bucket\..*\.arn\}\/sescheck\/account-lists\/\*$/);
    }
  });

  it('passes sescheck, and keeps its own bucket and log groups within the retention bounds the rules apply', async () => {
    const postures = await readConfigPath(dir);
    const engine = await PolicyEngine.load();
    const settings = defaultSettings();
    const findings = postures.flatMap((posture) => engine.evaluate(posture, settings).findings);
    assert.deepEqual(findings.map((f) => `${f.status} ${f.rule_id} ${f.resource}`), []);
    // The rules judge the SES and WorkMail logging path, which this stack is not part of: its
    // bucket and log groups are held to the same bounds (RT-001, RT-002) here.
    assert.deepEqual([postures[0].s3_buckets.length, postures[0].log_groups.length], [1, 3]);
    const { min_days: min, max_days: max } = settings.retention;
    const within = (days: number) => days >= min && days <= (max ?? Infinity);
    assert.ok(postures[0].s3_buckets[0].lifecycle_rules.some((rule) => rule.enabled && !rule.prefix && rule.expiration_days !== null && within(rule.expiration_days)));
    assert.ok(postures[0].log_groups.every((group) => group.retention_in_days !== null && within(group.retention_in_days)));
  });

  it('refuses out-of-range props at synth', () => {
    assert.throws(() => synth((app) => new ScheduledScanStack(app, 's', { region: 'us-east-1', lambdaPackage: 'x.zip', retentionDays: 1000 })), StackPropsError);
    assert.throws(() => synth((app) => new ScheduledScanStack(app, 's', { region: 'us-east-1', lambdaPackage: 'x.zip', maxConcurrency: 0 })), /maxConcurrency/);
  });
});

describe('member scan role stack (CDKTF)', () => {
  it('trusts only the scanner role and carries exactly the tested read-only policy (plus the import statement when asked)', () => {
    const { json, dir } = synth((app) => {
      new MemberScanRoleStack(app, 'member', { region: 'us-east-1', scannerRoleArn: SCANNER_ROLE });
      new MemberScanRoleStack(app, 'member-import', { region: 'us-east-1', scannerRoleArn: SCANNER_ROLE, securityHubImport: true });
    });
    try {
      const role = onlyResource(json.member, 'aws_iam_role');
      assert.equal(role.name, 'sescheck-audit');
      assert.deepEqual(policyOf(role, 'assume_role_policy').Statement, [{ Effect: 'Allow', Principal: { AWS: SCANNER_ROLE }, Action: 'sts:AssumeRole' }]);
      assert.deepEqual(policyOf(onlyResource(json.member, 'aws_iam_role_policy')), JSON.parse(JSON.stringify(READ_ONLY_POLICY)));
      const withImport = Object.values(resourcesOf(json['member-import'], 'aws_iam_role_policy')).map((p: any) => p.name).sort();
      assert.deepEqual(withImport, ['sescheck-live-read-only', 'sescheck-security-hub-import']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.throws(() => synth((app) => new MemberScanRoleStack(app, 'm', { region: 'us-east-1', scannerRoleArn: 'sescheck-scanner' })), StackPropsError);
  });
});
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('scheduled-scan app (stacks/scheduled-scan-main.ts)', () => {
  it('synthesizes the scan stack, or the member role stack when given the scanner role', () => {
    for (const [env, stack] of [[{ SESCHECK_SCAN_REGIONS: 'eu-west-1, us-west-2' }, 'sescheck-scheduled-scan'], [{ SESCHECK_SCANNER_ROLE_ARN: SCANNER_ROLE }, 'sescheck-member-scan-role']] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-scheduled-app-'));
      try {
        buildScheduledScanApp(env, dir).synth();
        assert.deepEqual(fs.readdirSync(path.join(dir, 'stacks')), [stack]);
        if (stack === 'sescheck-scheduled-scan') {
          const synthesized = JSON.parse(fs.readFileSync(path.join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as TerraformJson;
          const definition = JSON.parse(onlyResource(synthesized, 'aws_sfn_state_machine').definition);
          assert.deepEqual(definition.States.ListAccounts.Parameters.Payload.regions, ['eu-west-1', 'us-west-2']);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
