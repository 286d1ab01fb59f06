/**
 * One factory per posture object kind, for every producer (Terraform, live, settings). A value
 * left undefined is one the input does not say: the factory fills in what AWS does then. null
 * is a value (absent, or unknown when `unknown` names the field). `unread` turns an object into
 * the stand-in a producer posts when it could not read it.
 */
import type {
  AccountPublicAccessBlock,
  AdvancedEventSelector,
  BasicEventSelector,
  ConfigurationSet,
  Delivery,
  DeliveryDestination,
  DeliverySource,
  EventArchive,
  EventBus,
  EventDestination,
  EventRule,
  FirehoseStream,
  Identity,
  KmsKey,
  LifecycleRule,
  LogGroup,
  MultiRegionEndpoint,
  PostureObject,
  PublicAccessBlock,
  S3Bucket,
  Trail,
  Unknowns,
  WorkmailOrganization,
} from './types';
import { MAX_NESTING, jsonTextNestsDeeper } from '../json-object';

/**
 * The fields every top-level object carries; location and unknown may be left out (null, {}).
 * Each factory writes them out first, in this order, rather than spreading a helper's object: a
 * literal of one fixed shape is much cheaper to build for every object of a large plan.
 */
export type Place = Pick<PostureObject, 'id' | 'account' | 'region'> & Partial<Pick<PostureObject, 'location' | 'unknown'>>;

/** A kind's own fields, each optional: undefined takes AWS's default. */
export type Values<T> = { [K in keyof Omit<T, keyof PostureObject>]?: T[K] | undefined };

/**
 * The object with the entries a producer said (not undefined) written over it, as a spread of them
 * would (an own `__proto__` included), without building the object of said entries first.
 */
function withSaid<T extends object>(object: T, values: object): T {
  const target = object as Record<string, unknown>;
  const keys = Object.keys(values);
  // Indexed: called for every object a producer makes, mostly before V8 optimizes it.
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = (values as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    else target[key] = value;
  }
  return object;
}


/**
 * What a trail or event data store is when its settings do not say: CloudTrail's defaults (a
 * trail is single-region, an event data store multi-region) and the AWS provider's
 * (enable_logging defaults to true; settings-declared trails are taken to log).
 */
export const TRAIL_DEFAULTS = {
  trail: { multi_region: false, organization: false, logging: true, log_file_validation: false },
  event_data_store: { multi_region: true, organization: false, logging: true, log_file_validation: null },
} as const;

/** The AWS provider's retention_period (days) for an event data store that does not set one. */
export const EVENT_DATA_STORE_DEFAULT_RETENTION_DAYS = 2555;

export function trail(place: Place, kind: Trail['kind'], values: Values<Omit<Trail, 'kind'>> = {}): Trail {
  return withSaid({
    id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {},
    kind,
    name: null,
    arn: null,
    ...TRAIL_DEFAULTS[kind],
    kms_key_id: null,
    kms_key: null,
    basic_event_selectors: [],
    advanced_event_selectors: [],
    s3_bucket_name: null,
    s3_bucket: null,
    log_group_arn: null,
    log_group: null,
    declared_in_settings: false,
  }, values);
}

/** A basic event selector that says nothing else logs all management events, reads and writes (CloudTrail's default). */
export const BASIC_SELECTOR_DEFAULTS = { read_write_type: 'All', include_management_events: true } as const;

export function basicEventSelector(values: Partial<BasicEventSelector> = {}): BasicEventSelector {
  return withSaid({ ...BASIC_SELECTOR_DEFAULTS, exclude_management_event_sources: [], data_resources: [] }, values);
}

export function advancedEventSelector(values: Partial<AdvancedEventSelector> = {}): AdvancedEventSelector {
  return withSaid({ name: null, field_selectors: [] }, values);
}

export function configurationSet(place: Place, values: Values<ConfigurationSet> = {}): ConfigurationSet {
  // tls_policy null: not set (SES then uses OPTIONAL); the rules read null so.
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, name: null, api: 'v2', tls_policy: null, event_destinations: [] }, values);
}

