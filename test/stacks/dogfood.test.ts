/**
 * Dogfood: the reference stacks, synthesized as `cdktf synth` writes them, pass sescheck's own checks
 * (the config adapter, the compiled rules and the default settings), and each broken variant fails
 * exactly the rule that describes its defect.
 */
import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Aspects, type IAspect } from 'cdktf';
import { buildApp } from '../../stacks/app';
import { defaultStacksConfig, parseStacksConfig, type StacksConfig } from '../../stacks/config';
import { PolicyEngine } from '../../src/engine/evaluate';
import type { Evaluation } from '../../src/engine/findings';
import { defaultSettings } from '../../src/engine/settings';
import { readConfigPath } from '../../src/inputs/config';
import { postureProblems } from '../../src/posture/validate';
import { DetachDefaultConfigurationSet, DropManagementSelector, RemoveLifecycleExpiration, RemoveLogGroupRetention } from './broken-variants';

const ORGANIZATION = 'arn:aws:workmail:us-west-2:111122223333:organization/m-0123456789abcdef0123456789abcdef';
const SECOND_ORGANIZATION = 'arn:aws:workmail:us-west-2:111122223333:organization/m-fedcba9876543210fedcba9876543210';

/** Every option the stacks offer, beside the defaults: the global endpoint pair, trail variants, each WorkMail destination. */
const variants = (): StacksConfig => parseStacksConfig({
  sesEventPublishing: [
    { region: 'ca-central-1', identities: ['example.com', 'noreply@example.org'], retentionDays: 35, cloudTrail: { multiRegion: true, cloudWatchLogs: true } },
    { region: 'us-east-1', stackName: 'ses-event-publishing-without-identities', namePrefix: 'bare' },
  ],
  cloudTrailSesDataEvents: [
    { region: 'eu-west-1' },
    { region: 'us-west-2', cloudWatchLogs: true, retentionDays: 540 },
    { region: 'ap-south-1', multiRegion: false },
  ],
  workmailAuditLogging: [
    { region: 'us-west-2', organizationArn: ORGANIZATION, destinationType: 's3', stackName: 'workmail-s3' },
    { region: 'us-west-2', organizationArn: SECOND_ORGANIZATION, destinationType: 'firehose', stackName: 'workmail-firehose', namePrefix: 'mail' },
  ],
}, 'dogfood variants');

interface StackResult {
  stack: string;
  evaluation: Evaluation;
}

