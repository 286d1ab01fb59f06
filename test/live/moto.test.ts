import assert from 'assert';
import { PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand, S3Client, type LifecycleRule } from '@aws-sdk/client-s3';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { scanLive } from '../../src/cli/live';
import { PolicyEngine } from '../../src/engine/evaluate';
import { readConfigPath } from '../../src/inputs/config';
import { defaultSettings } from '../../src/engine/settings';
import { collectAccount } from '../../src/live/collect-account';
import { ACTIONS_NEEDING_NO_GRANT, READ_ONLY_POLICY } from '../../src/live/iam-policy';
import type { Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';
import type { Report } from '../../src/results/scan-result';
import { credentials } from './helpers';
import { startMoto, type MotoServer } from './moto';
import { ACCOUNT, ORGANIZATION_ARN, REGION, STREAM_ARN, TRAIL_ARN, seedReferenceSetup } from './seed';
import { denyActions } from './deny';
import { MOTO_GAPS, answerMotoGaps } from './supplement';

const ROOT = path.resolve(__dirname, '..', '..');
const REGIONS = ['eu-west-1', 'us-east-1'];

/** What the rules find in the seeded account: rule, resource, status. */
const EXPECTED_FINDINGS = [
  ['CS-001', `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/marketing`, 'fail'],
  ['CS-002', `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/marketing`, 'fail'],
  ['CS-003', `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/marketing`, 'fail'],
  // The trail selects EmailIdentity only: ConfigurationSet and Template data events are missing (one finding names both).
  ['CT-002', `aws://${ACCOUNT}/eu-west-1`, 'fail'],
  ['ID-002', `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/noreply@example.org`, 'fail'],
  ['CS-004', `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/marketing`, 'fail'],
  ['ID-001', `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/noreply@example.org`, 'fail'],
  ['RT-001', 'arn:aws:s3:::ses-events-bucket', 'fail'],
  ['RT-002', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/workmail/audit`, 'fail'],
  ['RT-002', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/kinesisfirehose/ses-events`, 'fail'],
  ['CT-007', TRAIL_ARN, 'fail'],
  ['WM-001', ORGANIZATION_ARN, 'fail'],
];

describe('sescheck live against moto (AWS API emulator on 127.0.0.1)', function () {
  this.timeout(180_000);
  let moto: MotoServer | undefined;
  let posture: Posture;
  const calls: string[] = [];

  before(async () => {
    moto = await startMoto();
    await seedReferenceSetup(moto.endpoint);
    posture = await collectAccount({
      regions: REGIONS,
      credentials,
      endpointUrl: moto.endpoint,
      maxAttempts: 2,
      hooks: { onCall: (action) => calls.push(action), onClient: answerMotoGaps },
    });
  });

  after(async () => {
    await moto?.stop();
  });

  it('reads the seeded account into a posture document that matches the schema', () => {
    assert.deepStrictEqual(postureProblems(posture), []);
    assert.deepStrictEqual(posture.notes, [], 'every call was answered');
    const trail = posture.trails.find((t) => t.id === TRAIL_ARN);
    assert.ok(trail, 'the trail, once, in its home region');
    assert.strictEqual(posture.trails.length, 1);
    assert.deepStrictEqual(
      [trail.multi_region, trail.logging, trail.log_file_validation, trail.s3_bucket, trail.log_group],
      [true, true, true, 'arn:aws:s3:::trail-logs', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:cloudtrail/ses`],
    );
    assert.deepStrictEqual(trail.advanced_event_selectors[1].field_selectors, [
      { field: 'eventCategory', equals: ['Data'] },
      { field: 'resources.type', equals: ['AWS::SES::EmailIdentity'] },
    ]);
    const [bucket] = posture.s3_buckets.filter((b) => b.name === 'trail-logs');
    assert.deepStrictEqual([bucket.region, bucket.lifecycle_rules[0].expiration_days, bucket.public_access_block?.block_public_acls], ['eu-west-1', 400, true]);
    // Never versioned: GetBucketVersioning answers without a Status.
    assert.deepStrictEqual(posture.s3_buckets.map((b) => [b.versioning, b.unknown.versioning]), [['Disabled', undefined], ['Disabled', undefined]]);
    assert.strictEqual(bucket.lifecycle_rules[0].noncurrent_expiration_days, null);
    assert.deepStrictEqual(posture.account_public_access_blocks[0].settings.restrict_public_buckets, false);
    const stream = posture.firehose_streams.find((s) => s.id === STREAM_ARN);
    assert.deepStrictEqual([stream?.compression_format, stream?.error_output_prefix, stream?.s3_bucket], ['GZIP', 'errors/', 'arn:aws:s3:::ses-events-bucket']);
    assert.deepStrictEqual(posture.deliveries.map((d) => [d.delivery_source, d.delivery_destination !== null]), [
      [`arn:aws:logs:eu-west-1:${ACCOUNT}:delivery-source:workmail-access`, true],
    ]);
  });

  it('reads only the logging path: no bucket or log group outside it', () => {
    // workmail-audit exists in the account but receives nothing: it is not read.
    assert.deepStrictEqual(posture.s3_buckets.map((b) => b.name).sort(), ['ses-events-bucket', 'trail-logs']);
    assert.ok(!posture.log_groups.some((g) => g.name === 'unrelated/app'));
  });

  it('calls nothing outside the documented read-only policy', () => {
    const allowed = new Set<string>([...READ_ONLY_POLICY.Statement[0].Action, ...ACTIONS_NEEDING_NO_GRANT]);
    const outside = [...new Set(calls)].filter((action) => !allowed.has(action));
    assert.deepStrictEqual(outside, []);
    assert.ok(['cloudtrail:GetEventSelectors', 's3:GetLifecycleConfiguration', 's3:GetBucketVersioning'].every((c) => calls.includes(c)), 'the recorder saw the scan');
    for (const gap of Object.keys(MOTO_GAPS)) assert.ok(!gap.includes('UNMAPPED'));
  });

  it('gives the findings the rules give for this setup', async () => {
    const engine = await PolicyEngine.load();
    const { findings } = engine.evaluate(posture, defaultSettings());
    const got = findings.map((f) => [f.rule_id, f.resource, f.status].join(' ')).sort();
    assert.deepStrictEqual(got, EXPECTED_FINDINGS.map((f) => f.join(' ')).sort());
  });

  it('gives the same findings as the same setup read as Terraform configuration', async () => {
    const [configured] = await readConfigPath(path.join(__dirname, 'fixtures', 'reference-setup.tf.json'));
    const engine = await PolicyEngine.load();
    const settings = defaultSettings();
    const ids = (p: Posture) => engine.evaluate(p, settings).findings.map((f) => `${f.rule_id} ${f.status}`).sort();
    assert.deepStrictEqual(ids(posture), ids(configured));
  });

  it('runs `sescheck live --endpoint-url` end to end: JSON report, exit code, baseline', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-live-'));
    try {
      const out = path.join(dir, 'report.json');
      const stderr: string[] = [];
      const common = {
        regions: REGIONS, allRegions: false, endpointUrl: moto!.endpoint, concurrency: 2, maxAttempts: 2,
        failOn: 'high' as const, quiet: false, failOnNew: false, cwd: ROOT, format: 'json' as const,
        stderr: { write: (text: string) => stderr.push(text) } as unknown as NodeJS.WritableStream,
        hooks: { onClient: answerMotoGaps },
      };
      const code = await scanLive({ ...common, output: out });
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
      assert.strictEqual(code, 1, 'high findings fail the run');
      assert.deepStrictEqual(report.input, { kind: 'live', path: `aws://${ACCOUNT}` });
      assert.deepStrictEqual(report.findings.map((f) => f.rule_id).sort(), EXPECTED_FINDINGS.map((f) => f[0]).sort());

      // A baseline with one finding gone and one extra: the rest unchanged, exit follows the new ones only.
      const baseline = { ...report, findings: [...report.findings.slice(1), { ...report.findings[0], resource: 'arn:aws:s3:::gone' }] };
      const baselineFile = path.join(dir, 'baseline.json');
      fs.writeFileSync(baselineFile, JSON.stringify(baseline));
      const marked = path.join(dir, 'marked.json');
      const again = await scanLive({ ...common, output: marked, baseline: baselineFile, failOnNew: true });
      const compared = JSON.parse(fs.readFileSync(marked, 'utf8')) as Report & { findings: { baseline: string }[]; baseline: { new: number; unchanged: number; resolved: unknown[] } };
      assert.deepStrictEqual([compared.baseline.new, compared.baseline.unchanged, compared.baseline.resolved.length], [1, report.findings.length - 1, 1]);
      assert.strictEqual(compared.findings[0].baseline, 'new');
      assert.strictEqual(again, report.findings[0].severity === 'high' || report.findings[0].severity === 'critical' ? 1 : 0);

      fs.writeFileSync(baselineFile, JSON.stringify(report));
      const quiet = await scanLive({ ...common, output: marked, baseline: baselineFile, failOnNew: true });
      assert.strictEqual(quiet, 0, 'nothing new: exit 0 with --fail-on-new even though high findings remain');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scans an account list through the role named in each account', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-accounts-'));
    try {
      const accounts = path.join(dir, 'accounts.txt');
      fs.writeFileSync(accounts, `${ACCOUNT}\n# an empty account\n111111111111\n`);
      const out = path.join(dir, 'report.json');
      const assumed: string[] = [];
      const code = await scanLive({
        regions: ['eu-west-1'], allRegions: false, endpointUrl: moto!.endpoint, concurrency: 2, maxAttempts: 2,
        accountsFile: accounts, roleName: 'sescheck-audit', externalId: 'nightly',
        failOn: 'none', quiet: true, failOnNew: false, cwd: ROOT, format: 'json', output: out,
        hooks: { onClient: answerMotoGaps, onProgress: (event) => assumed.push(event.account) },
      });
      assert.strictEqual(code, 0);
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
      assert.deepStrictEqual(report.input, { kind: 'live', path: `aws://${ACCOUNT},111111111111` });
      assert.deepStrictEqual([...new Set(assumed)].sort(), ['111111111111', ACCOUNT], 'each account scanned as itself');
      assert.ok(report.findings.some((f) => f.resource.includes(`:${ACCOUNT}:`)));
      assert.ok(!report.findings.some((f) => f.resource.includes(':111111111111:')), 'the empty account has nothing to find');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns denied calls into unknown findings naming the API and region, never into passes', async () => {
    const denied = ['cloudtrail:GetEventSelectors', 'ses:ListEmailIdentities', 's3:GetLifecycleConfiguration', 'workmail:ListOrganizations'];
    const deny = denyActions(denied);
    const faulty = await collectAccount({
      regions: ['eu-west-1'],
      credentials,
      endpointUrl: moto!.endpoint,
      maxAttempts: 1,
      hooks: { onClient: (client, scope) => { answerMotoGaps(client, scope); deny(client); } },
    });
    assert.deepStrictEqual(postureProblems(faulty), []);
    // One note per failed call: two buckets are in the logging path.
    const noted = faulty.notes.map((n) => `${n.service}:${n.api} ${n.region} ${n.account}`);
    assert.deepStrictEqual([...new Set(noted)].sort(), denied.map((action) => `${action} eu-west-1 ${ACCOUNT}`).sort());
    assert.strictEqual(noted.filter((n) => n.startsWith('s3:GetLifecycleConfiguration')).length, 2);
    const engine = await PolicyEngine.load();
    const findings = engine.evaluate(faulty, defaultSettings()).findings;
    const status = (rule: string, resource: string) => findings.filter((f) => f.rule_id === rule && f.resource === resource).map((f) => f.status);
    const scope = `aws://${ACCOUNT}/eu-west-1`;
    // The trail's selectors are unknown: CT-001 and CT-003 cannot pass, and CT-002 cannot fail.
    assert.deepStrictEqual(status('CT-001', scope), ['unknown']);
    assert.deepStrictEqual(status('CT-003', scope), ['unknown']);
    assert.ok(status('CT-002', scope).every((s) => s === 'unknown'));
    const standIn = `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/*`;
    assert.deepStrictEqual(status('ID-001', standIn), ['unknown']);
    assert.deepStrictEqual(status('RT-001', 'arn:aws:s3:::trail-logs'), ['unknown']);
    assert.deepStrictEqual(status('WM-001', `arn:aws:workmail:eu-west-1:${ACCOUNT}:organization/*`), ['unknown']);
    for (const finding of findings.filter((f) => f.status === 'unknown' && f.rule_id.startsWith('CT-00'))) {
      assert.match(finding.message, /AccessDeniedException on cloudtrail:GetEventSelectors in eu-west-1/);
    }
  });

  it('runs bin/sescheck live --endpoint-url in a child process, guarded the same way', () => {
    // The runner's NODE_OPTIONS loads the network guard in the child (test/setup/safe-environment.ts).
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'sescheck'), 'live', '--region', 'eu-west-1',
        '--endpoint-url', moto!.endpoint, '--format', 'json', '--fail-on', 'high'],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    assert.strictEqual(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /network-guard: blocked/);
    const report = JSON.parse(run.stdout) as Report;
    assert.strictEqual(report.input.path, `aws://${ACCOUNT}`);
    const failed = new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.rule_id));
    for (const rule of ['ID-001', 'CS-004', 'CT-007', 'RT-002']) assert.ok(failed.has(rule), rule);
    // Without the test's answers, moto's missing event destination call leaves those checks unknown, never passed.
    const unknownSets = report.findings.filter((f) => f.rule_id === 'CS-001' && f.status === 'unknown').map((f) => f.resource);
    assert.deepStrictEqual(unknownSets.sort(), ['marketing', 'ses-logging'].map((n) => `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/${n}`));
    assert.match(run.stderr, /sescheck: note: .*on ses:GetConfigurationSetEventDestinations in eu-west-1/);
    // Only sescheck's own lines: no SDK version warning, no stack trace, nothing from the guard.
    assert.deepStrictEqual(run.stderr.split('\n').filter((line) => line && !line.startsWith('sescheck: ')), []);
  });
});