/** Both SES APIs leave an event destination disabled unless enabled is set. */
export const EVENT_DESTINATION_DEFAULTS = { enabled: false } as const;

export function eventDestination(id: string, values: Omit<Partial<EventDestination>, 'id'> = {}): EventDestination {
  const destination: EventDestination = withSaid({
    id,
    name: null,
    enabled: EVENT_DESTINATION_DEFAULTS.enabled,
    event_types: [],
    destination_type: null,
    firehose_stream_arn: null,
    firehose_stream: null,
    sns_topic_arn: null,
    location: null,
    unknown: {},
  }, values);
  if (destination.destination_type === 'event_bridge' || destination.event_bus_arn !== undefined) {
    destination.event_bus_arn ??= null;
    destination.event_bus ??= null;
  }
  return destination;
}

/** SES forwards bounce and complaint feedback by email unless it is turned off. */
export const IDENTITY_DEFAULTS = { feedback_forwarding_enabled: true } as const;

export function identity(place: Place, values: Values<Identity> = {}): Identity {
  return withSaid({
    id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {},
    identity: null,
    kind: null,
    api: 'v2',
    default_configuration_set_name: null,
    default_configuration_set: null,
    notification_topics: [],
    feedback_forwarding_enabled: IDENTITY_DEFAULTS.feedback_forwarding_enabled,
  }, values);
}

export function s3Bucket(place: Place, values: Values<S3Bucket> = {}): S3Bucket {
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, name: null, arn: null, lifecycle_rules: [], public_access_block: null, public_access_block_source: null }, values);
}

/**
 * The stand-in for a bucket a trail, stream or delivery destination names that does not exist
 * live: nothing else is known, and the rules that follow a link to it fail naming it.
 */
export function missingBucket(place: Place, name: string): S3Bucket {
  return s3Bucket(place, { name, arn: place.id, exists: false });
}

/** What S3 blocks on a bucket created since April 2023 unless told otherwise: all public access. */
export function s3DefaultPublicAccessBlock(): PublicAccessBlock {
  return { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
}

export function accountPublicAccessBlock(place: Place, settings: PublicAccessBlock): AccountPublicAccessBlock {
  return { id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, settings };
}

/** A lifecycle rule that says nothing expires nothing and filters nothing. */
export function lifecycleRule(values: Partial<LifecycleRule> = {}): LifecycleRule {
  return withSaid({
    id: null,
    enabled: null,
    prefix: null,
    expiration_days: null,
    expiration_date: null,
    noncurrent_expiration_days: null,
    noncurrent_newer_versions: null,
    tag_filter: false,
    object_size_greater_than: null,
    object_size_less_than: null,
    unknown: {},
  }, values);
}

/** retention_in_days null: the log group never expires its events (CloudWatch Logs' default). */
export function logGroup(place: Place, values: Values<LogGroup> = {}): LogGroup {
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, name: null, arn: null, retention_in_days: null }, values);
}

export function firehoseStream(place: Place, values: Values<FirehoseStream> = {}): FirehoseStream {
  return withSaid({
    id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {},
    name: null,
    arn: null,
    destination: null,
    s3_bucket_arn: null,
    s3_bucket: null,
    compression_format: null,
    error_output_prefix: null,
    prefix: null,
    // Firehose logs delivery errors only when told to.
    cloudwatch_logging: { enabled: false, log_group_name: null, log_group: null },
  }, values);
}

/** The stand-in for a stream an SES event destination names that does not exist live. */
export function missingFirehoseStream(place: Place, name: string): FirehoseStream {
  return firehoseStream(place, { name, arn: place.id, cloudwatch_logging: { enabled: null, log_group_name: null, log_group: null }, exists: false });
}

export function kmsKey(place: Place, values: Values<KmsKey> = {}): KmsKey {
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, arn: null }, values);
}

export function deliverySource(place: Place, values: Values<DeliverySource> = {}): DeliverySource {
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, name: null, resource_arn: null, log_type: null }, values);
}

