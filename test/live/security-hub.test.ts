import assert from 'assert';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient, type SecurityHubClientResolvedConfig, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-securityhub';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { scanLive } from '../../src/cli/live';
import { IMPORT_BATCH_SIZE, importToSecurityHub } from '../../src/live/security-hub';
import { ASFF_SCHEMA_VERSION, type AsffFinding } from '../../src/report/asff';
import type { Report } from '../../src/results/scan-result';
import { awsError, credentials } from './helpers';
import { denyActions } from './deny';
import { startMoto, type MotoServer } from './moto';
import { ACCOUNT, seedReferenceSetup } from './seed';
import { answerMotoGaps } from './supplement';

const ROOT = path.resolve(__dirname, '..', '..');
const OTHER = '444455556666';

function finding(account: string, region: string, n: number): AsffFinding {
  const time = '2026-06-01T12:00:00.000Z';
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION, Id: `sescheck/CS-004/${account}/${region}/r${n}`,
    ProductArn: `arn:aws:securityhub:${region}:${account}:product/${account}/default`, ProductName: 'sescheck', CompanyName: 'sescheck',
    GeneratorId: 'CS-004', AwsAccountId: account, Region: region, Types: ['Software and Configuration Checks'],
    CreatedAt: time, UpdatedAt: time, LastObservedAt: time,
    Severity: { Label: 'MEDIUM', Original: 'medium' }, FindingProviderFields: { Severity: { Label: 'MEDIUM', Original: 'medium' }, Types: ['Software and Configuration Checks'] },
    Title: 'CS-004', Description: 'd', Remediation: { Recommendation: { Text: 'fix' } }, ProductFields: {},
    Resources: [{ Type: 'Other', Id: `r${n}`, Partition: 'aws', Region: region }], Compliance: { Status: 'FAILED' }, RecordState: 'ACTIVE',
  };
}

describe('Security Hub import (BatchImportFindings, client mocks)', () => {
  // Mocked only while this suite runs (mocha loads every file before running any): other suites talk to moto.
  let hub: AwsStub<ServiceInputTypes, ServiceOutputTypes, SecurityHubClientResolvedConfig>;
  before(() => {
    hub = mockClient(SecurityHubClient);
  });
  afterEach(() => hub.reset());
  after(() => hub.restore());

  it('sends each account and region its own findings in batches of 100, with that account\'s credentials', async () => {
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AsffFinding[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));
    const findings = [
      ...Array.from({ length: 250 }, (_, n) => finding(ACCOUNT, 'eu-west-1', n)),
      ...Array.from({ length: 3 }, (_, n) => finding(OTHER, 'us-east-1', n)),
    ];
    const asked: string[] = [];
    const outcomes = await importToSecurityHub(findings, {
      credentialsOf: (account) => { asked.push(account); return { accessKeyId: `key-${account}`, secretAccessKey: 's' }; },
      retryDelayMs: 1,
    });
    assert.deepStrictEqual(outcomes.map((o) => [o.account, o.region, o.imported, o.failed.length, o.fault]), [
      [ACCOUNT, 'eu-west-1', 250, 0, undefined],
      [OTHER, 'us-east-1', 3, 0, undefined],
    ]);
    const batches = hub.commandCalls(BatchImportFindingsCommand).map((call) => (call.args[0].input.Findings ?? []).map((f) => f.AwsAccountId));
    // The two accounts are imported at the same time: compare each account's batches.
    assert.deepStrictEqual(batches.filter((b) => b[0] === ACCOUNT).map((b) => b.length), [IMPORT_BATCH_SIZE, IMPORT_BATCH_SIZE, 50]);
    assert.deepStrictEqual(batches.filter((b) => b[0] === OTHER).map((b) => b.length), [3]);
    assert.ok(batches.every((b) => new Set(b).size === 1), 'a batch holds one account only');
    assert.deepStrictEqual(asked.sort(), [ACCOUNT, OTHER].sort());
  });

  it('resends the findings a batch reports failed, a bounded number of times, and reports the rest', async () => {
    let calls = 0;
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AsffFinding[] }) => {
      calls++;
      // r1 fails once (a transient error), r2 always.
      const failing = input.Findings.filter((f) => f.Id.endsWith('/r2') || (f.Id.endsWith('/r1') && calls === 1));
      return { SuccessCount: input.Findings.length - failing.length, FailedCount: failing.length, FailedFindings: failing.map((f) => ({ Id: f.Id, ErrorCode: 'InternalException', ErrorMessage: 'try again' })) };
    });
    const [outcome] = await importToSecurityHub([0, 1, 2].map((n) => finding(ACCOUNT, 'eu-west-1', n)), { credentialsOf: () => credentials, attempts: 3, retryDelayMs: 1 });
    assert.strictEqual(calls, 3, 'three attempts in all');
    assert.deepStrictEqual(hub.commandCalls(BatchImportFindingsCommand).map((c) => (c.args[0].input.Findings ?? []).map((f) => f.Id?.split('/').pop())), [['r0', 'r1', 'r2'], ['r1', 'r2'], ['r2']]);
    assert.strictEqual(outcome.imported, 2);
    assert.deepStrictEqual(outcome.failed, [{ id: `sescheck/CS-004/${ACCOUNT}/eu-west-1/r2`, reason: 'InternalException: try again' }]);
  });

  it('keeps going when one account denies the import or has Security Hub off: a fault for it, the others imported', async () => {
    hub.on(BatchImportFindingsCommand).callsFake(async (input: { Findings: AsffFinding[] }) => {
      if (input.Findings[0].AwsAccountId === OTHER) throw awsError('InvalidAccessException', 'Account 444455556666 is not subscribed to AWS Security Hub');
      return { SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] };
    });
    const outcomes = await importToSecurityHub([finding(OTHER, 'eu-west-1', 0), finding(ACCOUNT, 'eu-west-1', 0)], { credentialsOf: () => credentials, maxAttempts: 1 });
    assert.deepStrictEqual(outcomes.map((o) => [o.account, o.imported, o.fault]), [
      [OTHER, 0, 'InvalidAccessException on securityhub:BatchImportFindings in eu-west-1'],
      [ACCOUNT, 1, undefined],
    ]);
  });
});

