/**
 * Seeds moto with the reference logging setup (and a few faults) through real SDK calls, the way
 * an operator would with the AWS CLI, so the collectors read what AWS would answer.
 */
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateDeliveryCommand,
  CreateLogGroupCommand,
  PutDeliveryDestinationCommand,
  PutDeliverySourceCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import {
  CreateBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { s3ControlSettings } from '../../src/live/s3';
import { SESClient, SetIdentityNotificationTopicCommand } from '@aws-sdk/client-ses';
import { CreateConfigurationSetCommand, CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';

/** moto's default account. */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const ORGANIZATION_ARN = `arn:aws:workmail:${REGION}:${ACCOUNT}:organization/m-0123456789abcdef0123456789abcdef`;
export const STREAM_ARN = `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/ses-events`;
export const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/ses-trail`;

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function config(endpoint: string, region = REGION) {
  return { endpoint, region, credentials, maxAttempts: 1 };
}

/** The ses-data-events selectors from the AWS documentation, plus management events. */
export const ADVANCED_SELECTORS = [
  { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
  {
    Name: 'Log SES data plane actions for all email identities',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::SES::EmailIdentity'] },
    ],
  },
];

export async function seedReferenceSetup(endpoint: string): Promise<void> {
  const s3 = new S3Client({ ...config(endpoint), forcePathStyle: true });
  for (const bucket of ['trail-logs', 'ses-events-bucket', 'workmail-audit']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  }
  // trail-logs: 400-day expiration and every public access block setting on.
  await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket: 'trail-logs',
    LifecycleConfiguration: { Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 400 } }] },
  }));
  await s3.send(new PutPublicAccessBlockCommand({
    Bucket: 'trail-logs',
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  }));
  // ses-events-bucket: a lifecycle rule that keeps objects ten years (past the 540-day bound), no public access block.
  await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket: 'ses-events-bucket',
    LifecycleConfiguration: { Rules: [{ ID: 'ten-years', Status: 'Enabled', Filter: { Prefix: 'partitioned/' }, Expiration: { Days: 3650 } }] },
  }));

  const s3control = new S3ControlClient(s3ControlSettings(config(endpoint, 'us-east-1')));
  await s3control.send(new PutAccountPublicAccessBlockCommand({
    AccountId: ACCOUNT,
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: false },
  }));

  const logs = new CloudWatchLogsClient(config(endpoint));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'cloudtrail/ses' }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'cloudtrail/ses', retentionInDays: 400 }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/kinesisfirehose/ses-events' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/workmail/audit' }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/workmail/audit', retentionInDays: 14 }));
  // A log group outside the logging path: the scan must not read it.
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'unrelated/app' }));

  const cloudtrail = new CloudTrailClient(config(endpoint));
  await cloudtrail.send(new CreateTrailCommand({
    Name: 'ses-trail',
    S3BucketName: 'trail-logs',
    IsMultiRegionTrail: true,
    EnableLogFileValidation: true,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:cloudtrail/ses:*`,
    CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs`,
  }));
  await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: 'ses-trail', AdvancedEventSelectors: ADVANCED_SELECTORS }));
  await cloudtrail.send(new StartLoggingCommand({ Name: 'ses-trail' }));

  const firehose = new FirehoseClient(config(endpoint));
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'ses-events',
    DeliveryStreamType: 'DirectPut',
    ExtendedS3DestinationConfiguration: {
      RoleARN: `arn:aws:iam::${ACCOUNT}:role/firehose`,
      BucketARN: 'arn:aws:s3:::ses-events-bucket',
      Prefix: 'partitioned/',
      ErrorOutputPrefix: 'errors/',
      CompressionFormat: 'GZIP',
      CloudWatchLoggingOptions: { Enabled: true, LogGroupName: '/aws/kinesisfirehose/ses-events', LogStreamName: 'S3Delivery' },
    },
  }));

  const sesv2 = new SESv2Client(config(endpoint));
  await sesv2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'ses-logging', DeliveryOptions: { TlsPolicy: 'REQUIRE' } }));
  await sesv2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'marketing' }));
  await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com', ConfigurationSetName: 'ses-logging' }));
  await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'noreply@example.org' }));
  const ses = new SESClient(config(endpoint));
  await ses.send(new SetIdentityNotificationTopicCommand({
    Identity: 'example.com',
    NotificationType: 'Bounce',
    SnsTopic: `arn:aws:sns:${REGION}:${ACCOUNT}:ses-feedback`,
  }));

  await logs.send(new PutDeliverySourceCommand({ name: 'workmail-access', resourceArn: ORGANIZATION_ARN, logType: 'ACCESS_CONTROL_LOGS' }));
  const destination = await logs.send(new PutDeliveryDestinationCommand({
    name: 'workmail-audit',
    deliveryDestinationConfiguration: { destinationResourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/workmail/audit` },
  }));
  await logs.send(new CreateDeliveryCommand({ deliverySourceName: 'workmail-access', deliveryDestinationArn: destination.deliveryDestination?.arn }));
}
