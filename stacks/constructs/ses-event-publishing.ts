import { Construct } from 'constructs';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { SesIdentityNotificationTopic } from '@cdktf/provider-aws/lib/ses-identity-notification-topic';
import { Sesv2ConfigurationSet } from '@cdktf/provider-aws/lib/sesv2-configuration-set';
import { Sesv2ConfigurationSetEventDestination } from '@cdktf/provider-aws/lib/sesv2-configuration-set-event-destination';
import { Sesv2EmailIdentity } from '@cdktf/provider-aws/lib/sesv2-email-identity';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { AwsContext } from './aws-context';
import { firehoseDeliveryRole } from './firehose-delivery-role';
import { LogBucket } from './log-bucket';
import { logGroupRetentionDays, namePrefix, retentionDays, StackPropsError } from './props';

/** The event types the reference architecture publishes (seed 003), as the SES v2 API names them. */
export const PUBLISHED_EVENT_TYPES = [
  'SEND', 'DELIVERY', 'REJECT', 'BOUNCE', 'COMPLAINT', 'RENDERING_FAILURE', 'DELIVERY_DELAY', 'SUBSCRIPTION',
] as const;

/** The same events as the `eventType` values in the published JSON, which become the S3 partition names. */
export const PARTITION_EVENT_TYPES = [
  'Send', 'Delivery', 'Reject', 'Bounce', 'Complaint', 'Rendering Failure', 'DeliveryDelay', 'Subscription',
] as const;

export interface SesEventPublishingProps {
  /**
   * Days the event logs are kept: S3 lifecycle expiration and the Firehose error log group's retention
   * (rounded down to a value CloudWatch Logs accepts, never below 35). An integer within 35-540.
   * @default 400
   */
  readonly retentionDays?: number;
  /**
   * Prefix of every name (configuration set, stream, bucket, workgroup...).
   * @default "sescheck"
   */
  readonly namePrefix?: string;
  /**
   * Sending identities (domains or email addresses) created with the configuration set as their
   * default and the feedback topic for bounces and complaints.
   * @default []
   */
  readonly identities?: string[];
  /**
   * Delete the log objects with the bucket on destroy.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * SES event publishing as in the reference architecture (seed 003): configuration set (TLS required)
 * → Firehose with dynamic partitioning by event type → S3, queried with Athena over a partition-projected
 * Glue table; an SNS topic for bounce and complaint feedback; and the two steps the seed leaves manual
 * (default configuration set and feedback topics on each sending identity).
 */
export class SesEventPublishing extends Construct {
  readonly retentionDays: number;
  readonly configurationSet: Sesv2ConfigurationSet;
  readonly eventDestination: Sesv2ConfigurationSetEventDestination;
  readonly deliveryStream: KinesisFirehoseDeliveryStream;
  readonly logBucket: LogBucket;
  readonly errorLogGroup: CloudwatchLogGroup;
  readonly feedbackTopic: SnsTopic;
  readonly workgroup: AthenaWorkgroup;
  readonly database: GlueCatalogDatabase;
  readonly table: GlueCatalogTable;
  readonly identities: Sesv2EmailIdentity[] = [];

