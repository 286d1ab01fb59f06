import { Construct } from 'constructs';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { AwsContext } from './aws-context';
import { firehoseDeliveryRole } from './firehose-delivery-role';
import { denyInsecureTransport, LogBucket } from './log-bucket';
import { logGroupRetentionDays, namePrefix, retentionDays, StackPropsError } from './props';

/**
 * The five WorkMail audit log types, as the CloudWatch Logs delivery API names them: the four of
 * seed 004 and WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS, which the API added later.
 */
export const WORKMAIL_AUDIT_LOG_TYPES = [
  'ACCESS_CONTROL_LOGS', 'AUTHENTICATION_LOGS', 'WORKMAIL_MAILBOX_ACCESS_LOGS', 'WORKMAIL_AVAILABILITY_PROVIDER_LOGS',
  'WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS',
] as const;
export type WorkmailAuditLogType = (typeof WORKMAIL_AUDIT_LOG_TYPES)[number];

export const WORKMAIL_DESTINATION_TYPES = ['cloudwatch_logs', 's3', 'firehose'] as const;
export type WorkmailDestinationType = (typeof WORKMAIL_DESTINATION_TYPES)[number];

const ORGANIZATION_ARN = /^arn:aws(-[a-z]+)*:workmail:([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):organization\/m-[0-9a-f]{32}$/;

/** The region of a WorkMail organization ARN, or a StackPropsError naming the owner. */
export function workmailOrganizationRegion(owner: string, organizationArn: string): string {
  const match = ORGANIZATION_ARN.exec(organizationArn);
  if (!match) {
    throw new StackPropsError(
      `${owner}: organizationArn must be a WorkMail organization ARN such as arn:aws:workmail:eu-west-1:111122223333:organization/m-0123456789abcdef0123456789abcdef, got "${organizationArn}"`,
    );
  }
  return match[2];
}

export interface WorkmailAuditLoggingProps {
  /** ARN of the WorkMail organization whose audit logs are delivered (the provider has no organization resource). */
  readonly organizationArn: string;
  /**
   * Where the logs go: a CloudWatch Logs log group, an S3 bucket, or a Firehose stream into an S3 bucket.
   * @default "cloudwatch_logs"
   */
  readonly destinationType?: WorkmailDestinationType;
  /**
   * Days the audit logs are kept (log group retention, rounded down to a value CloudWatch Logs accepts
   * and never below 35; S3 lifecycle expiration). An integer within 35-540.
   * @default 400
   */
  readonly retentionDays?: number;
  /**
   * Prefix of every name (delivery sources and destination, log group, bucket, stream).
   * @default "sescheck"
   */
  readonly namePrefix?: string;
  /**
   * The audit log types to deliver.
   * @default all four: ACCESS_CONTROL_LOGS, AUTHENTICATION_LOGS, WORKMAIL_MAILBOX_ACCESS_LOGS, WORKMAIL_AVAILABILITY_PROVIDER_LOGS
   */
  readonly logTypes?: WorkmailAuditLogType[];
  /**
   * Delete the log objects with the bucket on destroy (s3 and firehose destinations).
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * WorkMail audit logging through CloudWatch Logs vended log delivery (seed 004): a delivery source per
 * audit log type of the organization, one delivery destination with bounded retention, and the deliveries.
 */
export class WorkmailAuditLogging extends Construct {
  readonly retentionDays: number;
  readonly deliverySources: CloudwatchLogDeliverySource[] = [];
  readonly deliveryDestination: CloudwatchLogDeliveryDestination;
  readonly deliveries: CloudwatchLogDelivery[] = [];
  readonly logGroup?: CloudwatchLogGroup;
  readonly logBucket?: LogBucket;
  readonly deliveryStream?: KinesisFirehoseDeliveryStream;

  constructor(scope: Construct, id: string, props: WorkmailAuditLoggingProps) {
    super(scope, id);
    const owner = `WorkmailAuditLogging ${id}`;
    workmailOrganizationRegion(owner, props.organizationArn);
    this.retentionDays = retentionDays(owner, props.retentionDays);
    const prefix = namePrefix(owner, props.namePrefix, 'sescheck');
    const destinationType = props.destinationType ?? 'cloudwatch_logs';
    if (!WORKMAIL_DESTINATION_TYPES.includes(destinationType)) {
      throw new StackPropsError(`${owner}: destinationType must be one of ${WORKMAIL_DESTINATION_TYPES.join(', ')}, got "${String(destinationType)}"`);
    }
    const logTypes = props.logTypes ?? [...WORKMAIL_AUDIT_LOG_TYPES];
    const unknownTypes = logTypes.filter((type) => !WORKMAIL_AUDIT_LOG_TYPES.includes(type));
    if (logTypes.length === 0 || unknownTypes.length > 0) {
      throw new StackPropsError(`${owner}: logTypes must be a non-empty list of ${WORKMAIL_AUDIT_LOG_TYPES.join(', ')}, got [${logTypes.join(', ')}]`);
    }
    const aws = new AwsContext(this, 'aws');
    const name = `${prefix}-workmail-audit`;

    let destinationResourceArn: string;
    if (destinationType === 'cloudwatch_logs') {
      this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
        name: `/aws/vendedlogs/workmail/${name}`,
        retentionInDays: logGroupRetentionDays(this.retentionDays),
      });
      destinationResourceArn = this.logGroup.arn;
    } else {
      const logBucket = new LogBucket(this, 'logs', {
        bucketPrefix: `${prefix}-workmail-`,
        expirationDays: this.retentionDays,
        forceDestroy: props.forceDestroy,
      });
      this.logBucket = logBucket;
      if (destinationType === 's3') {
        this.allowLogDelivery(aws, logBucket);
        destinationResourceArn = logBucket.bucket.arn;
      } else {
        this.deliveryStream = this.firehoseToBucket(aws, logBucket, name);
        destinationResourceArn = this.deliveryStream.arn;
      }
    }

    this.deliveryDestination = new CloudwatchLogDeliveryDestination(this, 'destination', {
      name,
      deliveryDestinationConfiguration: [{ destinationResourceArn }],
    });

    for (const logType of logTypes) {
      const slug = logType.toLowerCase().replace(/^workmail_/, '').replace(/_/g, '-');
      const source = new CloudwatchLogDeliverySource(this, `source-${slug}`, {
        name: `${prefix}-workmail-${slug}`,
        logType,
        resourceArn: props.organizationArn,
      });
      this.deliverySources.push(source);
      this.deliveries.push(new CloudwatchLogDelivery(this, `delivery-${slug}`, {
        deliverySourceName: source.name,
        deliveryDestinationArn: this.deliveryDestination.arn,
      }));
    }
  }

  /** Lets the log delivery service write to the bucket, only for this account's delivery sources. */
  private allowLogDelivery(aws: AwsContext, logBucket: LogBucket): void {
    const bucket = logBucket.bucket;
    new S3BucketPolicy(this, 'bucket-policy', {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'LogDeliveryWrite',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${bucket.arn}/AWSLogs/${aws.accountId}/*`,
            Condition: {
              StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': aws.accountId },
              ArnLike: { 'aws:SourceArn': aws.arn('logs', 'delivery-source:*') },
            },
          },
          denyInsecureTransport(bucket.arn),
        ],
      }),
      dependsOn: [logBucket.publicAccessBlock],
    });
  }

  /** A DirectPut stream into the bucket, compressed, with an error prefix and error logging. */
  private firehoseToBucket(aws: AwsContext, logBucket: LogBucket, name: string): KinesisFirehoseDeliveryStream {
    const bucket = logBucket.bucket;
    const errorLogGroup = new CloudwatchLogGroup(this, 'firehose-errors', {
      name: `/aws/firehose/${name}`,
      retentionInDays: logGroupRetentionDays(this.retentionDays),
    });
    const errorLogStream = new CloudwatchLogStream(this, 'firehose-errors-s3-delivery', {
      logGroupName: errorLogGroup.name,
      name: 'S3Delivery',
    });
    const { role, policy: rolePolicy } = firehoseDeliveryRole(this, {
      namePrefix: `${name}-`.slice(0, 32),
      description: 'Lets Firehose write WorkMail audit logs to the log bucket and report errors.',
      policyName: 'write-workmail-audit-logs',
      accountId: aws.accountId,
      bucketArn: bucket.arn,
      errorLogGroupArn: errorLogGroup.arn,
    });
    return new KinesisFirehoseDeliveryStream(this, 'stream', {
      name,
      destination: 'extended_s3',
      // Vended log delivery writes only to streams tagged this way.
      tags: { LogDeliveryEnabled: 'true' },
      // Firehose checks at creation that its role can write to the bucket.
      dependsOn: [rolePolicy],
      extendedS3Configuration: {
        bucketArn: bucket.arn,
        roleArn: role.arn,
        prefix: 'workmail/!{timestamp:yyyy/MM/dd}/',
        errorOutputPrefix: 'errorLog/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
        bufferingInterval: 300,
        bufferingSize: 64,
        compressionFormat: 'GZIP',
        cloudwatchLoggingOptions: { enabled: true, logGroupName: errorLogGroup.name, logStreamName: errorLogStream.name },
      },
    });
  }
}