describe('sescheck live against moto: a versioned trail bucket (RT-001)', function () {
  this.timeout(180_000);
  const BUCKET = 'arn:aws:s3:::trail-logs';
  let moto: MotoServer | undefined;
  let s3: S3Client;
  let engine: PolicyEngine;

  before(async () => {
    moto = await startMoto();
    await seedReferenceSetup(moto.endpoint);
    s3 = new S3Client({ endpoint: moto.endpoint, region: REGION, credentials, forcePathStyle: true, maxAttempts: 1 });
    engine = await PolicyEngine.load();
  });

  after(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  /** Sets the trail bucket's versioning and its one whole-bucket lifecycle rule, scans, and judges it. */
  async function scanWith(status: 'Enabled' | 'Suspended', rule: Partial<LifecycleRule>) {
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'trail-logs', VersioningConfiguration: { Status: status } }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({
      Bucket: 'trail-logs',
      LifecycleConfiguration: { Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 400 }, ...rule }] },
    }));
    const calls: string[] = [];
    const posture = await collectAccount({
      regions: [REGION], credentials, endpointUrl: moto!.endpoint, maxAttempts: 2,
      hooks: { onCall: (action) => calls.push(action), onClient: answerMotoGaps },
    });
    assert.deepStrictEqual(postureProblems(posture), []);
    assert.deepStrictEqual(posture.notes, []);
    const allowed = new Set<string>(READ_ONLY_POLICY.Statement[0].Action);
    assert.ok(calls.includes('s3:GetBucketVersioning') && allowed.has('s3:GetBucketVersioning'));
    const bucket = posture.s3_buckets.find((b) => b.id === BUCKET);
    const { findings, checked } = engine.evaluate(posture, defaultSettings());
    assert.ok(checked.some((c) => c.rule_id === 'RT-001' && c.resource === BUCKET), 'RT-001 judged the trail bucket');
    return { bucket, rt001: findings.filter((f) => f.rule_id === 'RT-001' && f.resource === BUCKET) };
  }

  it('fails a versioned trail bucket whose 400-day rule expires only current versions', async () => {
    const { bucket, rt001 } = await scanWith('Enabled', {});
    assert.deepStrictEqual([bucket?.versioning, bucket?.lifecycle_rules[0].expiration_days, bucket?.lifecycle_rules[0].noncurrent_expiration_days], ['Enabled', 400, null]);
    assert.deepStrictEqual(rt001.map((f) => f.status), ['fail']);
    assert.match(rt001[0].message, /is versioned \(Enabled\): expiration only adds a delete marker/);
  });

  it('passes once NoncurrentVersionExpiration removes previous versions within the bounds', async () => {
    const { bucket, rt001 } = await scanWith('Enabled', { NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
    assert.deepStrictEqual([bucket?.versioning, bucket?.lifecycle_rules[0].noncurrent_expiration_days], ['Enabled', 30]);
    assert.deepStrictEqual(rt001, []);
  });

  it('decides a rule on AWSLogs/ (the trail writes under AWSLogs/<account>/CloudTrail/) and ignores one that cannot meet its logs', async () => {
    const covering = await scanWith('Enabled', { Filter: { Prefix: 'AWSLogs/' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
    assert.deepStrictEqual([covering.bucket?.lifecycle_rules[0].prefix, covering.bucket?.mfa_delete, covering.bucket?.object_lock_retention_days], ['AWSLogs/', false, null]);
    assert.deepStrictEqual(covering.rt001, []);
    const elsewhere = await scanWith('Enabled', { Filter: { Prefix: 'exports/' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } });
    assert.deepStrictEqual(elsewhere.rt001.map((f) => f.status), ['fail']);
    assert.match(elsewhere.rt001[0].message, /has no enabled lifecycle rule that expires all of the log files of trail \S+ \(keys under "AWSLogs\/\d{12}\/CloudTrail"\)/);
  });

  it('still judges previous versions when versioning is Suspended: 400 + 200 days is past the maximum', async () => {
    const { bucket, rt001 } = await scanWith('Suspended', { NoncurrentVersionExpiration: { NoncurrentDays: 200 } });
    assert.deepStrictEqual([bucket?.versioning, bucket?.lifecycle_rules[0].noncurrent_expiration_days], ['Suspended', 200]);
    assert.deepStrictEqual(rt001.map((f) => f.status), ['fail']);
    assert.match(rt001[0].message, /600 days in all, more than the 540-day maximum/);
  });
});