describe('sescheck live --import-security-hub against moto', function () {
  this.timeout(180_000);
  let moto: MotoServer | undefined;
  let dir: string;

  before(async () => {
    moto = await startMoto();
    await seedReferenceSetup(moto.endpoint);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-hub-'));
  });
  after(async () => {
    await moto?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Security Hub's findings in an account (moto keeps one store per account and region). */
  async function findingsIn(account: string, region: string) {
    const sts = new STSClient({ endpoint: moto!.endpoint, region, credentials });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/sescheck-audit`, RoleSessionName: 'test' }));
    sts.destroy();
    const c = assumed.Credentials!;
    const client = new SecurityHubClient({ endpoint: moto!.endpoint, region, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } });
    const got = await client.send(new GetFindingsCommand({}));
    client.destroy();
    return (got.Findings ?? []) as unknown as AsffFinding[];
  }

  it('imports each account\'s findings into its own Security Hub, updates them on the next run, archives the resolved ones', async () => {
    const stderr: string[] = [];
    const out = path.join(dir, 'report.json');
    const accounts = path.join(dir, 'accounts.txt');
    fs.writeFileSync(accounts, `${ACCOUNT}\n${OTHER}\n`);
    const common = {
      regions: ['eu-west-1'], allRegions: false, endpointUrl: moto!.endpoint, concurrency: 2, maxAttempts: 1,
      accountsFile: accounts, roleName: 'sescheck-audit', importSecurityHub: true, importRetryDelayMs: 1,
      failOn: 'none' as const, quiet: false, failOnNew: false, cwd: ROOT, format: 'json' as const, output: out,
      stderr: { write: (text: string) => stderr.push(text) } as unknown as NodeJS.WritableStream,
      hooks: { onClient: answerMotoGaps },
    };
    assert.strictEqual(await scanLive(common), 0);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
    const mine = report.findings.filter((f) => f.account === ACCOUNT);
    const imported = await findingsIn(ACCOUNT, 'eu-west-1');
    // Region-less findings (none here in eu-west-1's account-wide checks) would go to us-east-1.
    const inRegion = mine.filter((f) => (f.region ?? 'us-east-1') === 'eu-west-1');
    assert.strictEqual(imported.length, inRegion.length);
    assert.ok(imported.every((f) => f.AwsAccountId === ACCOUNT && f.RecordState === 'ACTIVE'));
    assert.deepStrictEqual(await findingsIn(OTHER, 'eu-west-1'), [], 'the empty account has nothing to import');
    assert.match(stderr.join(''), new RegExp(`sescheck: Security Hub: account ${ACCOUNT} eu-west-1: ${inRegion.length} finding\\(s\\) imported`));

    // The next night: one finding fixed (it is in the baseline, not in the scan): updated in place, the fixed one archived.
    const baseline = path.join(dir, 'baseline.json');
    const fixed = { ...mine[0], resource: `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/fixed` };
    fs.writeFileSync(baseline, JSON.stringify({ ...report, findings: [...report.findings, fixed] }));
    assert.strictEqual(await scanLive({ ...common, baseline }), 0);
    const again = await findingsIn(ACCOUNT, 'eu-west-1');
    assert.strictEqual(again.length, inRegion.length + 1, 'no duplicate: the same Ids were updated, the fixed one added as archived');
    const archived = again.filter((f) => f.RecordState === 'ARCHIVED');
    assert.deepStrictEqual(archived.map((f) => [f.Resources[0].Id, f.Compliance.Status]), [[fixed.resource, 'PASSED']]);
  });

  it('warns and exits 1 when an account\'s findings cannot be imported, and still imports the others', async () => {
    const stderr: string[] = [];
    const accounts = path.join(dir, 'accounts2.txt');
    fs.writeFileSync(accounts, `${ACCOUNT}\n`);
    const deny = denyActions(['UNMAPPED:SecurityHubClient.BatchImportFindingsCommand']);
    const code = await scanLive({
      regions: ['eu-west-1'], allRegions: false, endpointUrl: moto!.endpoint, concurrency: 2, maxAttempts: 1,
      accountsFile: accounts, roleName: 'sescheck-audit', importSecurityHub: true, importRetryDelayMs: 1,
      failOn: 'none', quiet: true, failOnNew: false, cwd: ROOT, format: 'json', output: path.join(dir, 'r2.json'),
      stderr: { write: (text: string) => stderr.push(text) } as unknown as NodeJS.WritableStream,
      hooks: { onClient: (client, scope) => { answerMotoGaps(client, scope); deny(client); } },
    });
    assert.strictEqual(code, 1, 'findings that did not reach Security Hub fail the run');
    assert.match(stderr.join(''), new RegExp(`sescheck: warning: Security Hub import failed for account ${ACCOUNT} eu-west-1 after 0 finding\\(s\\): AccessDeniedException on securityhub:BatchImportFindings`));
  });
});
