/**
 * The reference setup of the differential test, described once. `terraform.ts` turns it into
 * Terraform JSON (planned by the real terraform into the plan fixture, and read as configuration);
 * `moto.ts` creates it in moto through the AWS SDK. The three posture documents must be equal.
 */

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export interface LifecycleRuleSpec {
  id: string;
  /** null: an empty filter, the whole bucket. */
  prefix: string | null;
  expirationDays: number;
  noncurrentDays?: number;
}

export interface PublicAccessBlockSpec {
  blockPublicAcls: boolean;
  blockPublicPolicy: boolean;
  ignorePublicAcls: boolean;
  restrictPublicBuckets: boolean;
}

export interface BucketSpec {
  /** Terraform resource name. */
  key: string;
  name: string;
  versioning: 'Enabled' | null;
  lifecycle: LifecycleRuleSpec[];
  publicAccessBlock: PublicAccessBlockSpec;
}

export interface LogGroupSpec {
  key: string;
  name: string;
  retentionDays: number | null;
}

export interface FieldSelectorSpec {
  field: string;
  equals?: string[];
  startsWith?: string[];
}

export interface TrailSpec {
  key: string;
  name: string;
  /** Key of the bucket. */
  bucket: string;
  s3KeyPrefix: string | null;
  multiRegion: boolean;
  logFileValidation: boolean;
  /** Encrypted with the setup's KMS key. */
  encrypted: boolean;
  /** Key of the log group. */
  logGroup: string | null;
  /** Advanced event selectors, the conditions in the order an operator writes them. */
  advancedSelectors?: { name: string; fieldSelectors: FieldSelectorSpec[] }[];
  /** Basic event selectors; read_write_type left to its default. */
  basicSelectors?: { includeManagementEvents: boolean; excludeManagementEventSources: string[]; dataResources: { type: string; values: string[] }[] }[];
}

export interface StreamSpec {
  key: string;
  name: string;
  bucket: string;
  /** null: left to Firehose (its time prefix, no error prefix, no compression, no error logging). */
  prefix: string | null;
  errorOutputPrefix: string | null;
  compression: 'GZIP' | null;
  /** Error logging to this log group (key) and stream. */
  logging: { logGroup: string; logStream: string } | null;
}

export type SesEventTypeV2 = 'SEND' | 'REJECT' | 'BOUNCE' | 'COMPLAINT' | 'DELIVERY' | 'OPEN' | 'CLICK' | 'RENDERING_FAILURE' | 'DELIVERY_DELAY' | 'SUBSCRIPTION';

export interface EventDestinationSpec {
  key: string;
  name: string;
  enabled: boolean;
  /** In the v2 enum; the v1 resources take camelCase. */
  eventTypes: SesEventTypeV2[];
  kind: 'firehose' | 'cloud_watch' | 'event_bridge';
  /** kind firehose: key of the stream. */
  stream?: string;
  /** kind firehose: the role SES assumes. */
  roleArn?: string;
}

export interface ConfigurationSetSpec {
  key: string;
  name: string;
  api: 'v1' | 'v2';
  tlsPolicy: 'REQUIRE' | 'OPTIONAL' | null;
  destinations: EventDestinationSpec[];
}

export interface IdentitySpec {
  key: string;
  identity: string;
  api: 'v1' | 'v2';
  /** Key of the default configuration set (SES v2 only). */
  defaultConfigurationSet: string | null;
  bounceTopicArn: string | null;
}

export interface LogDeliverySpec {
  key: string;
  sourceName: string;
  logType: string;
  destinationName: string;
  /** Key of the log group it writes to. */
  logGroup: string;
}

/** On the default bus of the region, where SES EventBridge destinations publish. */
export interface EventArchiveSpec {
  key: string;
  name: string;
  eventPattern: string;
  retentionDays: number;
}

export interface EventRuleSpec {
  key: string;
  name: string;
  eventPattern: string;
  /** Key of the log group its one target writes to. */
  logGroup: string;
}