export function deliveryDestination(place: Place, values: Values<DeliveryDestination> = {}): DeliveryDestination {
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, name: null, arn: null, destination_type: null, destination_resource_arn: null, target: null }, values);
}

export function delivery(place: Place, values: Values<Delivery> = {}): Delivery {
  return withSaid({
    id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {},
    delivery_source_name: null,
    delivery_source: null,
    delivery_destination_arn: null,
    delivery_destination: null,
    s3_suffix_path: null,
    s3_hive_compatible_path: null,
  }, values);
}

export function workmailOrganization(place: Place, values: Values<WorkmailOrganization> = {}): WorkmailOrganization {
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, arn: null, alias: null, state: null }, values);
}

export function multiRegionEndpoint(place: Place, values: Values<MultiRegionEndpoint> = {}): MultiRegionEndpoint {
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, name: null, regions: null }, values);
}

/** complete false: other archives and rules may exist outside the input until a producer lists them all. */
export function eventBus(place: Place, values: Values<EventBus> = {}): EventBus {
  return withSaid({ id: place.id, account: place.account, region: place.region, location: place.location ?? null, unknown: place.unknown ?? {}, name: null, arn: null, complete: false, archives: [], rules: [] }, values);
}

/** retention_days null keeps events indefinitely; event_pattern null archives every event of the bus. */
export function eventArchive(id: string, values: Omit<Partial<EventArchive>, 'id'> = {}): EventArchive {
  return readablePattern(withSaid({ id, name: null, event_pattern: null, retention_days: null, state: null, location: null, unknown: {} }, values));
}

export function eventRule(id: string, values: Omit<Partial<EventRule>, 'id'> = {}): EventRule {
  return readablePattern(withSaid({ id, name: null, event_pattern: null, state: null, targets: [], location: null, unknown: {} }, values));
}

/**
 * An event pattern is JSON text that the rules parse (json.unmarshal, a recursive parser in the
 * policy wasm that overflows its stack some thousands of levels down). One nested past
 * MAX_NESTING is unknown, with why: what it matches is not decided. EventBridge takes patterns of
 * at most 2048 characters (4096 with a raised quota), so only a hand-made input gets here.
 */
function readablePattern<T extends EventArchive | EventRule>(object: T): T {
  if (typeof object.event_pattern === 'string' && jsonTextNestsDeeper(object.event_pattern)) {
    object.event_pattern = null;
    object.unknown = { ...object.unknown, event_pattern: `nested deeper than ${MAX_NESTING} levels, more than sescheck reads` };
  }
  return object;
}

/** The reason for each of `fields`. */
export function unknownFields(fields: readonly string[], reason: string): Unknowns {
  return Object.fromEntries(fields.map((field) => [field, reason]));
}

/** Fields that link to another object by id: null when unresolved, never an `unknown` key (the raw field says why). */
const LINK_FIELDS: ReadonlySet<string> = new Set([
  's3_bucket', 'log_group', 'kms_key', 'firehose_stream', 'event_bus', 'default_configuration_set', 'delivery_source', 'delivery_destination', 'target',
]);

/**
 * The stand-in for what a producer could not read: each of `fields` unknown for `reason`, its value
 * null (a list stays empty). An object field has each of its values null and unknown as
 * `field.member`; a link is nulled and not named, as the schema's unknown keys say. Returns the same object.
 */
export function unread<T extends { unknown: Unknowns }>(object: T, fields: readonly string[], reason: string): T {
  const values = object as Record<string, unknown>;
  for (const field of fields) {
    const value = values[field];
    if (Array.isArray(value)) values[field] = [];
    else if (typeof value === 'object' && value !== null) {
      values[field] = Object.fromEntries(Object.keys(value).map((key) => [key, null]));
      for (const member of Object.keys(value)) if (!LINK_FIELDS.has(member)) object.unknown[`${field}.${member}`] = reason;
      continue;
    } else values[field] = null;
    if (!LINK_FIELDS.has(field)) object.unknown[field] = reason;
  }
  return object;
}
