import { Construct } from 'constructs';
import { Cloudtrail, type CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { AwsContext } from './aws-context';
import { denyInsecureTransport, LogBucket } from './log-bucket';
import { logGroupRetentionDays, namePrefix, retentionDays, StackPropsError } from './props';

/** The SES resource types whose data events (the sends) the trail records. */
export const SES_DATA_EVENT_RESOURCE_TYPES = ['AWS::SES::EmailIdentity', 'AWS::SES::ConfigurationSet', 'AWS::SES::Template'] as const;

export interface CloudTrailSesDataEventsProps {
  /**
   * Days the trail's log files are kept: S3 lifecycle expiration, and the CloudWatch Logs retention
   * when `cloudWatchLogs` is on (rounded down to a value CloudWatch Logs accepts, never below 35).
   * An integer within 35-540.
   * @default 400
   */
  readonly retentionDays?: number;
  /**
   * Prefix of every name (trail, bucket, key alias, log group).
   * @default "sescheck"
   */
  readonly namePrefix?: string;
  /**
   * The trail's name. A multi-region trail has a copy in every region, so a second trail homed in
   * another region (the SES global endpoint pair) needs another name.
   * @default "<namePrefix>-ses"
   */
  readonly trailName?: string;
  /**
   * Record every region (SES events land in the region that processed the request).
   * @default true
   */
  readonly multiRegion?: boolean;
  /**
   * Also deliver the events to a CloudWatch Logs log group (for metric filters and alarms).
   * Off by default: CloudWatch Logs ingestion costs more than the S3 copy, which is the record.
   * @default false
   */
  readonly cloudWatchLogs?: boolean;
  /**
   * Delete the log files with the bucket on destroy.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * A CloudTrail trail recording SES management events and SES data events (the sends: seeds 000, 002)
 * with advanced event selectors, into a private S3 bucket with expiring objects, encrypted with a
 * rotating KMS key, with log file validation; optionally also into CloudWatch Logs.
 */
export class CloudTrailSesDataEvents extends Construct {
  readonly retentionDays: number;
  readonly trail: Cloudtrail;
  readonly logBucket: LogBucket;
  readonly key: KmsKey;
  readonly logGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: CloudTrailSesDataEventsProps = {}) {
    super(scope, id);
    const owner = `CloudTrailSesDataEvents ${id}`;
    this.retentionDays = retentionDays(owner, props.retentionDays);
    const prefix = namePrefix(owner, props.namePrefix, 'sescheck');
    const multiRegion = props.multiRegion ?? true;
    const trailName = props.trailName ?? `${prefix}-ses`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(trailName) || /[._-]{2}/.test(trailName)) {
      throw new StackPropsError(`${owner}: trailName must be 3-128 letters, digits, ".", "_" or "-", starting with a letter or digit, got "${trailName}"`);
    }
    const aws = new AwsContext(this, 'aws');
    const trailArn = aws.arn('cloudtrail', `trail/${trailName}`);
    const anyTrailOfAccount = `arn:${aws.partition}:cloudtrail:*:${aws.accountId}:trail/*`;

    this.logBucket = new LogBucket(this, 'logs', {
      bucketPrefix: `${prefix}-trail-`,
      expirationDays: this.retentionDays,
      forceDestroy: props.forceDestroy,
    });
    const bucket = this.logBucket.bucket;
    const bucketPolicy = new S3BucketPolicy(this, 'bucket-policy', {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudTrailAclCheck',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:GetBucketAcl',
            Resource: bucket.arn,
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          },
          {
            Sid: 'CloudTrailWrite',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${bucket.arn}/AWSLogs/${aws.accountId}/*`,
            Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
          },
          denyInsecureTransport(bucket.arn),
        ],
      }),
      // A policy that S3 would read as public is refused while the block is being created.
      dependsOn: [this.logBucket.publicAccessBlock],
    });

    this.key = new KmsKey(this, 'key', {
      description: `Encrypts the log files of CloudTrail trail ${trailName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministersKey',
            Effect: 'Allow',
            Principal: { AWS: `arn:${aws.partition}:iam::${aws.accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'CloudTrailEncryptsLogs',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceArn': trailArn },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfAccount },
            },
          },
          {
            Sid: 'CloudTrailDescribesKey',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:DescribeKey',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          },
          {
            Sid: 'AccountReadsLogs',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
            Resource: '*',
            Condition: {
              StringEquals: { 'kms:CallerAccount': aws.accountId },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfAccount },
            },
          },
        ],
      }),
    });
    // Named after the trail: aliases are regional, and two trails may share a region.
    new KmsAlias(this, 'key-alias', { name: `alias/cloudtrail-${trailName.replace(/\./g, '-')}`, targetKeyId: this.key.keyId });

    let cloudWatchLogs: { cloudWatchLogsGroupArn: string; cloudWatchLogsRoleArn: string } | undefined;
    if (props.cloudWatchLogs ?? false) {
      this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
        name: `aws-cloudtrail-logs-${trailName}`,
        retentionInDays: logGroupRetentionDays(this.retentionDays),
      });
      const role = new IamRole(this, 'cloudwatch-logs-role', {
        namePrefix: `${prefix}-trail-logs-`,
        description: `Lets CloudTrail trail ${trailName} write to its log group.`,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          }],
        }),
      });
      new IamRolePolicy(this, 'cloudwatch-logs-role-policy', {
        role: role.id,
        name: 'write-trail-events',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${this.logGroup.arn}:log-stream:*`,
          }],
        }),
      });
      cloudWatchLogs = { cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`, cloudWatchLogsRoleArn: role.arn };
    }

    this.trail = new Cloudtrail(this, 'trail', {
      name: trailName,
      s3BucketName: bucket.id,
      kmsKeyId: this.key.arn,
      isMultiRegionTrail: multiRegion,
      includeGlobalServiceEvents: multiRegion,
      enableLogFileValidation: true,
      enableLogging: true,
      ...cloudWatchLogs,
      advancedEventSelector: sesEventSelectors(),
      // CloudTrail checks the bucket policy and the key policy when the trail is created.
      dependsOn: [bucketPolicy, this.key],
    });
  }
}

/** Management events, and the SES data events for each resource type (the selector from the SES documentation). */
export function sesEventSelectors(): CloudtrailAdvancedEventSelector[] {
  return [
    { name: 'Management events', fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }] },
    ...SES_DATA_EVENT_RESOURCE_TYPES.map((type) => ({
      name: `SES data events for ${type}`,
      fieldSelector: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: [type] },
      ],
    })),
  ];
}
