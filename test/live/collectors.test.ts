import assert from 'assert';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListEventDataStoresCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  DescribeDeliveriesCommand,
  DescribeDeliveryDestinationsCommand,
  DescribeDeliverySourcesCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeArchiveCommand, EventBridgeClient, ListArchivesCommand, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetIdentityNotificationAttributesCommand, SESClient } from '@aws-sdk/client-ses';
import {
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetEmailIdentityCommand,
  ListConfigurationSetsCommand,
  ListEmailIdentitiesCommand,
  ListMultiRegionEndpointsCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListOrganizationsCommand, WorkMailClient } from '@aws-sdk/client-workmail';
import type { MetadataBearer } from '@smithy/types';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { collectAccount } from '../../src/live/collect-account';
import { READ_ONLY_POLICY, iamActionOf } from '../../src/live/iam-policy';
import { postureProblems } from '../../src/posture/validate';
import type { Posture } from '../../src/posture/types';
import { awsError, credentials, regionOf } from './helpers';
import { BlockedConnectionError, blockedConnections } from '../setup/network-guard';

const ACCOUNT = '111122223333';
const HOME_TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-wide`;
const LOCAL_TRAIL = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/local`;
const STORE = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:eventdatastore/0a1b2c3d-1111-2222-3333-444455556666`;
const STREAM = `arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/ses-events`;

// Response shapes from the AWS API references (CloudTrail, SES v2, SES, S3, CloudWatch Logs, Firehose, WorkMail, Account).
const multiRegionTrail = {
  Name: 'org-wide', TrailARN: HOME_TRAIL, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: false,
  S3BucketName: 'org-trail-logs', LogFileValidationEnabled: true, KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  HasCustomEventSelectors: true, IncludeGlobalServiceEvents: true,
};
const localTrail = {
  Name: 'local', TrailARN: LOCAL_TRAIL, HomeRegion: 'eu-west-1', IsMultiRegionTrail: false, IsOrganizationTrail: false,
  S3BucketName: 'local-trail-logs', LogFileValidationEnabled: false, HasCustomEventSelectors: true,
  CloudWatchLogsLogGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:trail/local:*`,
};

type Stub = AwsStub<object, MetadataBearer, object>;
let mocks: Stub[] = [];

function mock<T>(client: T): Stub {
  const stub = mockClient(client as never) as unknown as Stub;
  mocks.push(stub);
  return stub;
}