describe('dogfood: sescheck checks its own reference stacks', function () {
  this.timeout(120000);
  let engine: PolicyEngine;
  let dir: string;
  before(async () => {
    engine = await PolicyEngine.load();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-dogfood-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Synthesizes the stacks (with an aspect on every one), reads cdktf.out like `sescheck config` and evaluates each stack. */
  async function scan(config: StacksConfig, aspect?: IAspect): Promise<StackResult[]> {
    // The synth-time checks are off: this test evaluates the written stacks itself, broken ones included.
    const app = buildApp(config, dir, { checks: false });
    // cdktf invokes the aspects of each stack (not of the app) when it synthesizes.
    if (aspect) for (const stack of app.node.children) Aspects.of(stack).add(aspect);
    app.synth();
    const postures = await readConfigPath(dir);
    return postures.map((posture) => {
      assert.deepEqual(postureProblems(posture), [], `posture of ${posture.source.stack} follows the schema`);
      return { stack: posture.source.stack ?? posture.source.path, evaluation: engine.evaluate(posture, defaultSettings()) };
    });
  }

  function findingsOf(results: StackResult[]): string[] {
    return results.flatMap(({ stack, evaluation }) =>
      evaluation.findings.map((finding) => `${stack} ${finding.status} ${finding.rule_id} ${finding.resource}: ${finding.message}`));
  }

  function checkedRules(result: StackResult): string[] {
    return [...new Set(result.evaluation.checked.map((target) => target.rule_id))].sort();
  }

  it('the default stacks have no failing and no unknown finding, and every rule that applies judged them', async () => {
    const results = await scan(defaultStacksConfig({}));
    assert.deepEqual(results.map((result) => result.stack), ['ses-event-publishing-eu-west-1', 'workmail-audit-logging-eu-west-1']);
    assert.deepEqual(findingsOf(results), []);
    const [ses, workmail] = results;
    assert.deepEqual(checkedRules(ses), [
      'CS-001', 'CS-002', 'CS-003', 'CS-004', 'CT-001', 'CT-002', 'CT-003', 'CT-004', 'CT-005', 'CT-006', 'CT-007', 'CT-008',
      'FH-001', 'ID-001', 'ID-002', 'RT-001', 'RT-002',
    ]);
    assert.deepEqual(checkedRules(workmail), ['RT-002', 'WM-001']);
    // Both buckets of the SES stack (events, trail) and its error log group are in the logging path.
    assert.equal(ses.evaluation.checked.filter((target) => target.rule_id === 'RT-001').length, 2);
  });

  it('every variant (global endpoint pair, multi-region and CloudWatch Logs trails, S3 and Firehose WorkMail destinations) is clean too', async () => {
    const results = await scan(variants());
    assert.equal(results.length, 7);
    assert.deepEqual(findingsOf(results), []);
    const workmailS3 = results.find((result) => result.stack === 'workmail-s3');
    assert.deepEqual(workmailS3 && checkedRules(workmailS3), ['RT-001', 'WM-001']);
    const workmailFirehose = results.find((result) => result.stack === 'workmail-firehose');
    assert.ok(workmailFirehose && checkedRules(workmailFirehose).includes('WM-001'));
    const trailWithLogs = results.find((result) => result.stack === 'cloudtrail-ses-data-events-us-west-2');
    assert.ok(trailWithLogs && checkedRules(trailWithLogs).includes('RT-002'), 'the trail\'s log group is judged');
  });

  /** The rule ids of the findings, and their statuses, over every stack. */
  async function brokenFindings(aspect: IAspect): Promise<string[]> {
    const results = await scan(defaultStacksConfig({}), aspect);
    return [...new Set(results.flatMap(({ stack, evaluation }) => evaluation.findings.map((finding) => `${stack} ${finding.status} ${finding.rule_id}`)))].sort();
  }

  it('a trail without its management selector fails CT-003 only', async () => {
    assert.deepEqual(await brokenFindings(new DropManagementSelector()), ['ses-event-publishing-eu-west-1 fail CT-003']);
  });

  it('log groups without retention fail RT-002 only, in every stack', async () => {
    assert.deepEqual(await brokenFindings(new RemoveLogGroupRetention()), [
      'ses-event-publishing-eu-west-1 fail RT-002', 'workmail-audit-logging-eu-west-1 fail RT-002',
    ]);
  });

  it('buckets whose lifecycle rule no longer expires objects fail RT-001 only', async () => {
    assert.deepEqual(await brokenFindings(new RemoveLifecycleExpiration()), ['ses-event-publishing-eu-west-1 fail RT-001']);
  });

  it('an identity without its default configuration set fails ID-001 only', async () => {
    assert.deepEqual(await brokenFindings(new DetachDefaultConfigurationSet()), ['ses-event-publishing-eu-west-1 fail ID-001']);
  });

  it('an SES stack without its trail fails the CloudTrail rules: why the SES stack has one by default', async () => {
    const results = await scan(parseStacksConfig({ sesEventPublishing: [{ region: 'eu-west-1', identities: ['example.com'], cloudTrail: false }] }, 'test'));
    const rules = [...new Set(results[0].evaluation.findings.map((finding) => `${finding.status} ${finding.rule_id}`))].sort();
    assert.deepEqual(rules, ['fail CT-001', 'fail CT-002', 'fail CT-003']);
  });
});
