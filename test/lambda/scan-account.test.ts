import assert from 'assert';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateConfigurationSetCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Log } from 'sarif';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { listAccounts, listAccountsToBucket, scanAccountToBucket, type ScanAccountSettings } from '../../src/lambda/scan-account';
import type { Report } from '../../src/report/report';
import { credentials } from '../live/helpers';
import { startMoto, type MotoServer } from '../live/moto';
import { ACCOUNT, REGION, seedReferenceSetup } from '../live/seed';
import { answerMotoGaps } from '../live/supplement';

const BUCKET = 'sescheck-reports';

describe('scheduled scan Lambda handler against moto (one account, its role assumed)', function () {
  this.timeout(180_000);
  let moto: MotoServer | undefined;
  let s3: S3Client;
  let settings: ScanAccountSettings;
  const assumed = new Set<string>();

  before(async () => {
    moto = await startMoto();
    await seedReferenceSetup(moto.endpoint);
    s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    settings = {
      bucket: BUCKET, prefix: 'nightly', endpointUrl: moto.endpoint, maxAttempts: 1,
      hooks: { onClient: answerMotoGaps, onProgress: (event) => assumed.add(event.account) },
    };
  });
  after(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  async function read(key: string): Promise<string> {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return (await object.Body?.transformToString('utf8')) as string;
  }

  it('writes JSON and SARIF to the bucket and reports every failing finding as new on the first run', async () => {
    const result = await scanAccountToBucket({ accountId: ACCOUNT, roleName: 'sescheck-audit', regions: [REGION] }, { ...settings, now: new Date('2026-06-01T03:17:00Z') });
    assert.deepStrictEqual([...assumed], [ACCOUNT], 'the account was scanned as itself, through its role');
    assert.strictEqual(result.firstRun, true);
    assert.ok(result.fail > 0);
    assert.strictEqual(result.newFailing, result.fail);
    assert.strictEqual(result.jsonKey, `nightly/${ACCOUNT}/2026-06-01T03-17-00-000Z/report.json`);
    const report = JSON.parse(await read(result.jsonKey)) as Report;
    assert.strictEqual(report.input.path, `aws://${ACCOUNT}`);
    assert.strictEqual(report.summary.fail, result.fail);
    const sarif = JSON.parse(await read(result.sarifKey)) as Log;
    assert.strictEqual(sarif.version, '2.1.0');
    assert.strictEqual(sarif.runs[0].results?.length, report.findings.length, 'one SARIF result per finding');
    assert.deepStrictEqual(JSON.parse(await read(`nightly/${ACCOUNT}/latest.json`)), report, 'latest.json is the next baseline');
  });

  it('says so when the account cannot be read (its role denied), and writes no baseline from that run', async () => {
    const denied: ScanAccountSettings = {
      ...settings,
      prefix: 'denied',
      hooks: {
        ...settings.hooks,
        onClient: (client, scope) => {
          settings.hooks?.onClient?.(client, scope);
          // What STS answers when the scanner may not assume the member role.
          client.middlewareStack.add(
            (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
              if (context.commandName === 'GetCallerIdentityCommand') {
                throw Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
              }
              return next(args);
            },
            { step: 'initialize', name: 'denyAssumeRole' },
          );
        },
      },
    };
    const result = await scanAccountToBucket({ accountId: ACCOUNT, roleName: 'sescheck-audit', regions: [REGION] }, { ...denied, now: new Date('2026-06-01T04:00:00Z') });
    assert.match(result.notScanned ?? '', /AccessDenied on sts:GetCallerIdentity/);
    assert.strictEqual(result.fail, 0, 'nothing is judged failing (or passing): every check is unknown');
    assert.ok(result.unknown > 0);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `denied/${ACCOUNT}/` }));
    const keys = (listed.Contents ?? []).map((object) => object.Key);
    assert.ok(keys.includes(result.jsonKey), 'the report of the failed run is kept');
    assert.ok(!keys.includes(`denied/${ACCOUNT}/latest.json`), 'an unread account never becomes the baseline of the next run');
  });

  it('compares with the previous report from the bucket: nothing new, then the one new failure', async () => {
    const quiet = await scanAccountToBucket({ accountId: ACCOUNT, roleName: 'sescheck-audit', regions: [REGION] }, { ...settings, now: new Date('2026-06-02T03:17:00Z') });
    assert.deepStrictEqual([quiet.firstRun, quiet.newFailing, quiet.newFailingFindings], [false, 0, []]);

    // Someone adds a configuration set without TLS or event destinations.
    const ses = new SESv2Client({ endpoint: moto!.endpoint, region: REGION, credentials, maxAttempts: 1 });
    await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'campaigns' }));
    ses.destroy();
    const changed = await scanAccountToBucket({ accountId: ACCOUNT, roleName: 'sescheck-audit', regions: [REGION] }, { ...settings, now: new Date('2026-06-03T03:17:00Z') });
    assert.ok(changed.newFailing > 0);
    const campaigns = `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/campaigns`;
    assert.ok(changed.newFailingFindings.every((f) => f.endsWith(campaigns)), changed.newFailingFindings.join('\n'));
    assert.ok(changed.newFailingFindings.some((f) => f.startsWith('CS-004 ')));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `nightly/${ACCOUNT}/` }));
    assert.strictEqual(listed.KeyCount, 7, 'three runs of two reports each, and latest.json');
  });

  it('imports the findings to the account\'s own Security Hub when the item asks for it', async () => {
    const result = await scanAccountToBucket(
      { accountId: ACCOUNT, roleName: 'sescheck-audit', regions: [REGION], importSecurityHub: true },
      { ...settings, now: new Date('2026-06-04T03:17:00Z') },
    );
    assert.ok(result.securityHub);
    assert.deepStrictEqual(result.securityHub.problems, []);
    const hub = new SecurityHubClient({ endpoint: moto!.endpoint, region: REGION, credentials, maxAttempts: 1 });
    const imported = (await hub.send(new GetFindingsCommand({}))).Findings ?? [];
    hub.destroy();
    const report = JSON.parse(await read(result.jsonKey)) as Report;
    assert.strictEqual(imported.length, report.findings.filter((f) => (f.region ?? 'us-east-1') === REGION).length);
    assert.strictEqual(result.securityHub.imported, report.findings.length);
    assert.ok(imported.every((f) => f.AwsAccountId === ACCOUNT && f.ProductArn === `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`));
  });

  it('refuses an item without a valid account id', async () => {
    await assert.rejects(scanAccountToBucket({ accountId: '12', roleName: 'r', regions: [REGION] }, settings), /not a 12-digit AWS account id/);
  });
});