/** A consistent account: two regions, one denied call, everything else answered. */
function mockAccount(): Record<string, Stub> {
  const sts = mock(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/scanner/sescheck`, UserId: 'AROA:sescheck' });
  const cloudtrail = mock(CloudTrailClient);
  cloudtrail.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
    const region = await regionOf(getClient as never);
    return { trailList: region === 'eu-west-1' ? [multiRegionTrail, localTrail] : [multiRegionTrail] };
  });
  cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  cloudtrail.on(GetEventSelectorsCommand, { TrailName: HOME_TRAIL }).resolves({
    TrailARN: HOME_TRAIL,
    AdvancedEventSelectors: [
      { Name: 'ses', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::SES::EmailIdentity'] }, { Field: 'readOnly', NotEquals: ['false'] }] },
    ],
  });
  cloudtrail.on(GetEventSelectorsCommand, { TrailName: LOCAL_TRAIL }).rejects(awsError('AccessDeniedException', 'not authorized to perform cloudtrail:GetEventSelectors'));
  cloudtrail.on(ListEventDataStoresCommand).callsFake(async (_input, getClient) =>
    (await regionOf(getClient as never)) === 'eu-west-1' ? { EventDataStores: [{ EventDataStoreArn: STORE, Name: 'ses-lake' }] } : { EventDataStores: [] },
  );
  cloudtrail.on(GetEventDataStoreCommand).resolves({
    EventDataStoreArn: STORE, Name: 'ses-lake', Status: 'ENABLED', MultiRegionEnabled: false, OrganizationEnabled: false, RetentionPeriod: 400,
    AdvancedEventSelectors: [{ Name: 'ses', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::SES::ConfigurationSet'] }] }],
  });

  const sesv2 = mock(SESv2Client);
  sesv2.on(ListEmailIdentitiesCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
    if ((await regionOf(getClient as never)) !== 'eu-west-1') return { EmailIdentities: [] };
    return input.NextToken === 'page-2'
      ? { EmailIdentities: [{ IdentityType: 'EMAIL_ADDRESS', IdentityName: 'noreply@example.org', SendingEnabled: true }] }
      : { EmailIdentities: [{ IdentityType: 'DOMAIN', IdentityName: 'example.com', SendingEnabled: true }], NextToken: 'page-2' };
  });
  sesv2.on(GetEmailIdentityCommand, { EmailIdentity: 'example.com' }).resolves({ IdentityType: 'DOMAIN', ConfigurationSetName: 'ses-logging', VerifiedForSendingStatus: true });
  sesv2.on(GetEmailIdentityCommand, { EmailIdentity: 'noreply@example.org' }).resolves({ IdentityType: 'EMAIL_ADDRESS', VerifiedForSendingStatus: true });
  sesv2.on(ListConfigurationSetsCommand).callsFake(async (_input, getClient) =>
    (await regionOf(getClient as never)) === 'eu-west-1' ? { ConfigurationSets: ['ses-logging'] } : { ConfigurationSets: [] },
  );
  sesv2.on(ListMultiRegionEndpointsCommand).resolves({ MultiRegionEndpoints: [] });
  sesv2.on(GetConfigurationSetCommand).resolves({ ConfigurationSetName: 'ses-logging', DeliveryOptions: { TlsPolicy: 'REQUIRE' } });
  sesv2.on(GetConfigurationSetEventDestinationsCommand).resolves({
    EventDestinations: [
      {
        Name: 'to-firehose', Enabled: true,
        MatchingEventTypes: ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'RENDERING_FAILURE', 'DELIVERY_DELAY', 'SUBSCRIPTION'],
        KinesisFirehoseDestination: { IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/ses-firehose`, DeliveryStreamArn: STREAM },
      },
      { Name: 'to-sns', Enabled: false, MatchingEventTypes: ['BOUNCE'], SnsDestination: { TopicArn: `arn:aws:sns:eu-west-1:${ACCOUNT}:feedback` } },
    ],
  });
  const ses = mock(SESClient);
  ses.on(GetIdentityNotificationAttributesCommand).resolves({
    NotificationAttributes: {
      'example.com': { BounceTopic: `arn:aws:sns:eu-west-1:${ACCOUNT}:feedback`, ComplaintTopic: `arn:aws:sns:eu-west-1:${ACCOUNT}:feedback`, DeliveryTopic: '', ForwardingEnabled: false },
      // Unset topics come back as empty strings (the fields are required in the API model).
      'noreply@example.org': { BounceTopic: '', ComplaintTopic: '', DeliveryTopic: '', ForwardingEnabled: true },
    },
  });

  const logs = mock(CloudWatchLogsClient);
  logs.on(DescribeDeliverySourcesCommand).resolves({ deliverySources: [] });
  logs.on(DescribeDeliveryDestinationsCommand).resolves({ deliveryDestinations: [] });
  logs.on(DescribeDeliveriesCommand).resolves({ deliveries: [] });
  logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix?: string }) => ({
    logGroups: [
      { logGroupName: `${input.logGroupNamePrefix}-other`, retentionInDays: 1 },
      { logGroupName: input.logGroupNamePrefix, retentionInDays: input.logGroupNamePrefix === 'trail/local' ? 400 : undefined, logGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${input.logGroupNamePrefix}` },
    ],
  }));

  const firehose = mock(FirehoseClient);
  firehose.on(DescribeDeliveryStreamCommand).resolves({
    DeliveryStreamDescription: {
      DeliveryStreamName: 'ses-events', DeliveryStreamARN: STREAM, DeliveryStreamStatus: 'ACTIVE', DeliveryStreamType: 'DirectPut', VersionId: '1',
      HasMoreDestinations: false,
      Destinations: [{
        DestinationId: 'destinationId-000000000001',
        S3DestinationDescription: { RoleARN: 'r', BucketARN: 'arn:aws:s3:::ses-events-bucket', BufferingHints: {}, CompressionFormat: 'GZIP', EncryptionConfiguration: {} },
        ExtendedS3DestinationDescription: {
          RoleARN: 'r', BucketARN: 'arn:aws:s3:::ses-events-bucket', BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 128 }, CompressionFormat: 'GZIP',
          EncryptionConfiguration: {}, ErrorOutputPrefix: 'errors/', Prefix: 'ses/!{timestamp:yyyy/MM/dd}/',
          CloudWatchLoggingOptions: { Enabled: true, LogGroupName: '/aws/kinesisfirehose/ses-events', LogStreamName: 'S3Delivery' },
        },
      }],
    },
  });

  const s3 = mock(S3Client);
  s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'eu-west-1' });
  s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: 'org-trail-logs' }).resolves({ Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 400 } }] });
  s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: 'local-trail-logs' }).rejects(awsError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404));
  s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: 'ses-events-bucket' }).resolves({
    Rules: [{ ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 'expire', Value: 'yes' } }, Expiration: { Days: 90 } }],
  });
  // A bucket never versioned: S3 answers an empty VersioningConfiguration, with no Status.
  s3.on(GetBucketVersioningCommand).resolves({});
  // A bucket without Object Lock: S3 answers ObjectLockConfigurationNotFoundError.
  s3.on(GetObjectLockConfigurationCommand).rejects(awsError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404));
  s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404));
  s3.on(GetPublicAccessBlockCommand, { Bucket: 'org-trail-logs' }).resolves({
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  });
  s3.on(GetPublicAccessBlockCommand, { Bucket: 'ses-events-bucket' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
  const s3control = mock(S3ControlClient);
  s3control.on(GetAccountPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 'none', 404));

  const workmail = mock(WorkMailClient);
  workmail.on(ListOrganizationsCommand).callsFake(async (_input, getClient) =>
    (await regionOf(getClient as never)) === 'eu-west-1'
      ? {
          OrganizationSummaries: [
            { OrganizationId: 'm-1111aaaa2222bbbb3333cccc4444dddd', Alias: 'example', State: 'Active', DefaultMailDomain: 'example.awsapps.com' },
            { OrganizationId: 'm-9999aaaa2222bbbb3333cccc4444dddd', Alias: 'old', State: 'Deleted' },
          ],
        }
      : { OrganizationSummaries: [] },
  );
  return { sts, cloudtrail, sesv2, ses, logs, firehose, s3, s3control, workmail };
}

async function scan(regions: string[] | 'all' = ['eu-west-1', 'eu-central-1']): Promise<Posture> {
  return collectAccount({ regions, credentials, endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1 });
}

describe('live collectors (AWS API response shapes, mocked clients)', () => {
  let stubs: Record<string, Stub>;
  beforeEach(() => {
    stubs = mockAccount();
  });
  afterEach(() => {
    for (const stub of mocks) stub.restore();
    mocks = [];
  });

  it('produces a posture document that matches the schema', async () => {
    const posture = await scan();
    assert.deepStrictEqual(postureProblems(posture), []);
    assert.strictEqual(posture.source.kind, 'live');
    assert.strictEqual(posture.source.path, `aws://${ACCOUNT}`);
  });

  it('counts a multi-region trail once, in its home region, and reads it there', async () => {
    const posture = await scan();
    const trails = posture.trails.filter((t) => t.kind === 'trail');
    assert.deepStrictEqual(trails.map((t) => t.id).sort(), [LOCAL_TRAIL, HOME_TRAIL].sort());
    const home = trails.find((t) => t.id === HOME_TRAIL);
    assert.strictEqual(home?.region, 'us-east-1');
    assert.strictEqual(home?.multi_region, true);
    assert.strictEqual(home?.logging, true);
    assert.deepStrictEqual(home?.advanced_event_selectors[0].field_selectors.find((c) => c.field === 'readOnly'), { field: 'readOnly', not_equals: ['false'] });
    const selectorCalls = stubs.cloudtrail.commandCalls(GetEventSelectorsCommand);
    assert.strictEqual(selectorCalls.filter((c) => c.args[0].input.TrailName === HOME_TRAIL).length, 1);
    assert.strictEqual(await regionOf(() => selectorCalls.find((c) => c.args[0].input.TrailName === HOME_TRAIL)!.thisValue as never), 'us-east-1');
  });

  it('makes denied selectors unknown with the API and region, never empty, and notes it', async () => {
    const posture = await scan();
    const local = posture.trails.find((t) => t.id === LOCAL_TRAIL);
    const reason = 'AccessDeniedException on cloudtrail:GetEventSelectors in eu-west-1';
    assert.strictEqual(local?.unknown.advanced_event_selectors, reason);
    assert.strictEqual(local?.unknown.basic_event_selectors, reason);
    const note = posture.notes.find((n) => n.id === LOCAL_TRAIL);
    assert.deepStrictEqual(
      { service: note?.service, api: note?.api, region: note?.region, account: note?.account },
      { service: 'cloudtrail', api: 'GetEventSelectors', region: 'eu-west-1', account: ACCOUNT },
    );
    assert.match(note?.message ?? '', /^AccessDeniedException on cloudtrail:GetEventSelectors in eu-west-1: the event selectors of trail local are unknown/);
  });

  it("writes CloudTrail's default selector as no selectors (as the AWS provider reads it back), and keeps any other", async () => {
    const answers: [Record<string, unknown>, number][] = [
      [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }, 0],
      [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [], ExcludeManagementEventSources: [] }, 1],
      [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }, 1],
    ];
    for (const [selector, kept] of answers) {
      stubs.cloudtrail.on(GetEventSelectorsCommand, { TrailName: LOCAL_TRAIL }).resolves({ TrailARN: LOCAL_TRAIL, EventSelectors: [selector] });
      const local = (await scan()).trails.find((t) => t.id === LOCAL_TRAIL);
      assert.deepStrictEqual([local?.basic_event_selectors.length, local?.unknown], [kept, {}], JSON.stringify(selector));
    }
  });

  it('reads event data stores with GetEventDataStore, their retention period too', async () => {
    const store = (await scan()).trails.find((t) => t.id === STORE);
    assert.strictEqual(store?.retention_days, 400);
    assert.strictEqual(store?.kind, 'event_data_store');
    assert.strictEqual(store?.multi_region, false);
    assert.strictEqual(store?.logging, true);
    assert.strictEqual(store?.log_file_validation, null);
    assert.deepStrictEqual(store?.advanced_event_selectors[0].field_selectors[1], { field: 'resources.type', equals: ['AWS::SES::ConfigurationSet'] });
  });

  it('stands in for the trails of a region whose DescribeTrails is denied: single-region, every field unknown', async () => {
    stubs.cloudtrail.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
      if ((await regionOf(getClient as never)) === 'eu-central-1') throw awsError('AccessDeniedException');
      return { trailList: [multiRegionTrail] };
    });
    const posture = await scan();
    const stand = posture.trails.find((t) => t.id === `arn:aws:cloudtrail:eu-central-1:${ACCOUNT}:trail/*`);
    assert.ok(stand, 'a stand-in trail for eu-central-1');
    assert.strictEqual(stand.multi_region, false, 'multi-region trails show in every listed region');
    assert.strictEqual(stand.logging, null);
    assert.strictEqual(stand.unknown.advanced_event_selectors, 'AccessDeniedException on cloudtrail:DescribeTrails in eu-central-1');
    assert.deepStrictEqual(postureProblems(posture), []);
  });

  it('reads identities over every page, their default configuration set and feedback topics', async () => {
    const posture = await scan();
    const [domain, email] = posture.identities;
    assert.strictEqual(domain.id, `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/example.com`);
    assert.strictEqual(domain.kind, 'domain');
    assert.strictEqual(domain.default_configuration_set_name, 'ses-logging');
    assert.strictEqual(domain.default_configuration_set, `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/ses-logging`);
    assert.deepStrictEqual(domain.notification_topics.map((t) => t.type), ['BOUNCE', 'COMPLAINT']);
    assert.strictEqual(domain.feedback_forwarding_enabled, false);
    assert.strictEqual(email.identity, 'noreply@example.org');
    assert.strictEqual(email.kind, 'email');
    assert.strictEqual(email.default_configuration_set_name, null);
    assert.deepStrictEqual(email.unknown, {});
  });

  it("does not read another account's Firehose stream by its name here: unknown, never a same-named local stream", async () => {
    const elsewhere = 'arn:aws:firehose:eu-west-1:444455556666:deliverystream/ses-events';
    stubs.sesv2.on(GetConfigurationSetEventDestinationsCommand).resolves({
      EventDestinations: [{ Name: 'firehose', Enabled: true, MatchingEventTypes: ['SEND'], KinesisFirehoseDestination: { IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/ses-firehose`, DeliveryStreamArn: elsewhere } }],
    });
    const posture = await scan(['eu-west-1']);
    const stream = posture.firehose_streams.find((s) => s.arn === elsewhere);
    assert.ok(stream, 'a stand-in for the stream');
    assert.strictEqual(stream.destination, null);
    assert.match(stream.unknown.destination ?? '', /is in account 444455556666, not the scanned account/);
    assert.strictEqual(stream.exists, undefined, 'not said to be missing');
    assert.ok(!stubs.firehose.commandCalls(DescribeDeliveryStreamCommand).some((call) => call.args[0].input.DeliveryStreamName === 'ses-events'), 'no DescribeDeliveryStream for it');
  });

  it('maps SES v2 event destinations and follows Firehose to its bucket and error log group', async () => {
    const posture = await scan();
    const [set] = posture.configuration_sets;
    assert.strictEqual(set.tls_policy, 'REQUIRE');
    const [firehose, sns] = set.event_destinations;
    assert.deepStrictEqual(
      [firehose.destination_type, firehose.enabled, firehose.firehose_stream, firehose.event_types?.length],
      ['kinesis_firehose', true, STREAM, 8],
    );
    assert.deepStrictEqual([sns.destination_type, sns.enabled, sns.sns_topic_arn], ['sns', false, `arn:aws:sns:eu-west-1:${ACCOUNT}:feedback`]);
    const [stream] = posture.firehose_streams;
    assert.deepStrictEqual(
      [stream.destination, stream.compression_format, stream.error_output_prefix, stream.prefix, stream.s3_bucket, stream.cloudwatch_logging.enabled],
      ['extended_s3', 'GZIP', 'errors/', 'ses/!{timestamp:yyyy/MM/dd}/', 'arn:aws:s3:::ses-events-bucket', true],
    );
    assert.strictEqual(stream.cloudwatch_logging.log_group, `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/kinesisfirehose/ses-events`);
  });

  it('reads only the buckets and log groups in the logging path, with S3 absences as answers', async () => {
    const posture = await scan();
    assert.deepStrictEqual(posture.s3_buckets.map((b) => b.name).sort(), ['local-trail-logs', 'org-trail-logs', 'ses-events-bucket']);
    const local = posture.s3_buckets.find((b) => b.name === 'local-trail-logs');
    assert.deepStrictEqual([local?.lifecycle_rules, local?.public_access_block, local?.public_access_block_source, local?.unknown], [[], null, null, {}]);
    const org = posture.s3_buckets.find((b) => b.name === 'org-trail-logs');
    assert.deepStrictEqual(org?.lifecycle_rules, [{
      id: 'expire', enabled: true, prefix: 'AWSLogs/', expiration_days: 400, expiration_date: null, noncurrent_expiration_days: null,
      noncurrent_newer_versions: null, tag_filter: false, object_size_greater_than: null, object_size_less_than: null, unknown: {},
    }]);
    assert.deepStrictEqual([org?.mfa_delete, org?.object_lock_retention_days], [false, null], 'no MFADelete and no Object Lock configuration are answers');
    assert.strictEqual(org?.public_access_block_source, 'live');
    const events = posture.s3_buckets.find((b) => b.name === 'ses-events-bucket');
    assert.strictEqual(events?.unknown.public_access_block, 'AccessDenied on s3:GetBucketPublicAccessBlock in eu-west-1');
    assert.deepStrictEqual([events?.lifecycle_rules[0].prefix, events?.lifecycle_rules[0].tag_filter], [null, true]);
    assert.deepStrictEqual(posture.account_public_access_blocks, [], 'no account configuration is none, not unknown');
    const trail = posture.trails.find((t) => t.id === LOCAL_TRAIL);
    assert.strictEqual(trail?.s3_bucket, 'arn:aws:s3:::local-trail-logs');
    assert.strictEqual(trail?.log_group, `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:trail/local`);
    const groups = posture.log_groups.map((g) => [g.name, g.retention_in_days]);
    assert.deepStrictEqual(groups.sort(), [['/aws/kinesisfirehose/ses-events', null], ['trail/local', 400]]);
  });

  describe('accounts: an organization trail of another account, a bucket whose owner cannot be read', () => {
    const MANAGEMENT = '999988887777';
    const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/organization`;
    let engine: PolicyEngine;
    before(async () => {
      engine = await PolicyEngine.load();
    });

    function findingsOf(posture: Posture, rule: string): { resource: string; status: string; message: string }[] {
      return engine.evaluate(posture, defaultSettings()).findings.filter((f) => f.rule_id === rule);
    }

    it('credits the organization trail a member account lists to that account', async () => {
      const organizationTrail = { ...multiRegionTrail, Name: 'organization', TrailARN: ORG_TRAIL, IsOrganizationTrail: true, S3BucketName: 'org-trail-logs' };
      stubs.cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [organizationTrail] });
      stubs.cloudtrail.on(GetEventSelectorsCommand, { TrailName: ORG_TRAIL }).resolves({
        TrailARN: ORG_TRAIL,
        AdvancedEventSelectors: [
          { Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
          { Name: 'ses', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::SES::EmailIdentity'] }] },
        ],
      });
      const posture = await scan(['eu-west-1']);
      const trail = posture.trails.find((t) => t.id === ORG_TRAIL);
      assert.strictEqual(trail?.account, MANAGEMENT);
      assert.deepStrictEqual(trail?.organization_member_accounts, [ACCOUNT]);
      assert.deepStrictEqual(postureProblems(posture), []);
      assert.deepStrictEqual(findingsOf(posture, 'CT-001'), [], 'the member account is covered');
      assert.deepStrictEqual(findingsOf(posture, 'CT-003'), []);
      // Without the membership the member account's listing gives, the trail of another account is unknown.
      delete trail?.organization_member_accounts;
      assert.deepStrictEqual(findingsOf(posture, 'CT-001').map((f) => f.status), ['unknown']);
      assert.match(findingsOf(posture, 'CT-001')[0].message, /organization trail of account 999988887777; whether account 111122223333 is a member is not in the input/);
    });

    it("does not count the account's public access block for a bucket whose owner check is denied", async () => {
      stubs.s3.on(GetBucketLocationCommand, { Bucket: 'org-trail-logs' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
      stubs.s3.on(GetPublicAccessBlockCommand, { Bucket: 'org-trail-logs' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
      stubs.s3control.on(GetAccountPublicAccessBlockCommand).resolves({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      });
      const posture = await scan(['eu-west-1']);
      const bucket = posture.s3_buckets.find((b) => b.name === 'org-trail-logs');
      assert.strictEqual(bucket?.account, null);
      assert.match(bucket?.unknown.account ?? '', /AccessDenied on s3:GetBucketLocation/);
      const found = findingsOf(posture, 'CT-008').filter((f) => f.resource === 'arn:aws:s3:::org-trail-logs');
      assert.deepStrictEqual(found.map((f) => f.status), ['unknown']);
      assert.match(found[0].message, /whether the bucket \(an unnamed account \(AccessDenied on s3:GetBucketLocation[^)]*\)\) is in the account of .* \(account 111122223333\) is unknown/);
    });
  });

  it('puts the regions of an SES global endpoint in scope, and a denied list makes them unknown', async () => {
    stubs.sesv2.on(ListMultiRegionEndpointsCommand).callsFake(async (_input, getClient) =>
      (await regionOf(getClient as never)) === 'eu-west-1'
        ? { MultiRegionEndpoints: [{ EndpointName: 'global', EndpointId: 'abc', Status: 'READY', Regions: ['eu-west-1', 'us-west-2'] }] }
        : { MultiRegionEndpoints: [] },
    );
    const posture = await scan();
    assert.deepStrictEqual(posture.multi_region_endpoints, [{
      id: `arn:aws:ses:eu-west-1:${ACCOUNT}:multi-region-endpoint/global`, account: ACCOUNT, region: 'eu-west-1', location: null, unknown: {},
      name: 'global', regions: ['eu-west-1', 'us-west-2'],
    }]);
    assert.deepStrictEqual(postureProblems(posture), []);
    const engine = await PolicyEngine.load();
    const checked = engine.evaluate(posture, defaultSettings()).checked.filter((c) => c.rule_id === 'CT-003').map((c) => c.resource);
    assert.ok(checked.includes(`aws://${ACCOUNT}/us-west-2`), 'the secondary region is judged though it was not scanned');

    stubs.sesv2.on(ListMultiRegionEndpointsCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    const denied = await scan(['eu-west-1']);
    assert.deepStrictEqual(denied.multi_region_endpoints?.map((e) => [e.id, e.regions, e.unknown.regions]), [
      [`arn:aws:ses:eu-west-1:${ACCOUNT}:multi-region-endpoint/*`, null, 'AccessDeniedException on ses:ListMultiRegionEndpoints in eu-west-1'],
    ]);
  });

  describe('bucket versioning (a versioned bucket keeps expired logs as previous versions)', () => {
    const BUCKET = 'arn:aws:s3:::org-trail-logs';
    let engine: PolicyEngine;
    before(async () => {
      engine = await PolicyEngine.load();
    });

    /** RT-001's answer for the org trail's bucket: a finding's status, or pass when it was checked without one. */
    function rt001(posture: Posture): { status: string; message?: string } {
      const { findings, checked } = engine.evaluate(posture, defaultSettings());
      const found = findings.filter((f) => f.rule_id === 'RT-001' && f.resource === BUCKET);
      assert.ok(found.length <= 1, JSON.stringify(found));
      if (found.length) return { status: found[0].status, message: found[0].message };
      assert.ok(checked.some((c) => c.rule_id === 'RT-001' && c.resource === BUCKET), 'RT-001 judged the bucket');
      return { status: 'pass' };
    }

    beforeEach(() => {
      // A whole-bucket 400-day expiration: within the bounds for the current versions.
      stubs.s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: 'org-trail-logs' }).resolves({ Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 400 } }] });
    });

    it('reads an absent Status as never versioned (Disabled): expiration alone passes', async () => {
      const posture = await scan(['eu-west-1']);
      assert.deepStrictEqual(posture.s3_buckets.map((b) => [b.name, b.versioning, b.unknown.versioning]).sort(), [
        ['local-trail-logs', 'Disabled', undefined], ['org-trail-logs', 'Disabled', undefined], ['ses-events-bucket', 'Disabled', undefined],
      ]);
      const calls = stubs.s3.commandCalls(GetBucketVersioningCommand);
      assert.deepStrictEqual(calls.map((c) => c.args[0].input).find((i) => i.Bucket === 'org-trail-logs'), { Bucket: 'org-trail-logs', ExpectedBucketOwner: ACCOUNT });
      assert.deepStrictEqual(await Promise.all(calls.map((c) => regionOf(() => c.thisValue as never))), ['eu-west-1', 'eu-west-1', 'eu-west-1'], 'asked in the bucket\'s region');
      assert.deepStrictEqual(rt001(posture), { status: 'pass' });
    });

    it('fails an Enabled bucket whose rules expire only current versions', async () => {
      stubs.s3.on(GetBucketVersioningCommand, { Bucket: 'org-trail-logs' }).resolves({ Status: 'Enabled', MFADelete: 'Disabled' });
      const posture = await scan(['eu-west-1']);
      const org = posture.s3_buckets.find((b) => b.name === 'org-trail-logs');
      assert.deepStrictEqual([org?.versioning, org?.lifecycle_rules[0].noncurrent_expiration_days], ['Enabled', null]);
      const verdict = rt001(posture);
      assert.strictEqual(verdict.status, 'fail');
      assert.match(verdict.message ?? '', /is versioned \(Enabled\).*no enabled rule covering them has a noncurrent_version_expiration/);
    });

    it('maps NoncurrentVersionExpiration to noncurrent_expiration_days, judged for a Suspended bucket too', async () => {
      stubs.s3.on(GetBucketVersioningCommand, { Bucket: 'org-trail-logs' }).resolves({ Status: 'Suspended' });
      const rule = { ID: 'expire', Status: 'Enabled' as const, Filter: { Prefix: '' }, Expiration: { Days: 400 } };
      stubs.s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: 'org-trail-logs' }).resolves({ Rules: [{ ...rule, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] });
      const within = await scan(['eu-west-1']);
      const org = within.s3_buckets.find((b) => b.name === 'org-trail-logs');
      assert.deepStrictEqual([org?.versioning, org?.lifecycle_rules[0].noncurrent_expiration_days], ['Suspended', 30]);
      assert.deepStrictEqual(rt001(within), { status: 'pass' });
      // 400 + 200 days in all is past the 540-day maximum.
      stubs.s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: 'org-trail-logs' }).resolves({ Rules: [{ ...rule, NoncurrentVersionExpiration: { NoncurrentDays: 200 } }] });
      const beyond = rt001(await scan(['eu-west-1']));
      assert.strictEqual(beyond.status, 'fail');
      assert.match(beyond.message ?? '', /600 days in all, more than the 540-day maximum/);
    });

    it('makes denied versioning unknown naming the API and region, notes it, and never passes', async () => {
      stubs.s3.on(GetBucketVersioningCommand, { Bucket: 'org-trail-logs' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
      const posture = await scan(['eu-west-1']);
      assert.deepStrictEqual(postureProblems(posture), []);
      const reason = 'AccessDenied on s3:GetBucketVersioning in eu-west-1';
      const org = posture.s3_buckets.find((b) => b.name === 'org-trail-logs');
      assert.deepStrictEqual([org?.versioning, org?.unknown.versioning], [null, reason]);
      const note = posture.notes.find((n) => n.id === BUCKET);
      assert.deepStrictEqual(
        { service: note?.service, api: note?.api, region: note?.region, account: note?.account },
        { service: 's3', api: 'GetBucketVersioning', region: 'eu-west-1', account: ACCOUNT },
      );
      assert.match(note?.message ?? '', /^AccessDenied on s3:GetBucketVersioning in eu-west-1: whether bucket org-trail-logs is versioned is unknown/);
      const verdict = rt001(posture);
      assert.strictEqual(verdict.status, 'unknown');
      assert.ok(verdict.message?.includes(reason), verdict.message);
    });

    it('keeps a status it does not know as unknown, not as unversioned', async () => {
      stubs.s3.on(GetBucketVersioningCommand, { Bucket: 'org-trail-logs' }).resolves({ Status: 'Paused' as never });
      const posture = await scan(['eu-west-1']);
      const org = posture.s3_buckets.find((b) => b.name === 'org-trail-logs');
      assert.strictEqual(org?.versioning, null);
      assert.match(org?.unknown.versioning ?? '', /unrecognized status "Paused"/);
      assert.strictEqual(rt001(posture).status, 'unknown');
    });

    it('reads MFADelete: S3 Lifecycle does not run on an MFA delete-enabled bucket, so RT-001 fails', async () => {
      stubs.s3.on(GetBucketVersioningCommand, { Bucket: 'org-trail-logs' }).resolves({ Status: 'Enabled', MFADelete: 'Enabled' });
      const posture = await scan(['eu-west-1']);
      assert.strictEqual(posture.s3_buckets.find((b) => b.name === 'org-trail-logs')?.mfa_delete, true);
      const verdict = rt001(posture);
      assert.strictEqual(verdict.status, 'fail');
      assert.match(verdict.message ?? '', /has MFA delete enabled: S3 Lifecycle does not run on an MFA delete-enabled bucket/);
    });

    it('reads the Object Lock default retention (years as 365 days), and a denied call as unknown', async () => {
      stubs.s3.on(GetObjectLockConfigurationCommand, { Bucket: 'org-trail-logs' }).resolves({
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } } },
      });
      const locked = await scan(['eu-west-1']);
      assert.strictEqual(locked.s3_buckets.find((b) => b.name === 'org-trail-logs')?.object_lock_retention_days, 2555);
      const calls = stubs.s3.commandCalls(GetObjectLockConfigurationCommand).map((c) => c.args[0].input);
      assert.ok(calls.some((input) => input.Bucket === 'org-trail-logs' && input.ExpectedBucketOwner === ACCOUNT));
      const verdict = rt001(locked);
      assert.strictEqual(verdict.status, 'fail');
      assert.match(verdict.message ?? '', /locks every new object version for 2555 days by default \(Object Lock\)/);

      stubs.s3.on(GetObjectLockConfigurationCommand, { Bucket: 'org-trail-logs' }).rejects(awsError('AccessDenied', 'Access Denied', 403));
      const denied = await scan(['eu-west-1']);
      const org = denied.s3_buckets.find((b) => b.name === 'org-trail-logs');
      assert.deepStrictEqual([org?.object_lock_retention_days, org?.unknown.object_lock_retention_days], [null, 'AccessDenied on s3:GetBucketObjectLockConfiguration in eu-west-1']);
      assert.strictEqual(rt001(denied).status, 'unknown');
    });

    it('maps an expiration date, NewerNoncurrentVersions and size filters, and judges the rules against the trail\'s key prefix', async () => {
      stubs.s3.on(GetBucketVersioningCommand, { Bucket: 'org-trail-logs' }).resolves({ Status: 'Enabled' });
      stubs.s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: 'org-trail-logs' }).resolves({ Rules: [
        { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'org/AWSLogs/' }, Expiration: { Days: 400 }, NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 5 } },
        { ID: 'purge', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Date: new Date('2027-01-01T00:00:00Z') } },
        { ID: 'big', Status: 'Enabled', Filter: { And: { Prefix: 'org/', ObjectSizeGreaterThan: 1048576 } }, Expiration: { Days: 800 } },
      ] });
      stubs.cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [{ ...multiRegionTrail, S3KeyPrefix: 'org' }] });
      const posture = await scan(['eu-west-1']);
      assert.strictEqual(posture.trails.find((t) => t.id === HOME_TRAIL)?.s3_key_prefix, 'org');
      const rules = posture.s3_buckets.find((b) => b.name === 'org-trail-logs')?.lifecycle_rules ?? [];
      assert.deepStrictEqual(rules.map((r) => [r.id, r.prefix, r.expiration_days, r.expiration_date, r.noncurrent_newer_versions, r.object_size_greater_than]), [
        ['logs', 'org/AWSLogs/', 400, null, 5, null],
        ['purge', 'tmp/', null, '2027-01-01T00:00:00.000Z', null, null],
        ['big', 'org/', 800, null, null, 1048576],
      ]);
      // org/AWSLogs/ covers the trail's logs, tmp/ misses them; the 5 newest previous versions stay forever.
      const verdict = rt001(posture);
      assert.strictEqual(verdict.status, 'fail');
      assert.match(verdict.message ?? '', /lifecycle rule "logs" keeps the 5 newest previous versions of each object forever/);
      assert.doesNotMatch(verdict.message ?? '', /purge/);
    });
  });

  it('reads a delivery\'s S3 suffix path and Hive-compatible setting', async () => {
    stubs.logs.on(DescribeDeliveriesCommand).resolves({ deliveries: [{
      id: 'abc', arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:delivery:abc`, deliverySourceName: 'auth',
      deliveryDestinationArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:delivery-destination:audit`, deliveryDestinationType: 'S3',
      s3DeliveryConfiguration: { suffixPath: 'workmail/{yyyy}/{MM}', enableHiveCompatiblePath: false },
    }] });
    const posture = await scan(['eu-west-1']);
    assert.deepStrictEqual(postureProblems(posture), []);
    assert.deepStrictEqual(posture.deliveries.map((d) => [d.s3_suffix_path, d.s3_hive_compatible_path]), [['workmail/{yyyy}/{MM}', false]]);
  });

  it('lists WorkMail organizations only where WorkMail is offered, leaving deleted ones out', async () => {
    const posture = await scan();
    assert.deepStrictEqual(posture.workmail_organizations.map((o) => o.arn), [`arn:aws:workmail:eu-west-1:${ACCOUNT}:organization/m-1111aaaa2222bbbb3333cccc4444dddd`]);
    const regions = await Promise.all(stubs.workmail.commandCalls(ListOrganizationsCommand).map((c) => regionOf(() => c.thisValue as never)));
    assert.deepStrictEqual(regions, ['eu-west-1'], 'eu-central-1 does not offer WorkMail');
  });

  it('turns throttling past the retries into unknown, and a denied list into a stand-in identity', async () => {
    stubs.sesv2.on(ListEmailIdentitiesCommand).rejects(awsError('TooManyRequestsException', 'Too many requests', 429));
    const posture = await scan(['eu-west-1']);
    const [stand] = posture.identities;
    assert.strictEqual(stand.id, `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/*`);
    assert.strictEqual(stand.region, 'eu-west-1');
    assert.strictEqual(stand.unknown.default_configuration_set_name, 'TooManyRequestsException on ses:ListEmailIdentities in eu-west-1');
    assert.deepStrictEqual(postureProblems(posture), []);
  });

  it('asks for feedback attributes 100 identities at a time, and for buckets as their owner', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `user${i}@example.com`);
    stubs.sesv2.on(ListEmailIdentitiesCommand).resolves({ EmailIdentities: names.map((IdentityName) => ({ IdentityName, IdentityType: 'EMAIL_ADDRESS' })) });
    stubs.sesv2.on(GetEmailIdentityCommand).resolves({ IdentityType: 'EMAIL_ADDRESS' });
    stubs.ses.on(GetIdentityNotificationAttributesCommand).callsFake((input: { Identities: string[] }) => ({
      NotificationAttributes: Object.fromEntries(input.Identities.map((i) => [i, { BounceTopic: '', ComplaintTopic: '', DeliveryTopic: '', ForwardingEnabled: true }])),
    }));
    const posture = await scan(['eu-west-1']);
    assert.deepStrictEqual(stubs.ses.commandCalls(GetIdentityNotificationAttributesCommand).map((c) => c.args[0].input.Identities?.length), [100, 50]);
    assert.strictEqual(posture.identities.filter((i) => i.feedback_forwarding_enabled === true).length, 150);
    for (const call of stubs.s3.calls()) assert.strictEqual((call.args[0].input as { ExpectedBucketOwner?: string }).ExpectedBucketOwner, ACCOUNT);
  });

  it('scans the enabled regions with --all-regions', async () => {
    const account = mock(AccountClient);
    account.on(ListRegionsCommand).resolves({ Regions: [{ RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }, { RegionName: 'af-south-1', RegionOptStatus: 'ENABLED' }] });
    await scan('all');
    assert.deepStrictEqual(account.commandCalls(ListRegionsCommand)[0].args[0].input.RegionOptStatusContains, ['ENABLED', 'ENABLED_BY_DEFAULT']);
    const regions = await Promise.all(stubs.cloudtrail.commandCalls(DescribeTrailsCommand).map((c) => regionOf(() => c.thisValue as never)));
    assert.deepStrictEqual(regions.sort(), ['af-south-1', 'eu-west-1']);
  });

  it('marks every region of an account it cannot enter as unknown', async () => {
    stubs.sts.on(GetCallerIdentityCommand).rejects(awsError('InvalidClientTokenId', 'The security token included in the request is invalid', 403));
    const posture = await scan(['eu-west-1']);
    assert.deepStrictEqual(postureProblems(posture), []);
    assert.strictEqual(posture.trails.length, 2);
    assert.ok(posture.trails.every((t) => t.multi_region === null && t.unknown.multi_region?.startsWith('InvalidClientTokenId on sts:GetCallerIdentity')));
    assert.strictEqual(posture.identities[0].region, 'eu-west-1');
  });

  it('takes an answer without its list (or an STS answer without the account) as a fault, not as nothing there', async () => {
    stubs.sesv2.on(ListConfigurationSetsCommand).resolves({});
    stubs.logs.on(DescribeDeliveriesCommand).resolves({ nextToken: undefined });
    const posture = await scan(['eu-west-1']);
    const [set] = posture.configuration_sets;
    assert.strictEqual(set.id, `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/*`);
    assert.strictEqual(set.unknown.event_destinations, 'IncompleteAnswer on ses:ListConfigurationSets in eu-west-1 (the answer has no ConfigurationSets)');
    assert.strictEqual(posture.deliveries[0].unknown.delivery_source_name, 'IncompleteAnswer on logs:DescribeDeliveries in eu-west-1 (the answer has no deliveries)');

    stubs.sts.on(GetCallerIdentityCommand).resolves({});
    stubs.cloudtrail.resetHistory();
    const unreadable = await scan(['eu-west-1']);
    assert.strictEqual(unreadable.source.path, 'aws://unknown-account');
    assert.ok(unreadable.trails.every((t) => t.unknown.multi_region === 'IncompleteAnswer on sts:GetCallerIdentity in eu-west-1 (the answer has no Account)'));
    assert.strictEqual(stubs.cloudtrail.commandCalls(DescribeTrailsCommand).length, 0, 'nothing scanned under an invented account');
  });

  it('does not swallow a bug in its own code as an unknown', async () => {
    stubs.cloudtrail.on(GetTrailStatusCommand).callsFake(() => {
      throw new TypeError('cannot read properties of undefined');
    });
    await assert.rejects(scan(['eu-west-1']), TypeError);
  });
});

