import assert from 'assert';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateConfigurationSetCommand, CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { collectAccount } from '../../src/live/collect-account';
import { credentials } from './helpers';
import { startMoto, type MotoServer } from './moto';
import { ACCOUNT, REGION, seedReferenceSetup } from './seed';
import { answerMotoGaps } from './supplement';

/**
 * The cost of a scan grows with what is in the logging path (identities, configuration sets,
 * trails, the streams, buckets and log groups they write to), not with the size of the account:
 * docs/live.md states the calls per account and region, and this test counts them against moto.
 */
describe('API calls of a live scan (moto)', function () {
  this.timeout(240_000);
  let moto: MotoServer | undefined;

  before(async () => {
    moto = await startMoto();
    await seedReferenceSetup(moto.endpoint);
  });
  after(async () => {
    await moto?.stop();
  });

  async function countCalls(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    await collectAccount({
      regions: [REGION], credentials, endpointUrl: moto!.endpoint, maxAttempts: 1,
      hooks: { onCall: (action) => (counts[action] = (counts[action] ?? 0) + 1), onClient: answerMotoGaps },
    });
    return counts;
  }

  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

  it('makes as many calls in an account with 200 unrelated buckets, log groups and streams as without them', async () => {
    const before = await countCalls();
    const settings = { endpoint: moto!.endpoint, region: REGION, credentials, maxAttempts: 1 };
    const s3 = new S3Client({ ...settings, forcePathStyle: true });
    const logs = new CloudWatchLogsClient(settings);
    const firehose = new FirehoseClient(settings);
    for (let n = 0; n < 80; n++) {
      await s3.send(new CreateBucketCommand({ Bucket: `unrelated-${n}`, CreateBucketConfiguration: { LocationConstraint: REGION } }));
      await logs.send(new CreateLogGroupCommand({ logGroupName: `/unrelated/app-${n}` }));
    }
    for (let n = 0; n < 40; n++) {
      await firehose.send(new CreateDeliveryStreamCommand({
        DeliveryStreamName: `unrelated-${n}`,
        ExtendedS3DestinationConfiguration: { RoleARN: `arn:aws:iam::${ACCOUNT}:role/firehose`, BucketARN: `arn:aws:s3:::unrelated-${n}` },
      }));
    }
    [s3, logs, firehose].forEach((client) => client.destroy());
    const after = await countCalls();
    assert.deepStrictEqual(after, before);
    // The seeded reference setup in one region: the figure docs/live.md gives.
    assert.strictEqual(total(before), 34, JSON.stringify(before));
  });

  it('adds one call per identity and two per configuration set, and one notification call per 100 identities', async () => {
    const before = await countCalls();
    const ses = new SESv2Client({ endpoint: moto!.endpoint, region: REGION, credentials, maxAttempts: 1 });
    for (let n = 0; n < 20; n++) await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: `sender-${n}@example.net` }));
    for (let n = 0; n < 5; n++) await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: `set-${n}` }));
    ses.destroy();
    const after = await countCalls();
    const grown = Object.fromEntries(Object.keys(after).map((action) => [action, after[action] - (before[action] ?? 0)]).filter(([, d]) => d !== 0));
    assert.deepStrictEqual(grown, { 'ses:GetEmailIdentity': 20, 'ses:GetConfigurationSet': 5, 'ses:GetConfigurationSetEventDestinations': 5 });
  });
});
