/**
 * The posture document: what every adapter produces and every rule reads.
 * posture.schema.json beside this file is the contract; these types mirror it.
 */

/** Field name -> why its value could not be determined. */
export type Unknowns = Record<string, string>;

export interface Location {
  file: string;
  line?: number | null;
}

/** Fields every top-level posture object carries. */
export interface PostureObject {
  /** Terraform address or ARN; unique in the document. */
  id: string;
  /**
   * AWS account id; null when the input does not name it: the input's one unnamed account, or, with
   * unknown.account, an account that may be another. Objects with equal unknown.account reasons share it.
   */
  account: string | null;
  region: string | null;
  location: Location | null;
  unknown: Unknowns;
}

export interface FieldSelector {
  field: string;
  equals?: string[];
  not_equals?: string[];
  starts_with?: string[];
  not_starts_with?: string[];
  ends_with?: string[];
  not_ends_with?: string[];
  unknown?: Unknowns;
}

export interface AdvancedEventSelector {
  name: string | null;
  field_selectors: FieldSelector[];
  unknown?: Unknowns;
}

export interface BasicEventSelector {
  read_write_type: 'All' | 'ReadOnly' | 'WriteOnly' | null;
  include_management_events: boolean | null;
  exclude_management_event_sources: string[];
  data_resources: { type: string; values: string[] }[];
  unknown?: Unknowns;
}

export interface Trail extends PostureObject {
  kind: 'trail' | 'event_data_store';
  name: string | null;
  arn: string | null;
  multi_region: boolean | null;
  organization: boolean | null;
  /** Accounts known to be members of an organization trail's organization; optional. */
  organization_member_accounts?: string[];
  logging: boolean | null;
  log_file_validation: boolean | null;
  kms_key_id: string | null;
  kms_key: string | null;
  basic_event_selectors: BasicEventSelector[];
  advanced_event_selectors: AdvancedEventSelector[];
  s3_bucket_name: string | null;
  s3_bucket: string | null;
  log_group_arn: string | null;
  log_group: string | null;
  declared_in_settings: boolean;
  /** Trail: the S3 key prefix of its log files; optional. */
  s3_key_prefix?: string | null;
  /** Event data store: retention_period in days; optional. */
  retention_days?: number | null;
}

export const SES_EVENT_TYPES = [
  'SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'OPEN', 'CLICK',
  'RENDERING_FAILURE', 'DELIVERY_DELAY', 'SUBSCRIPTION',
] as const;
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

export type DestinationType = 'kinesis_firehose' | 'cloud_watch' | 'sns' | 'event_bridge' | 'pinpoint';

export interface EventDestination {
  id: string;
  name: string | null;
  enabled: boolean | null;
  event_types: SesEventType[] | null;
  destination_type: DestinationType | null;
  firehose_stream_arn: string | null;
  firehose_stream: string | null;
  sns_topic_arn: string | null;
  /** EventBridge destinations: the bus ARN (SES publishes only to the default bus); optional. */
  event_bus_arn?: string | null;
  /** EventBridge destinations: the id of the event bus object; optional. */
  event_bus?: string | null;
  location: Location | null;
  unknown: Unknowns;
}

export interface ConfigurationSet extends PostureObject {
  name: string | null;
  api: 'v1' | 'v2';
  tls_policy: 'REQUIRE' | 'OPTIONAL' | null;
  event_destinations: EventDestination[];
}

export interface NotificationTopic {
  type: 'BOUNCE' | 'COMPLAINT' | 'DELIVERY';
  topic_arn: string | null;
}

export interface Identity extends PostureObject {
  identity: string | null;
  kind: 'email' | 'domain' | null;
  api: 'v1' | 'v2';
  default_configuration_set_name: string | null;
  default_configuration_set: string | null;
  notification_topics: NotificationTopic[];
  feedback_forwarding_enabled: boolean | null;
  /**
   * Live: whether the identity can send (verified for sending, sending not paused); an identity
   * that cannot send is not judged. Optional: absent when the input does not say (Terraform).
   */
  can_send?: boolean | null;
  /** Why it cannot send, when can_send is false. */
  cannot_send_reason?: string | null;
}