  constructor(scope: Construct, id: string, props: SesEventPublishingProps = {}) {
    super(scope, id);
    const owner = `SesEventPublishing ${id}`;
    this.retentionDays = retentionDays(owner, props.retentionDays);
    const prefix = namePrefix(owner, props.namePrefix, 'sescheck');
    const identities = props.identities ?? [];
    validateIdentities(owner, identities);
    const name = `${prefix}-ses-events`;
    const aws = new AwsContext(this, 'aws');

    this.logBucket = new LogBucket(this, 'logs', {
      bucketPrefix: `${prefix}-ses-events-`,
      expirationDays: this.retentionDays,
      forceDestroy: props.forceDestroy,
    });
    const bucket = this.logBucket.bucket;

    this.errorLogGroup = new CloudwatchLogGroup(this, 'firehose-errors', {
      name: `/aws/firehose/${name}`,
      retentionInDays: logGroupRetentionDays(this.retentionDays),
    });
    const errorLogStream = new CloudwatchLogStream(this, 'firehose-errors-s3-delivery', {
      logGroupName: this.errorLogGroup.name,
      name: 'S3Delivery',
    });

    const { role: firehoseRole, policy: firehoseRolePolicy } = firehoseDeliveryRole(this, {
      namePrefix: `${prefix}-firehose-`,
      description: 'Lets Firehose write SES events to the log bucket and report errors.',
      policyName: 'write-ses-events',
      accountId: aws.accountId,
      bucketArn: bucket.arn,
      errorLogGroupArn: this.errorLogGroup.arn,
    });

    this.deliveryStream = new KinesisFirehoseDeliveryStream(this, 'stream', {
      name,
      destination: 'extended_s3',
      // Firehose checks at creation that its role can write to the bucket.
      dependsOn: [firehoseRolePolicy],
      extendedS3Configuration: {
        bucketArn: bucket.arn,
        roleArn: firehoseRole.arn,
        prefix: 'partitioned/!{partitionKeyFromQuery:EventType}/!{timestamp:yyyy/MM/dd}/',
        errorOutputPrefix: 'errorLog/!{firehose:error-output-type}/dt=!{timestamp:yyyy}-!{timestamp:MM}-!{timestamp:dd}/',
        bufferingInterval: 300,
        bufferingSize: 128,
        compressionFormat: 'GZIP',
        dynamicPartitioningConfiguration: { enabled: true, retryDuration: 300 },
        processingConfiguration: {
          enabled: true,
          processors: [{
            type: 'MetadataExtraction',
            parameters: [
              { parameterName: 'MetadataExtractionQuery', parameterValue: '{EventType: .eventType}' },
              { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
            ],
          }],
        },
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: this.errorLogGroup.name,
          logStreamName: errorLogStream.name,
        },
      },
    });

    this.configurationSet = new Sesv2ConfigurationSet(this, 'configuration-set', {
      configurationSetName: name,
      deliveryOptions: { tlsPolicy: 'REQUIRE' },
    });
    const configurationSetArn = aws.arn('ses', `configuration-set/${name}`);

    const sesRole = new IamRole(this, 'ses-role', {
      namePrefix: `${prefix}-ses-firehose-`,
      description: 'Lets SES publish the configuration set\'s events to the Firehose stream.',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'ses.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': aws.accountId, 'aws:SourceArn': configurationSetArn } },
        }],
      }),
    });
    const sesRolePolicy = new IamRolePolicy(this, 'ses-role-policy', {
      role: sesRole.id,
      name: 'put-ses-events',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: this.deliveryStream.arn }],
      }),
    });

    this.eventDestination = new Sesv2ConfigurationSetEventDestination(this, 'event-destination', {
      configurationSetName: this.configurationSet.configurationSetName,
      eventDestinationName: 'firehose',
      eventDestination: {
        enabled: true,
        matchingEventTypes: [...PUBLISHED_EVENT_TYPES],
        kinesisFirehoseDestination: { deliveryStreamArn: this.deliveryStream.arn, iamRoleArn: sesRole.arn },
      },
      // SES checks that it can assume the role and put records when the destination is created.
      dependsOn: [sesRolePolicy],
    });

    this.feedbackTopic = new SnsTopic(this, 'feedback', { name: `${prefix}-ses-feedback`, displayName: `${prefix} SES feedback` });
    new SnsTopicPolicy(this, 'feedback-policy', {
      arn: this.feedbackTopic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'SesPublishesFeedback',
          Effect: 'Allow',
          Principal: { Service: 'ses.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: this.feedbackTopic.arn,
          Condition: { StringEquals: { 'aws:SourceAccount': aws.accountId } },
        }],
      }),
    });

    for (const identityName of identities) {
      // Named after the identity, so adding or reordering identities never replaces another one.
      const identity = new Sesv2EmailIdentity(this, `identity-${identityName}`, {
        emailIdentity: identityName,
        configurationSetName: this.configurationSet.configurationSetName,
      });
      this.identities.push(identity);
      for (const notificationType of ['Bounce', 'Complaint']) {
        new SesIdentityNotificationTopic(this, `identity-${identityName}-${notificationType.toLowerCase()}-topic`, {
          identity: identity.emailIdentity,
          notificationType,
          topicArn: this.feedbackTopic.arn,
          includeOriginalHeaders: false,
        });
      }
    }

    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name,
      description: 'Ad hoc queries over the SES event logs',
      state: 'ENABLED',
      forceDestroy: true,
      configuration: {
        enforceWorkgroupConfiguration: false,
        publishCloudwatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        resultConfiguration: { outputLocation: `s3://${bucket.bucket}/athenaAdhocQueries/` },
      },
    });

    this.database = new GlueCatalogDatabase(this, 'database', {
      name: `${prefix.replace(/-/g, '_')}_ses_events`,
      description: 'SES event logs published through Firehose',
    });
    this.table = new GlueCatalogTable(this, 'table', {
      databaseName: this.database.name,
      name: 'seslogs',
      description: 'SES events, one JSON object per event, partitioned by event type and day',
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'json',
        'projection.enabled': 'true',
        'projection.event_type.type': 'enum',
        'projection.event_type.values': PARTITION_EVENT_TYPES.join(','),
        'projection.day.type': 'date',
        'projection.day.format': 'yyyy/MM/dd',
        'projection.day.range': `NOW-${this.retentionDays}DAYS,NOW`,
        'projection.day.interval': '1',
        'projection.day.interval.unit': 'DAYS',
        // $$ keeps Terraform from reading Athena's placeholders as interpolations.
        'storage.location.template': `s3://${bucket.bucket}/partitioned/$\${event_type}/$\${day}/`,
      },
      partitionKeys: [
        { name: 'event_type', type: 'string' },
        { name: 'day', type: 'string' },
      ],
      storageDescriptor: {
        location: `s3://${bucket.bucket}/partitioned/`,
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        compressed: true,
        serDeInfo: {
          serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
          parameters: {
            'ignore.malformed.json': 'true',
            // SES tag names contain ':' and '-', which column and field names cannot.
            'mapping.ses_configurationset': 'ses:configuration-set',
            'mapping.ses_source_ip': 'ses:source-ip',
            'mapping.ses_from_domain': 'ses:from-domain',
            'mapping.ses_caller_identity': 'ses:caller-identity',
            'mapping.ses_outgoing_ip': 'ses:outgoing-ip',
          },
        },
        columns: SES_EVENT_COLUMNS.map(([columnName, type]) => ({ name: columnName, type })),
      },
    });

    new AthenaNamedQuery(this, 'query-deliveries-of-a-day', {
      name: 'Deliveries of one day',
      description: 'Every Delivery event of one day (edit the day)',
      workgroup: this.workgroup.id,
      database: this.database.name,
      query: "SELECT *\nFROM seslogs\nWHERE event_type = 'Delivery'\n  AND day = '2024/07/08';",
    });
    new AthenaNamedQuery(this, 'query-bounces-over-a-range', {
      name: 'Bounces over a date range',
      description: 'Bounce details with message, sender, subject, recipients and SES IPs (edit the range)',
      workgroup: this.workgroup.id,
      database: this.database.name,
      query: [
        'SELECT',
        '  bounce.bounceType AS bounce_type,',
        '  bounce.bounceSubType AS bounce_sub_type,',
        '  bounce.feedbackId AS feedback_id,',
        '  bounce.timestamp AS bounce_timestamp,',
        '  bounce.reportingMTA AS reporting_mta,',
        '  mail.messageId AS message_id,',
        '  mail.timestamp AS mail_timestamp,',
        '  mail.source AS source,',
        '  mail.commonHeaders.subject AS subject,',
        '  mail.commonHeaders.to AS "to",',
        '  mail.tags.ses_source_ip AS ses_source_ip,',
        '  mail.tags.ses_outgoing_ip AS ses_outgoing_ip',
        'FROM seslogs',
        "WHERE event_type = 'Bounce'",
        "  AND day BETWEEN '2024/11/01' AND '2024/11/30';",
      ].join('\n'),
    });
  }
}