describe('scheduled scan Lambda: the account list (moto Organizations)', function () {
  this.timeout(120_000);
  let moto: MotoServer | undefined;
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto?.stop();
  });

  it('gives one map item per active account, with the role and regions', async () => {
    const organizations = new OrganizationsClient({ endpoint: moto!.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const member = (await organizations.send(new CreateAccountCommand({ AccountName: 'm', Email: 'm@example.com' }))).CreateAccountStatus?.AccountId as string;
    organizations.destroy();
    const { accounts } = await listAccounts({ roleName: 'sescheck-audit', regions: [REGION], excludeAccounts: [] }, { endpointUrl: moto!.endpoint });
    assert.deepStrictEqual(accounts, [ACCOUNT, member].sort().map((accountId) => ({ accountId, roleName: 'sescheck-audit', regions: [REGION] })));

    // What the state machine runs: the same items, written where the Distributed Map reads them.
    const s3 = new S3Client({ endpoint: moto!.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const list = await listAccountsToBucket({ roleName: 'sescheck-audit', regions: [REGION], executionName: 'nightly-2026-06-01' }, { bucket: BUCKET, endpointUrl: moto!.endpoint });
    assert.deepStrictEqual(list, { bucket: BUCKET, key: 'sescheck/account-lists/nightly-2026-06-01.json', count: 2 });
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: list.key }));
    assert.deepStrictEqual(JSON.parse((await object.Body?.transformToString('utf8')) as string), accounts);
    await assert.rejects(
      listAccountsToBucket({ roleName: 'sescheck-audit', regions: [REGION], executionName: '../x' }, { bucket: BUCKET, endpointUrl: moto!.endpoint }),
      /executionName must be a Step Functions execution name/,
    );
    s3.destroy();
  });
});