describe('network guard for the live tests', () => {
  it('refuses a connection to a real AWS endpoint and records it', async () => {
    const s3 = new S3Client({ region: 'us-east-1', credentials, maxAttempts: 1 });
    await assert.rejects(s3.send(new GetBucketLocationCommand({ Bucket: 'sescheck-guard-test' })), (error: Error) => {
      return error instanceof BlockedConnectionError || /only 127.0.0.1 is allowed/.test(String(error.message));
    });
    assert.ok(blockedConnections.includes('s3.amazonaws.com') || blockedConnections.some((h) => h.endsWith('amazonaws.com')));
    blockedConnections.splice(0);
  });
});

describe('live: where SES events go, identities that cannot send, a broken logging path', () => {
  const BUS = `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`;
  let stubs: Record<string, Stub>;
  let engine: PolicyEngine;
  before(async () => {
    engine = await PolicyEngine.load();
  });
  beforeEach(() => {
    stubs = mockAccount();
  });
  afterEach(() => {
    for (const stub of mocks) stub.restore();
    mocks = [];
  });

  function findings(posture: Posture, rule: string): string[] {
    assert.deepStrictEqual(postureProblems(posture), []);
    return engine.evaluate(posture, defaultSettings()).findings
      .filter((f) => f.rule_id === rule)
      .map((f) => `${f.status} ${f.resource}: ${f.message}`);
  }

  /** The configuration set publishes to EventBridge only; the default bus has an SES rule and an EC2 rule. */
  function eventBridgeAccount(archiveDays: number): Stub {
    stubs.sesv2.on(GetConfigurationSetEventDestinationsCommand).resolves({
      EventDestinations: [{
        Name: 'to-eventbridge', Enabled: true,
        MatchingEventTypes: ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'RENDERING_FAILURE', 'DELIVERY_DELAY'],
        EventBridgeDestination: { EventBusArn: BUS },
      }],
    });
    const events = mock(EventBridgeClient);
    events.on(ListArchivesCommand).resolves({ Archives: [{ ArchiveName: 'ses', EventSourceArn: BUS, State: 'ENABLED', RetentionDays: archiveDays }] });
    events.on(DescribeArchiveCommand).resolves({
      ArchiveName: 'ses', ArchiveArn: `arn:aws:events:eu-west-1:${ACCOUNT}:archive/ses`, EventSourceArn: BUS,
      EventPattern: '{"source":["aws.ses"]}', State: 'ENABLED', RetentionDays: archiveDays,
    });
    events.on(ListRulesCommand).resolves({
      Rules: [
        { Name: 'ses-to-sns', Arn: `arn:aws:events:eu-west-1:${ACCOUNT}:rule/ses-to-sns`, EventPattern: '{"source":["aws.ses"]}', State: 'ENABLED', EventBusName: 'default' },
        { Name: 'ec2', Arn: `arn:aws:events:eu-west-1:${ACCOUNT}:rule/ec2`, EventPattern: '{"source":["aws.ec2"]}', State: 'ENABLED', EventBusName: 'default' },
      ],
    });
    events.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: 'alerts', Arn: `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts` }] });
    return events;
  }

  it('reads the bus an EventBridge destination names: an archive within the bounds stores the events', async () => {
    const events = eventBridgeAccount(400);
    const posture = await scan(['eu-west-1']);
    // Mocked clients skip the middleware that records calls: check each command's action directly.
    const allowed = new Set<string>(READ_ONLY_POLICY.Statement[0].Action);
    const called = [
      [ListArchivesCommand.name, events.commandCalls(ListArchivesCommand).length],
      [DescribeArchiveCommand.name, events.commandCalls(DescribeArchiveCommand).length],
      [ListRulesCommand.name, events.commandCalls(ListRulesCommand).length],
      [ListTargetsByRuleCommand.name, events.commandCalls(ListTargetsByRuleCommand).length],
    ] as const;
    for (const [command, calls] of called) {
      assert.ok(calls > 0, `${command} called`);
      assert.ok(allowed.has(iamActionOf(EventBridgeClient.name, command)), `${command} in the read-only policy`);
    }
    const bus = posture.event_buses?.[0];
    assert.deepStrictEqual([bus?.id, bus?.complete, bus?.archives.map((a) => [a.name, a.retention_days, a.event_pattern])], [BUS, true, [['ses', 400, '{"source":["aws.ses"]}']]]);
    assert.strictEqual(posture.configuration_sets[0].event_destinations[0].event_bus, BUS);
    // Targets are read only for the rule that may match SES events.
    assert.deepStrictEqual(events.commandCalls(ListTargetsByRuleCommand).map((call) => call.args[0].input.Rule), ['ses-to-sns']);
    assert.deepStrictEqual(findings(posture, 'CS-003'), []);
    assert.deepStrictEqual(findings(posture, 'CS-002'), []);
  });

  it('fails a bus whose archive keeps events too briefly and whose SES rule only notifies SNS', async () => {
    eventBridgeAccount(7);
    const posture = await scan(['eu-west-1']);
    const [finding] = findings(posture, 'CS-003');
    assert.match(finding, /^fail .*configuration-set\/ses-logging: .*archive ses: it keeps events 7 days, below the 35 days minimum; rule ses-to-sns: no target stores events/);
  });

  it("keeps an archive's pattern nested past 1000 levels out of the rules: unknown, with why (the wasm parser would overflow)", async () => {
    const events = eventBridgeAccount(400);
    const deep = `{"source":["aws.ses"],"detail":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    events.on(DescribeArchiveCommand).resolves({ ArchiveName: 'ses', EventSourceArn: BUS, EventPattern: deep, State: 'ENABLED', RetentionDays: 400 });
    const posture = await scan(['eu-west-1']);
    const archive = posture.event_buses?.[0].archives[0];
    assert.deepStrictEqual([archive?.event_pattern, archive?.retention_days, archive?.unknown], [null, 400, { event_pattern: 'nested deeper than 1000 levels, more than sescheck reads' }]);
    const [finding] = findings(posture, 'CS-003');
    assert.match(finding, /its event pattern is unknown \(nested deeper than 1000 levels, more than sescheck reads\)/);
  });

  it('makes the bus unknown when a page of its rules gives the same token again (hand-paged, it would call forever)', async () => {
    const events = eventBridgeAccount(7);
    events.on(ListRulesCommand).resolves({ Rules: [], NextToken: 'again' });
    const posture = await scan(['eu-west-1']);
    assert.strictEqual(events.commandCalls(ListRulesCommand).length, 2, 'the second page stops the list');
    assert.match(JSON.stringify(posture.notes), /events:ListRules.*the same page token came back twice/);
  });

  it('makes the bus unknown, naming the API, when its rules cannot be listed', async () => {
    const events = eventBridgeAccount(7);
    events.on(ListRulesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform events:ListRules'));
    const posture = await scan(['eu-west-1']);
    const [finding] = findings(posture, 'CS-003');
    assert.match(finding, /^unknown .*AccessDeniedException on events:ListRules in eu-west-1/);
  });

  it('lists an identity that cannot send as not judged, in a note, not as failed', async () => {
    stubs.sesv2.on(ListEmailIdentitiesCommand).resolves({
      EmailIdentities: [{ IdentityType: 'DOMAIN', IdentityName: 'pending.example.com', SendingEnabled: false, VerificationStatus: 'PENDING' }],
    });
    stubs.sesv2.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', VerifiedForSendingStatus: false });
    stubs.ses.on(GetIdentityNotificationAttributesCommand).resolves({ NotificationAttributes: {} });
    const posture = await scan(['eu-west-1']);
    const identity = posture.identities[0];
    assert.deepStrictEqual([identity.can_send, identity.cannot_send_reason], [false, 'verification PENDING']);
    assert.ok(posture.notes.some((note) => note.message === 'identity pending.example.com cannot send (verification PENDING); ID-001 and ID-002 do not judge it'));
    const result = engine.evaluate(posture, defaultSettings());
    assert.deepStrictEqual(result.findings.filter((f) => f.rule_id.startsWith('ID-')), []);
    assert.ok(!result.checked.some((c) => c.rule_id.startsWith('ID-') && c.resource === identity.id));
  });

  it('fails a trail whose bucket does not exist (NoSuchBucket), naming it', async () => {
    stubs.s3.on(GetBucketLocationCommand, { Bucket: 'org-trail-logs' }).rejects(awsError('NoSuchBucket', 'The specified bucket does not exist', 404));
    const posture = await scan(['eu-west-1']);
    const bucket = posture.s3_buckets.find((b) => b.name === 'org-trail-logs');
    assert.strictEqual(bucket?.exists, false);
    assert.ok(findings(posture, 'CT-005').some((f) => f.startsWith(`fail ${HOME_TRAIL}:`) && f.includes('its S3 bucket org-trail-logs does not exist')));
    assert.deepStrictEqual(findings(posture, 'CT-008').filter((f) => f.includes('org-trail-logs')), []);
    assert.deepStrictEqual(findings(posture, 'RT-001').filter((f) => f.includes('org-trail-logs')), []);
  });

  it('fails a configuration set whose Firehose stream does not exist (ResourceNotFoundException), naming it', async () => {
    stubs.firehose.on(DescribeDeliveryStreamCommand).rejects(awsError('ResourceNotFoundException', 'Firehose ses-events under account 111122223333 not found.', 400));
    const posture = await scan(['eu-west-1']);
    assert.strictEqual(posture.firehose_streams[0].exists, false);
    assert.deepStrictEqual(findings(posture, 'FH-001'), [
      `fail ${STREAM}: Firehose stream ses-events (used by event destination to-firehose of configuration set ses-logging) does not exist; SES cannot deliver events to it`,
    ]);
    assert.match(findings(posture, 'CS-003')[0] ?? '', /^fail /);
  });

  it('reads the storage the rules put in the logging path for WorkMail audit logs, and only that', async () => {
    const organization = `arn:aws:workmail:eu-west-1:${ACCOUNT}:organization/m-1111aaaa2222bbbb3333cccc4444dddd`;
    const source = (name: string, resource: string, logType: string) => ({ name, arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:delivery-source:${name}`, resourceArns: [resource], logType });
    const destination = (name: string, type: string, resource: string) => ({
      name, arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:delivery-destination:${name}`, deliveryDestinationType: type as never,
      deliveryDestinationConfiguration: { destinationResourceArn: resource },
    });
    const delivery = (id: string, sourceName: string, destinationName: string) => ({
      id, arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:delivery:${id}`, deliverySourceName: sourceName,
      deliveryDestinationArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:delivery-destination:${destinationName}`,
    });
    stubs.logs.on(DescribeDeliverySourcesCommand).resolves({ deliverySources: [
      source('auth', organization, 'AUTHENTICATION_LOGS'),
      source('cdn', `arn:aws:cloudfront::${ACCOUNT}:distribution/E1ABCDEF`, 'ACCESS_LOGS'),
    ] });
    stubs.logs.on(DescribeDeliveryDestinationsCommand).resolves({ deliveryDestinations: [
      // A destination type this sescheck does not know (AWS adds them): its ARN still names a bucket.
      destination('audit', 'S3_EXPRESS', 'arn:aws:s3:::workmail-audit/mail'),
      destination('cdn-logs', 'S3', 'arn:aws:s3:::cdn-access-logs'),
    ] });
    stubs.logs.on(DescribeDeliveriesCommand).resolves({ deliveries: [delivery('a1', 'auth', 'audit'), delivery('c1', 'cdn', 'cdn-logs')] });
    const posture = await scan(['eu-west-1']);
    assert.deepStrictEqual(posture.s3_buckets.map((b) => b.name).sort(), ['local-trail-logs', 'org-trail-logs', 'ses-events-bucket', 'workmail-audit']);
    const judged = findings(posture, 'RT-001').filter((f) => f.includes('workmail-audit'));
    assert.ok(judged.length > 0 && judged.every((f) => !f.includes('not in the input')), judged.join('\n'));
  });
});