function validateIdentities(owner: string, identities: string[]): void {
  const seen = new Set<string>();
  for (const identity of identities) {
    // An email address or a domain name, as SES accepts for an email identity.
    if (!/^([^@\s]+@)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(identity)) {
      throw new StackPropsError(`${owner}: identities must be domain names or email addresses, got "${identity}"`);
    }
    if (seen.has(identity.toLowerCase())) throw new StackPropsError(`${owner}: identity "${identity}" is listed twice`);
    seen.add(identity.toLowerCase());
  }
}

const RECIPIENT = 'struct<emailAddress:string,action:string,status:string,diagnosticCode:string>';
const TOPIC_PREFERENCES = 'struct<unsubscribeAll:boolean,topicSubscriptionStatus:array<struct<topicName:string,subscriptionStatus:string>>>';

/** Columns of the SES event JSON (event publishing record format), one per top-level key. */
const SES_EVENT_COLUMNS: [string, string][] = [
  ['eventtype', 'string'],
  ['mail', [
    'struct<timestamp:string,source:string,sourceArn:string,sendingAccountId:string,messageId:string,',
    'destination:array<string>,headersTruncated:boolean,headers:array<struct<name:string,value:string>>,',
    'commonHeaders:struct<from:array<string>,to:array<string>,messageId:string,subject:string,date:string>,',
    'tags:struct<ses_configurationset:array<string>,ses_source_ip:array<string>,ses_from_domain:array<string>,',
    'ses_caller_identity:array<string>,ses_outgoing_ip:array<string>>>',
  ].join('')],
  ['send', 'map<string,string>'],
  ['delivery', 'struct<timestamp:string,processingTimeMillis:int,recipients:array<string>,smtpResponse:string,reportingMTA:string,remoteMtaIp:string>'],
  ['bounce', `struct<bounceType:string,bounceSubType:string,bouncedRecipients:array<${RECIPIENT}>,timestamp:string,feedbackId:string,reportingMTA:string>`],
  ['complaint', 'struct<complainedRecipients:array<struct<emailAddress:string>>,timestamp:string,feedbackId:string,userAgent:string,complaintFeedbackType:string,complaintSubType:string,arrivalDate:string>'],
  ['reject', 'struct<reason:string>'],
  ['failure', 'struct<errorMessage:string,templateName:string>'],
  ['deliverydelay', `struct<timestamp:string,delayType:string,expirationTime:string,reportingMTA:string,delayedRecipients:array<${RECIPIENT}>>`],
  ['subscription', `struct<contactList:string,timestamp:string,source:string,newTopicPreferences:${TOPIC_PREFERENCES},oldTopicPreferences:${TOPIC_PREFERENCES}>`],
];