export interface LifecycleRule {
  id: string | null;
  enabled: boolean | null;
  prefix: string | null;
  expiration_days: number | null;
  /** Days a previous version is kept once noncurrent; optional (absent when the input does not say). */
  noncurrent_expiration_days?: number | null;
  /** newer_noncurrent_versions: that many previous versions are kept whatever their age; optional. */
  noncurrent_newer_versions?: number | null;
  /** Current-version expiration on a date (ISO 8601); optional. */
  expiration_date?: string | null;
  /** The filter requires object tags; optional. */
  tag_filter?: boolean;
  object_size_greater_than?: number | null;
  object_size_less_than?: number | null;
  unknown: Unknowns;
}

export interface PublicAccessBlock {
  block_public_acls: boolean | null;
  block_public_policy: boolean | null;
  ignore_public_acls: boolean | null;
  restrict_public_buckets: boolean | null;
}

export interface S3Bucket extends PostureObject {
  name: string | null;
  arn: string | null;
  lifecycle_rules: LifecycleRule[];
  public_access_block: PublicAccessBlock | null;
  public_access_block_source: 'resource' | 's3_default' | 'live' | null;
  /** Live: false when the bucket a trail or stream names does not exist (NoSuchBucket). Optional (absent: exists). */
  exists?: boolean;
  /** Versioning status; optional (absent when the input does not say), null + unknown.versioning when unknown. */
  versioning?: 'Enabled' | 'Suspended' | 'Disabled' | null;
  /** MFA delete (S3 Lifecycle does not run on such a bucket); optional, null + unknown.mfa_delete when unknown. */
  mfa_delete?: boolean | null;
  /** Object Lock default retention in days (years x 365); optional, null when none. */
  object_lock_retention_days?: number | null;
}

export interface AccountPublicAccessBlock extends PostureObject {
  settings: PublicAccessBlock;
}

export interface LogGroup extends PostureObject {
  name: string | null;
  arn: string | null;
  retention_in_days: number | null;
}

export interface FirehoseStream extends PostureObject {
  name: string | null;
  arn: string | null;
  destination: string | null;
  s3_bucket_arn: string | null;
  s3_bucket: string | null;
  compression_format: string | null;
  error_output_prefix: string | null;
  /** The S3 prefix of delivered records; optional, null when not set (Firehose's time prefix). */
  prefix?: string | null;
  cloudwatch_logging: { enabled: boolean | null; log_group_name: string | null; log_group: string | null };
  /** Record format conversion (Parquet/ORC) on: Firehose then compresses the output itself. Optional. */
  format_conversion?: boolean | null;
  /** Live: false when the stream an SES event destination names does not exist. Optional (absent: exists). */
  exists?: boolean;
}

export interface KmsKey extends PostureObject {
  arn: string | null;
}

export interface DeliverySource extends PostureObject {
  name: string | null;
  resource_arn: string | null;
  log_type: string | null;
  /** The id of the WorkMail organization object resource_arn names (by reference when its ARN is known only after apply); optional. */
  workmail_organization?: string | null;
}

export interface DeliveryDestination extends PostureObject {
  name: string | null;
  arn: string | null;
  destination_type: 'cwl' | 's3' | 'fh' | 'xray' | null;
  destination_resource_arn: string | null;
  target: string | null;
}

export interface Delivery extends PostureObject {
  delivery_source_name: string | null;
  delivery_source: string | null;
  delivery_destination_arn: string | null;
  delivery_destination: string | null;
  /** S3 destinations: the suffix path and Hive-compatible setting; optional. */
  s3_suffix_path?: string | null;
  s3_hive_compatible_path?: boolean | null;
}

export interface WorkmailOrganization extends PostureObject {
  /** null with unknown.arn when known only after apply (an aws_workmail_organization in a plan). */
  arn: string | null;
  alias: string | null;
  state: string | null;
}