export interface ReferenceSetup {
  kmsKey: { key: string; description: string };
  accountPublicAccessBlock: PublicAccessBlockSpec;
  buckets: BucketSpec[];
  logGroups: LogGroupSpec[];
  trails: TrailSpec[];
  streams: StreamSpec[];
  configurationSets: ConfigurationSetSpec[];
  identities: IdentitySpec[];
  defaultBus: { archives: EventArchiveSpec[]; rules: EventRuleSpec[] };
  workmail: { organizationId: string; alias: string; deliveries: LogDeliverySpec[] };
}

const ALL_BLOCKED: PublicAccessBlockSpec = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

/** The setup of seed 003 (Firehose to S3) with a trail for SES data events and WorkMail audit logs. */
export const REFERENCE_SETUP: ReferenceSetup = {
  kmsKey: { key: 'trail_logs', description: 'sescheck differential: trail log files' },
  accountPublicAccessBlock: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false },
  buckets: [
    {
      key: 'trail_logs',
      name: 'sescheck-diff-trail-logs',
      versioning: 'Enabled',
      lifecycle: [{ id: 'expire-trail-logs', prefix: 'ses/AWSLogs/', expirationDays: 400, noncurrentDays: 30 }],
      publicAccessBlock: ALL_BLOCKED,
    },
    {
      key: 'ses_events',
      name: 'sescheck-diff-ses-events',
      versioning: null,
      lifecycle: [
        { id: 'partitioned', prefix: 'partitioned/', expirationDays: 400 },
        { id: 'errors', prefix: 'errors/', expirationDays: 35 },
        { id: 'everything', prefix: null, expirationDays: 540 },
      ],
      publicAccessBlock: { ...ALL_BLOCKED, restrictPublicBuckets: false },
    },
  ],
  logGroups: [
    { key: 'cloudtrail', name: 'sescheck-diff/cloudtrail', retentionDays: 400 },
    { key: 'firehose', name: '/aws/kinesisfirehose/sescheck-diff-ses-events', retentionDays: 90 },
    { key: 'workmail', name: '/aws/workmail/sescheck-diff-audit', retentionDays: null },
    { key: 'bounces', name: '/aws/events/sescheck-diff-bounces', retentionDays: 400 },
  ],
  trails: [
    {
      key: 'ses',
      name: 'sescheck-diff-ses',
      bucket: 'trail_logs',
      s3KeyPrefix: 'ses',
      multiRegion: true,
      logFileValidation: true,
      encrypted: true,
      logGroup: 'cloudtrail',
      advancedSelectors: [
        { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
        {
          name: 'Log SES data plane actions for all email identities',
          // resources.type first: the conditions are ANDed, their order means nothing.
          fieldSelectors: [
            { field: 'resources.type', equals: ['AWS::SES::EmailIdentity'] },
            { field: 'eventCategory', equals: ['Data'] },
          ],
        },
        {
          name: 'SES sends through configuration sets',
          fieldSelectors: [
            { field: 'eventCategory', equals: ['Data'] },
            { field: 'resources.type', equals: ['AWS::SES::ConfigurationSet'] },
            { field: 'eventName', startsWith: ['Send'] },
          ],
        },
      ],
    },
    {
      key: 'management',
      name: 'sescheck-diff-management',
      bucket: 'trail_logs',
      s3KeyPrefix: null,
      multiRegion: false,
      logFileValidation: false,
      encrypted: false,
      logGroup: null,
      basicSelectors: [{ includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'], dataResources: [] }],
    },
    // No selectors: CloudTrail's default (every management event).
    { key: 'legacy', name: 'sescheck-diff-legacy', bucket: 'trail_logs', s3KeyPrefix: 'legacy', multiRegion: false, logFileValidation: true, encrypted: false, logGroup: null },
  ],
  streams: [
    {
      key: 'ses_events',
      name: 'sescheck-diff-ses-events',
      bucket: 'ses_events',
      prefix: 'partitioned/',
      errorOutputPrefix: 'errors/',
      compression: 'GZIP',
      logging: { logGroup: 'firehose', logStream: 'S3Delivery' },
    },
    { key: 'raw', name: 'sescheck-diff-raw', bucket: 'ses_events', prefix: null, errorOutputPrefix: null, compression: null, logging: null },
  ],
  configurationSets: [
    {
      key: 'logging',
      name: 'sescheck-diff-logging',
      api: 'v2',
      tlsPolicy: 'REQUIRE',
      destinations: [
        {
          key: 'firehose',
          name: 'firehose',
          enabled: true,
          eventTypes: ['SEND', 'DELIVERY', 'REJECT', 'BOUNCE', 'COMPLAINT', 'RENDERING_FAILURE', 'DELIVERY_DELAY', 'SUBSCRIPTION'],
          kind: 'firehose',
          stream: 'ses_events',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/sescheck-diff-ses-firehose`,
        },
      ],
    },
    {
      key: 'metrics',
      name: 'sescheck-diff-metrics',
      api: 'v1',
      tlsPolicy: null,
      destinations: [
        { key: 'metrics', name: 'metrics', enabled: true, eventTypes: ['SEND', 'BOUNCE', 'COMPLAINT', 'RENDERING_FAILURE'], kind: 'cloud_watch' },
        {
          key: 'raw',
          name: 'raw',
          enabled: true,
          eventTypes: ['DELIVERY', 'SEND', 'BOUNCE'],
          kind: 'firehose',
          stream: 'raw',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/sescheck-diff-ses-firehose`,
        },
      ],
    },
    {
      key: 'events',
      name: 'sescheck-diff-events',
      api: 'v2',
      tlsPolicy: 'OPTIONAL',
      destinations: [{ key: 'event_bridge', name: 'event-bridge', enabled: true, eventTypes: ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT'], kind: 'event_bridge' }],
    },
  ],
  defaultBus: {
    archives: [{ key: 'ses', name: 'sescheck-diff-ses', eventPattern: '{"source":["aws.ses"]}', retentionDays: 400 }],
    rules: [
      {
        key: 'bounces',
        name: 'sescheck-diff-bounces',
        eventPattern: '{"detail-type":["Email Bounced","Email Complaint Received"],"source":["aws.ses"]}',
        logGroup: 'bounces',
      },
    ],
  },
  identities: [
    { key: 'example_com', identity: 'example.com', api: 'v2', defaultConfigurationSet: 'logging', bounceTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:sescheck-diff-feedback` },
    { key: 'marketing', identity: 'news.example.com', api: 'v2', defaultConfigurationSet: 'metrics', bounceTopicArn: null },
    { key: 'billing', identity: 'billing@example.com', api: 'v2', defaultConfigurationSet: 'events', bounceTopicArn: null },
    // SES v1 has no default configuration set (AWS provider 5.100 has no resource for it either).
    { key: 'noreply', identity: 'noreply@example.org', api: 'v1', defaultConfigurationSet: null, bounceTopicArn: null },
  ],
  workmail: {
    organizationId: 'm-0123456789abcdef0123456789abcdef',
    alias: 'sescheck-diff',
    deliveries: [
      { key: 'access_control', sourceName: 'sescheck-diff-access-control', logType: 'ACCESS_CONTROL_LOGS', destinationName: 'sescheck-diff-audit', logGroup: 'workmail' },
      { key: 'authentication', sourceName: 'sescheck-diff-authentication', logType: 'AUTHENTICATION_LOGS', destinationName: 'sescheck-diff-audit', logGroup: 'workmail' },
    ],
  },
};

export const DEFAULT_BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;

export function organizationArn(setup: ReferenceSetup): string {
  return `arn:aws:workmail:${REGION}:${ACCOUNT}:organization/${setup.workmail.organizationId}`;
}

/** By key; throws on a description that names what it does not hold. */
export function byKey<T extends { key: string }>(items: T[], key: string): T {
  const found = items.find((item) => item.key === key);
  if (!found) throw new Error(`reference setup: no ${key}`);
  return found;
}