/** An SES multi-region endpoint (global endpoint); region is its primary region. */
export interface MultiRegionEndpoint extends PostureObject {
  name: string | null;
  /** Every region the endpoint sends from (primary and secondary); null, with unknown.regions, when one is unknown. */
  regions: string[] | null;
}

/** An EventBridge archive on a bus: keeps the events its pattern matches for retention_days. */
export interface EventArchive {
  id: string;
  name: string | null;
  /** The event pattern (JSON text); null: every event of the bus. */
  event_pattern: string | null;
  /** Days kept; null (not in unknown): indefinitely. */
  retention_days: number | null;
  /** ENABLED, DISABLED, CREATING, UPDATING, CREATE_FAILED, UPDATE_FAILED; null when not said (Terraform: ENABLED). */
  state: string | null;
  location: Location | null;
  unknown: Unknowns;
}

/** A target of an EventBridge rule. */
export interface EventTarget {
  id: string;
  /** The target's ARN (a Firehose stream, a log group, an SNS topic...). */
  arn: string | null;
  /** The id of the Firehose stream or log group in this document, or null. */
  target: string | null;
  unknown: Unknowns;
}

/** An EventBridge rule on a bus. */
export interface EventRule {
  id: string;
  name: string | null;
  /** The event pattern (JSON text); null for a schedule rule. */
  event_pattern: string | null;
  /** ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. */
  state: string | null;
  targets: EventTarget[];
  location: Location | null;
  unknown: Unknowns;
}

/** An EventBridge event bus that SES event destinations publish to, with its archives and rules. */
export interface EventBus extends PostureObject {
  name: string | null;
  arn: string | null;
  /**
   * true when the document holds every archive and rule of the bus (live: listed); false when
   * others may exist outside the input (the default bus in a Terraform input).
   */
  complete: boolean;
  archives: EventArchive[];
  rules: EventRule[];
}

export interface PostureNote {
  message: string;
  id?: string | null;
  region?: string | null;
  account?: string | null;
  service?: string | null;
  api?: string | null;
  location?: Location | null;
}

export type InputKind = 'plan' | 'state' | 'config' | 'live';

export interface Posture {
  version: 1;
  source: { kind: InputKind; path: string; stack?: string };
  trails: Trail[];
  configuration_sets: ConfigurationSet[];
  identities: Identity[];
  s3_buckets: S3Bucket[];
  account_public_access_blocks: AccountPublicAccessBlock[];
  log_groups: LogGroup[];
  firehose_streams: FirehoseStream[];
  kms_keys: KmsKey[];
  delivery_sources: DeliverySource[];
  delivery_destinations: DeliveryDestination[];
  deliveries: Delivery[];
  workmail_organizations: WorkmailOrganization[];
  /** Optional: SES multi-region endpoints, whose regions the CloudTrail rules put in scope. */
  multi_region_endpoints?: MultiRegionEndpoint[];
  /** EventBridge buses in the SES logging path; optional (absent: none). */
  event_buses?: EventBus[];
  notes: PostureNote[];
  /**
   * Terraform configuration: module calls sescheck could not read (remote source, missing
   * directory, count/for_each it cannot evaluate). They may declare anything, so verdicts that
   * count on absence (no trail, no event destination, no log delivery) are unknown.
   */
  unread_modules?: UnreadModule[];
}

export interface UnreadModule {
  /** Module instance address: module.a["x"].module.b */
  id: string;
  reason: string;
  location: Location | null;
}

/** An empty posture document for the given source; adapters fill it. */
export function emptyPosture(source: Posture['source']): Posture {
  return {
    version: 1,
    source,
    trails: [],
    configuration_sets: [],
    identities: [],
    s3_buckets: [],
    account_public_access_blocks: [],
    log_groups: [],
    firehose_streams: [],
    kms_keys: [],
    delivery_sources: [],
    delivery_destinations: [],
    deliveries: [],
    workmail_organizations: [],
    multi_region_endpoints: [],
    event_buses: [],
    notes: [],
  };
}
