/**
 * Resource instances (from any Terraform input) -> the posture document: one mapping per
 * resource type; children (event destinations, notification topics, feedback attributes, public
 * access blocks, lifecycle configurations) attach to their parents; then links are resolved.
 */
import { type ConfigurationSet, type DeliveryDestination, type Identity, type Posture, type PostureObject, type S3Bucket, type Trail, type Unknowns, emptyPosture } from '../../posture/types';
import { parseArn } from '../../posture/arn';
import * as objects from '../../posture/objects';
import { DELIVERY_DESTINATION_TARGETS, deliveryDestinationType, deliveryDestinationTypeOfService, identityKind, notificationType } from '../../posture/vocabulary';
import { advancedSelectors, basicSelectors, defaultRetentionDays, eventDestination, lifecycleRules, publicAccessBlock, topicArn } from './blocks';
import { EventBuses, destinationBus } from './event-buses';
import { Fields, fieldString, notAString } from './fields';
import { type InstanceSet, type ResourceInstance, Unknown } from './instance';
import { Linker, type TargetKind } from './links';


/** A link resolved once every object exists; linked by reference, the raw field is no longer unknown. */
interface PendingLink {
  from: ResourceInstance;
  path: string;
  value: string | null;
  kind: TargetKind;
  /** The raw value is unknown (so a reference may stand in for it). */
  valueUnknown: boolean;
  unknown: Unknowns;
  rawField: string;
  set(id: string): void;
}

function base(instance: ResourceInstance, unknown: Unknowns): objects.Place {
  if (instance.region === null && instance.regionUnknown) unknown.region = instance.regionUnknown;
  // null: the input's one unnamed account (the environment's credentials), unless unknown.account says it may be another.
  if (instance.accountUnknown) unknown.account = instance.accountUnknown;
  return { id: instance.address, account: instance.account ?? null, region: instance.region, location: instance.location, unknown };
}

/**
 * Whether a reference may stand in for a value unknown for this reason: one known only after
 * apply, yes; an expression sescheck did not evaluate (a conditional, a function) may take
 * another branch than the reference, so no.
 */
function standsInForReference(reason: string | undefined): boolean {
  return reason !== undefined && !reason.startsWith('expression not evaluated');
}

/** A child naming its parent with an unknown value, and what it sets on each parent it may belong to. */
interface Orphan {
  instance: ResourceInstance;
  what: string;
  parentField: string;
  reason: string;
  kind: 'configuration_set' | 'identity' | 's3_bucket' | 's3_bucket_versioning' | 's3_bucket_public_access_block' | 's3_bucket_object_lock';
  field: string;
}

/** How a note names a parent kind, and a parent whose name it does not know. */
const PARENT_NOUNS = { identity: ['identity', '(unknown)'], configuration_set: ['configuration set', '(unknown name)'], s3_bucket: ['bucket', '(unknown name)'] } as const;

/** What a child resource names its parent by, how a note calls it, and what it sets on every parent it may belong to when that name is unknown. */
interface ChildOf {
  attribute: string;
  kind: keyof typeof PARENT_NOUNS;
  what: string;
  orphan?: Omit<Orphan, 'instance' | 'reason' | 'what'>;
}

// Constants, not literals at each call: a plan has thousands of children.
const OF_CONFIGURATION_SET_ATTRIBUTES: ChildOf = { attribute: 'email_identity', kind: 'identity', what: 'configuration set attributes', orphan: { parentField: 'email identity', kind: 'identity', field: 'default_configuration_set_name' } };
const OF_EVENT_DESTINATION: ChildOf = { attribute: 'configuration_set_name', kind: 'configuration_set', what: 'event destination', orphan: { parentField: 'configuration set name', kind: 'configuration_set', field: 'event_destinations' } };
const OF_NOTIFICATION_TOPIC: ChildOf = { attribute: 'identity', kind: 'identity', what: 'notification topic', orphan: { parentField: 'identity', kind: 'identity', field: 'notification_topics' } };
const OF_FEEDBACK_ATTRIBUTES: ChildOf = { attribute: 'email_identity', kind: 'identity', what: 'feedback attributes' };
const OF_PUBLIC_ACCESS_BLOCK: ChildOf = { attribute: 'bucket', kind: 's3_bucket', what: 'public access block', orphan: { parentField: 'bucket', kind: 's3_bucket_public_access_block', field: 'public_access_block' } };
const OF_VERSIONING: ChildOf = { attribute: 'bucket', kind: 's3_bucket', what: 'versioning', orphan: { parentField: 'bucket', kind: 's3_bucket_versioning', field: 'versioning' } };
const OF_OBJECT_LOCK_CONFIGURATION: ChildOf = { attribute: 'bucket', kind: 's3_bucket', what: 'Object Lock configuration', orphan: { parentField: 'bucket', kind: 's3_bucket_object_lock', field: 'object_lock_retention_days' } };
const OF_LIFECYCLE_CONFIGURATION: ChildOf = { attribute: 'bucket', kind: 's3_bucket', what: 'lifecycle configuration', orphan: { parentField: 'bucket', kind: 's3_bucket', field: 'lifecycle_rules' } };

function knownString(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

type Mapping = (instance: ResourceInstance, f: Fields) => void;

function mappings(byType: Record<string, Mapping>): ReadonlyMap<string, Mapping> {
  return new Map(Object.entries(byType));
}

export function normalizeInstances(set: InstanceSet, source: Posture['source']): Posture {
  return new PostureBuilder(set, source).build();
}

class PostureBuilder {
  private readonly posture: Posture;
  private readonly linker = new Linker();
  private readonly links: PendingLink[] = [];
  private readonly configurationSets = new Map<string, ConfigurationSet>();
  private readonly identities = new Map<string, Identity>();
  private readonly buckets = new Map<string, S3Bucket>();
  private readonly blockedBuckets = new Set<string>();
  private readonly deliveryDestinations: DeliveryDestination[] = [];
  private readonly lifecycleBuckets = new Set<string>();
  private readonly versionedBuckets = new Set<string>();
  private readonly lockedBuckets = new Set<string>();
  /** Buckets the input creates (not yet in the account). */
  private readonly createdBuckets = new Set<string>();
  private readonly eventBuses = new EventBuses((instance, f, target) => {
    // A rule target stores events when it is a Firehose stream (to S3) or a log group.
    for (const kind of ['firehose_stream', 'log_group'] as const) {
      this.link(instance, f.withUnknown(target.unknown), 'arn', 'arn', target.arn, kind, (id) => (target.target ??= id));
    }
  });
  /** Children whose parent's name is unknown, with no reference: what they set is unknown on every parent they may belong to. */
  private readonly orphans: Orphan[] = [];

  // Maps, not object literals: the type of every instance looks up its mapping, and a type read from the input is not a property key V8 has seen.
  private readonly parents = mappings({
    aws_cloudtrail: (i, f) => this.trail(i, f),
    aws_cloudtrail_event_data_store: (i, f) => this.trail(i, f),
    aws_sesv2_configuration_set: (i, f) => this.configurationSet(i, f),
    aws_ses_configuration_set: (i, f) => this.configurationSet(i, f),
    aws_sesv2_email_identity: (i, f) => this.identity(i, f),
    aws_ses_domain_identity: (i, f) => this.identity(i, f),
    aws_ses_email_identity: (i, f) => this.identity(i, f),
    aws_s3_bucket: (i, f) => this.bucket(i, f),
    aws_s3_account_public_access_block: (i, f) => this.accountPublicAccessBlock(i, f),
    aws_cloudwatch_log_group: (i, f) => this.logGroup(i, f),
    aws_kinesis_firehose_delivery_stream: (i, f) => this.firehoseStream(i, f),
    aws_kms_key: (i, f) => this.kmsKey(i, f),
    aws_kms_alias: (i) => this.linker.addAlias(i),
    aws_cloudwatch_log_delivery_source: (i, f) => this.deliverySource(i, f),
    aws_cloudwatch_log_delivery_destination: (i, f) => this.deliveryDestination(i, f),
    aws_cloudwatch_log_delivery: (i, f) => this.delivery(i, f),
    aws_sesv2_multi_region_endpoint: (i, f) => this.multiRegionEndpoint(i, f),
    aws_workmail_organization: (i, f) => this.workmailOrganization(i, f),
    aws_cloudwatch_event_bus: (i, f) => this.eventBuses.declare(i, f),
  });

  private readonly children = mappings({
    aws_ses_event_destination: (i, f) => this.eventDestination(i, f),
    aws_sesv2_configuration_set_event_destination: (i, f) => this.eventDestination(i, f),
    aws_ses_identity_notification_topic: (i, f) => this.notificationTopic(i, f),
    aws_sesv2_email_identity_feedback_attributes: (i, f) => this.feedbackAttributes(i, f),
    aws_s3_bucket_public_access_block: (i, f) => this.bucketPublicAccessBlock(i, f),
    aws_s3_bucket_lifecycle_configuration: (i, f) => this.lifecycleConfiguration(i, f),
    aws_s3_bucket_versioning: (i, f) => this.bucketVersioning(i, f),
    aws_s3_bucket_object_lock_configuration: (i, f) => this.bucketObjectLock(i, f),
    aws_sesv2_email_identity_configuration_set_attributes: (i, f) => this.identityConfigurationSet(i, f),
    aws_cloudwatch_event_archive: (i, f) => this.eventBuses.archive(i, f),
    aws_cloudwatch_event_rule: (i, f) => this.eventBuses.rule(i, f),
    aws_cloudwatch_event_target: (i, f) => this.eventBuses.target(i, f),
  });

  constructor(
    private readonly set: InstanceSet,
    source: Posture['source'],
  ) {
    this.posture = emptyPosture(source);
    this.posture.notes.push(...set.notes);
  }

  build(): Posture {
    // A map: a resource type such as `constructor` or `__proto__` is data, not a method.
    // Indexed loops: a for-of allocates an iterator result per instance until V8 optimizes the loop.
    const instances = this.set.instances;
    // Children after every parent; the first pass lists them, so the second does not look up each instance's type again.
    // Two lists side by side, not an object per child.
    const children: ResourceInstance[] = [];
    const childMappings: Mapping[] = [];
    for (let i = 0; i < instances.length; i++) {
      const instance = instances[i];
      const parent = this.parents.get(instance.type);
      if (parent !== undefined) {
        parent(instance, new Fields(instance));
        continue;
      }
      const child = this.children.get(instance.type);
      if (child !== undefined) {
        children.push(instance);
        childMappings.push(child);
      }
    }
    for (let i = 0; i < children.length; i++) childMappings[i](children[i], new Fields(children[i]));
    this.eventBuses.attachTargets((instance, message) => this.note(instance, message));
    this.markOrphanParents();
    this.markUnreadModuleParents();
    this.resolveLinks();
    this.applyDefaults();
    this.noteUnevaluatedExpressions();
    this.posture.event_buses = this.eventBuses.all;
    return this.posture;
  }

  private link(from: ResourceInstance, fields: Fields, attribute: string, rawField: string, value: string | null, kind: TargetKind, set: (id: string) => void): void {
    this.links.push({ from, path: fields.path(attribute), value, kind, valueUnknown: standsInForReference(fields.unknown[rawField]), unknown: fields.unknown, rawField, set });
  }

  /** The parent a child resource names (by reference, or by name/ARN), resolved once every parent is registered. */
  private parentOf(from: ResourceInstance, f: Fields, attribute: string, kind: TargetKind): { id: string | null; value: string | null; unknown?: string } {
    // The value as Fields.string reads it, its reason not recorded on the child.
    const raw = f.raw(attribute);
    const unknown = raw instanceof Unknown ? raw.reason : notAString(raw);
    const value = unknown === undefined ? fieldString(raw) : null;
    return { id: this.linker.link(from, f.path(attribute), value, kind, standsInForReference(unknown)).id, value, unknown };
  }

  /** A child naming its parent with an unknown value may belong to any parent of that kind (in its region). */
  private orphan(instance: ResourceInstance, parent: { id: string | null; unknown?: string }, entry: Omit<Orphan, 'instance' | 'reason'>): void {
    if (parent.id === null && parent.unknown) this.orphans.push({ instance, reason: parent.unknown, ...entry });
  }

  /**
   * The parent object a child resource attaches to. When it is not in the input the child is
   * noted, and, when the parent's name is unknown, it may belong to any parent of the kind.
   */
  private parentObject<T>(
    instance: ResourceInstance,
    f: Fields,
    parents: Map<string, T>,
    child: ChildOf,
  ): T | undefined {
    const parent = this.parentOf(instance, f, child.attribute, child.kind);
    const object = parent.id ? parents.get(parent.id) : undefined;
    if (object) return object;
    const [noun, unnamed] = PARENT_NOUNS[child.kind];
    this.note(instance, `${child.what} for ${noun} ${parent.value ?? unnamed}, which is not in the input; not checked`);
    if (child.orphan) this.orphan(instance, parent, { what: child.what, ...child.orphan });
    return undefined;
  }

  private markOrphanParents(): void {
    // Most inputs have none: the lists of parents are not built.
    if (this.orphans.length === 0) return;
    const parents = {
      configuration_set: [...this.configurationSets.values()],
      identity: [...this.identities.values()],
      // A bucket with its own lifecycle configuration cannot have a second one.
      s3_bucket: [...this.buckets.values()].filter((bucket) => !this.lifecycleBuckets.has(bucket.id)),
      s3_bucket_versioning: [...this.buckets.values()].filter((bucket) => !this.versionedBuckets.has(bucket.id)),
      s3_bucket_public_access_block: [...this.buckets.values()].filter((bucket) => !this.blockedBuckets.has(bucket.id)),
      s3_bucket_object_lock: [...this.buckets.values()].filter((bucket) => !this.lockedBuckets.has(bucket.id)),
    };
    for (const orphan of this.orphans) {
      // SES names sets and identities per region; bucket names are global.
      const candidates = (parents[orphan.kind] as PostureObject[]).filter(
        (parent) => orphan.kind.startsWith('s3_bucket') || parent.region === null || orphan.instance.region === null || parent.region === orphan.instance.region,
      );
      for (const parent of candidates) {
        parent.unknown[orphan.field] ??= `${orphan.what} ${orphan.instance.address} may belong to it: its ${orphan.parentField} is unknown (${orphan.reason})`;
        if (orphan.field === 'versioning') (parent as S3Bucket).versioning = null;
        if (orphan.field === 'object_lock_retention_days') (parent as S3Bucket).object_lock_retention_days = null;
        // Not S3's default either: that public access block may turn settings off.
        if (orphan.field === 'public_access_block') this.blockedBuckets.add(parent.id);
      }
    }
  }

  /**
   * A module sescheck cannot read may declare anything: the posture says so (rules that count on
   * absence answer unknown), and what its arguments refer to may get children from it.
   */
  private markUnreadModuleParents(): void {
    for (const module of this.set.unreadModules ?? []) {
      this.posture.unread_modules ??= [];
      this.posture.unread_modules.push({ id: module.id, reason: module.reason, location: module.location });
      const why = (what: string): string => `${module.id} receives it and may declare ${what} for it; the module is not read (${module.reason})`;
      for (const address of module.references) {
        const configurationSet = this.configurationSets.get(address);
        if (configurationSet) configurationSet.unknown.event_destinations ??= why('event destinations');
        const identity = this.identities.get(address);
        if (identity) identity.unknown.notification_topics ??= why('notification topics');
        const bucket = this.buckets.get(address);
        if (!bucket) continue;
        if (!this.lifecycleBuckets.has(bucket.id)) bucket.unknown.lifecycle_rules ??= why('a lifecycle configuration');
        if (!this.versionedBuckets.has(bucket.id)) {
          bucket.unknown.versioning ??= why('versioning');
          bucket.versioning = null;
        }
        if (!this.blockedBuckets.has(bucket.id)) {
          bucket.unknown.public_access_block ??= why('a public access block');
          this.blockedBuckets.add(bucket.id);
        }
      }
    }
  }

  private note(instance: ResourceInstance, message: string): void {
    this.posture.notes.push({ id: instance.address, message, location: instance.location });
  }

  private trail(instance: ResourceInstance, f: Fields): void {
    const isTrail = instance.type === 'aws_cloudtrail';
    const kind = isTrail ? 'trail' : 'event_data_store';
    const defaults = objects.TRAIL_DEFAULTS[kind];
    const unknown = f.unknown;
    const suspended = isTrail ? null : f.string('suspend', 'logging', true);
    const trail = objects.trail(base(instance, unknown), kind, {
      name: f.string('name', 'name'),
      arn: f.computed('arn', 'arn'),
      multi_region: f.bool(isTrail ? 'is_multi_region_trail' : 'multi_region_enabled', 'multi_region', defaults.multi_region),
      organization: f.bool(isTrail ? 'is_organization_trail' : 'organization_enabled', 'organization', defaults.organization),
      logging: isTrail ? f.bool('enable_logging', 'logging', defaults.logging) : 'logging' in unknown ? null : suspended?.toLowerCase() !== 'true',
      log_file_validation: isTrail ? f.bool('enable_log_file_validation', 'log_file_validation', defaults.log_file_validation) : null,
      kms_key_id: f.string('kms_key_id', 'kms_key_id', true),
      basic_event_selectors: isTrail ? basicSelectors(f) : [],
      advanced_event_selectors: advancedSelectors(f, !isTrail),
      s3_bucket_name: isTrail ? f.string('s3_bucket_name', 's3_bucket_name') : null,
      log_group_arn: isTrail ? f.string('cloud_watch_logs_group_arn', 'log_group_arn', true) : null,
      s3_key_prefix: isTrail ? f.string('s3_key_prefix', 's3_key_prefix', true) : undefined,
      // The AWS provider sends retention_period = 2555 when it is not set.
      retention_days: isTrail ? undefined : (f.integer('retention_period', 'retention_days') ?? ('retention_days' in unknown ? null : objects.EVENT_DATA_STORE_DEFAULT_RETENTION_DAYS)),
    });
    if (isTrail && this.posture.source.kind === 'state') this.stateSelectors(trail, unknown);
    this.link(instance, f, 'kms_key_id', 'kms_key_id', trail.kms_key_id, 'kms_key', (id) => (trail.kms_key = id));
    if (isTrail) {
      this.link(instance, f, 's3_bucket_name', 's3_bucket_name', trail.s3_bucket_name, 's3_bucket', (id) => (trail.s3_bucket = id));
      this.link(instance, f, 'cloud_watch_logs_group_arn', 'log_group_arn', trail.log_group_arn, 'log_group', (id) => (trail.log_group = id));
    }
    this.posture.trails.push(trail);
  }

  /**
   * A state holds what the AWS provider read back, and the provider reads one basic selector of
   * ReadWriteType All, without data resources or excluded sources, as no selector, whatever its
   * IncludeManagementEvents. So a trail without selectors in a state has CloudTrail's default or
   * that selector: SES management events are unknown, SES sends are not recorded either way.
   */
  private stateSelectors(trail: Trail, unknown: Unknowns): void {
    if (trail.basic_event_selectors.length || trail.advanced_event_selectors.length) return;
    if ('basic_event_selectors' in unknown || 'advanced_event_selectors' in unknown) return;
    trail.basic_event_selectors = [
      objects.basicEventSelector({
        read_write_type: 'All',
        include_management_events: null,
        unknown: {
          include_management_events:
            'the state has no event selector, which the AWS provider also writes for one selector of read/write type All without data resources, whatever its IncludeManagementEvents',
        },
      }),
    ];
  }

  private configurationSet(instance: ResourceInstance, f: Fields): void {
    const v2 = instance.type === 'aws_sesv2_configuration_set';
    const tls = f.block('delivery_options', 'tls_policy')?.string('tls_policy', 'tls_policy', true)?.toUpperCase() ?? null;
    const configurationSet = objects.configurationSet(base(instance, f.unknown), {
      name: f.string(v2 ? 'configuration_set_name' : 'name', 'name'),
      api: v2 ? 'v2' : 'v1',
      tls_policy: tls === 'REQUIRE' || tls === 'OPTIONAL' ? tls : null,
    });
    if (tls !== null && configurationSet.tls_policy === null) f.unknown.tls_policy = `unrecognized TLS policy ${tls}`;
    this.configurationSets.set(instance.address, configurationSet);
    this.linker.add('configuration_set', instance.address, instance.region, [configurationSet.name, knownString(f.raw('arn'))]);
    this.posture.configuration_sets.push(configurationSet);
  }

  private identity(instance: ResourceInstance, f: Fields): void {
    const v2 = instance.type === 'aws_sesv2_email_identity';
    const name = f.string(v2 ? 'email_identity' : instance.type === 'aws_ses_domain_identity' ? 'domain' : 'email', 'identity');
    // The provider requires the identity: absent or empty only in a hand-made plan, and not known then.
    if (name === null) f.unknown.identity ??= 'not given (the provider requires it)';
    const kind = instance.type === 'aws_ses_domain_identity' ? 'domain' : instance.type === 'aws_ses_email_identity' ? 'email' : null;
    const identity = objects.identity(base(instance, f.unknown), {
      identity: name,
      kind: kind ?? (name === null ? null : identityKind(name)),
      api: v2 ? 'v2' : 'v1',
      // v1 identity resources cannot name a default configuration set.
      default_configuration_set_name: v2 ? f.string('configuration_set_name', 'default_configuration_set_name') : null,
    });
    if (identity.kind === null) f.unknown.kind = f.unknown.identity;
    if (v2) {
      this.link(instance, f, 'configuration_set_name', 'default_configuration_set_name', identity.default_configuration_set_name, 'configuration_set', (id) => (identity.default_configuration_set = id));
    }
    this.identities.set(instance.address, identity);
    this.linker.add('identity', instance.address, instance.region, [name, knownString(f.raw('arn'))]);
    this.posture.identities.push(identity);
  }

  private bucket(instance: ResourceInstance, f: Fields): void {
    const bucket = objects.s3Bucket(base(instance, f.unknown), {
      name: f.computed('bucket', 'name'),
      arn: f.computed('arn', 'arn'),
      lifecycle_rules: lifecycleRules(f, 'lifecycle_rule') ?? [],
    });
    const versioning = f.block('versioning', 'versioning');
    if (versioning) {
      const enabled = versioning.bool('enabled', 'versioning', false);
      bucket.versioning = enabled === null ? null : enabled ? 'Enabled' : 'Disabled';
      bucket.mfa_delete = versioning.bool('mfa_delete', 'mfa_delete', false);
    } else if ('versioning' in f.unknown) {
      bucket.versioning = null;
    } else if (instance.created) {
      // A new bucket is not versioned unless told (an aws_s3_bucket_versioning may still say so);
      // Object Lock turns versioning on.
      const locked = f.bool('object_lock_enabled', 'versioning', false);
      bucket.versioning = locked === null ? null : locked ? 'Enabled' : 'Disabled';
      bucket.mfa_delete = false;
    }
    // The bucket's legacy object_lock_configuration block (an aws_s3_bucket_object_lock_configuration replaces it).
    const lock = f.block('object_lock_configuration', 'object_lock_retention_days');
    if (lock) bucket.object_lock_retention_days = defaultRetentionDays(lock.block('rule', 'object_lock_retention_days'));
    else if ('object_lock_retention_days' in f.unknown) bucket.object_lock_retention_days = null;
    else if (instance.created) bucket.object_lock_retention_days = null;
    this.buckets.set(instance.address, bucket);
    if (instance.created) this.createdBuckets.add(instance.address);
    this.linker.add('s3_bucket', instance.address, instance.region, [bucket.name, bucket.arn]);
    this.posture.s3_buckets.push(bucket);
  }

  private accountPublicAccessBlock(instance: ResourceInstance, f: Fields): void {
    // An account-wide setting: no region.
    const settings = f.withUnknown({});
    const block = objects.accountPublicAccessBlock({ ...base(instance, f.unknown), region: null }, publicAccessBlock(settings));
    for (const [field, reason] of Object.entries(settings.unknown)) block.unknown[`settings.${field}`] = reason;
    // account_id names the account explicitly (default: the provider's).
    const accountId = knownString(f.raw('account_id'));
    if (accountId) {
      block.account = accountId;
      delete block.unknown.account;
    }
    this.posture.account_public_access_blocks.push(block);
    delete f.unknown.region;
  }

  private logGroup(instance: ResourceInstance, f: Fields): void {
    const logGroup = objects.logGroup(base(instance, f.unknown), {
      name: f.computed('name', 'name'),
      arn: f.computed('arn', 'arn'),
      // 0 and absent both mean never expire.
      retention_in_days: f.integer('retention_in_days', 'retention_in_days') || null,
    });
    this.linker.add('log_group', instance.address, instance.region, [logGroup.name, logGroup.arn]);
    this.posture.log_groups.push(logGroup);
  }

  private firehoseStream(instance: ResourceInstance, f: Fields): void {
    const destination = f.string('destination', 'destination');
    const s3 = destination === 'extended_s3' ? f.block('extended_s3_configuration', 's3_bucket_arn') : null;
    const logging = destination ? f.block(`${destination}_configuration`, 'cloudwatch_logging.enabled')?.block('cloudwatch_logging_options', 'cloudwatch_logging.enabled') : null;
    const stream = objects.firehoseStream(base(instance, f.unknown), {
      name: f.string('name', 'name'),
      arn: f.computed('arn', 'arn'),
      destination,
      s3_bucket_arn: s3?.string('bucket_arn', 's3_bucket_arn') ?? null,
      // Not set: the AWS provider plans (and Firehose answers) UNCOMPRESSED.
      compression_format: s3 ? (s3.string('compression_format', 'compression_format', true) ?? ('compression_format' in f.unknown ? null : 'UNCOMPRESSED')) : null,
      error_output_prefix: s3?.string('error_output_prefix', 'error_output_prefix', true) ?? null,
      prefix: s3?.string('prefix', 'prefix', true) ?? null,
      cloudwatch_logging: {
        enabled: logging ? logging.bool('enabled', 'cloudwatch_logging.enabled', false) : 'cloudwatch_logging.enabled' in f.unknown ? null : false,
        log_group_name: logging?.string('log_group_name', 'cloudwatch_logging.log_group_name', true) ?? null,
        log_group: null,
      },
    });
    // The logging block unknown as a whole: so is the log group it names.
    if (!logging && f.unknown['cloudwatch_logging.enabled']) f.unknown['cloudwatch_logging.log_group_name'] ??= f.unknown['cloudwatch_logging.enabled'];
    // The whole S3 configuration unknown: so are the fields it holds.
    if (destination === 'extended_s3' && !s3 && f.unknown.s3_bucket_arn) {
      for (const field of ['compression_format', 'error_output_prefix', 'prefix', 'format_conversion']) f.unknown[field] ??= f.unknown.s3_bucket_arn;
      stream.format_conversion = null;
    }
    if (s3) {
      // Parquet/ORC conversion compresses its output; the block is on unless enabled = false.
      const conversion = s3.block('data_format_conversion_configuration', 'format_conversion');
      stream.format_conversion = conversion ? conversion.bool('enabled', 'format_conversion', true) : 'format_conversion' in f.unknown ? null : false;
    }
    if (s3) this.link(instance, s3, 'bucket_arn', 's3_bucket_arn', stream.s3_bucket_arn, 's3_bucket', (id) => (stream.s3_bucket = id));
    if (logging) {
      this.link(instance, logging, 'log_group_name', 'cloudwatch_logging.log_group_name', stream.cloudwatch_logging.log_group_name, 'log_group', (id) => (stream.cloudwatch_logging.log_group = id));
    }
    this.linker.add('firehose_stream', instance.address, instance.region, [stream.name, stream.arn]);
    this.posture.firehose_streams.push(stream);
  }

  private kmsKey(instance: ResourceInstance, f: Fields): void {
    const key = objects.kmsKey(base(instance, f.unknown), { arn: f.computed('arn', 'arn') });
    this.linker.add('kms_key', instance.address, instance.region, [key.arn, knownString(f.raw('key_id')), knownString(f.raw('id'))]);
    this.posture.kms_keys.push(key);
  }

  private deliverySource(instance: ResourceInstance, f: Fields): void {
    const source = objects.deliverySource(base(instance, f.unknown), {
      name: f.string('name', 'name'),
      resource_arn: f.string('resource_arn', 'resource_arn'),
      log_type: f.string('log_type', 'log_type'),
    });
    this.linker.add('delivery_source', instance.address, instance.region, [source.name, knownString(f.raw('arn'))]);
    this.link(instance, f, 'resource_arn', 'resource_arn', source.resource_arn, 'workmail_organization', (id) => {
      source.workmail_organization = id;
    });
    this.posture.delivery_sources.push(source);
  }

  private workmailOrganization(instance: ResourceInstance, f: Fields): void {
    const organization = objects.workmailOrganization(base(instance, f.unknown), {
      arn: f.computed('arn', 'arn'),
      alias: f.string('organization_alias', 'alias'),
      state: knownString(f.raw('state')),
    });
    this.linker.add('workmail_organization', instance.address, instance.region, [organization.arn]);
    this.posture.workmail_organizations.push(organization);
  }

  /** aws_sesv2_email_identity_configuration_set_attributes: an identity's default configuration set, v1- or v2-declared. */
  private identityConfigurationSet(instance: ResourceInstance, f: Fields): void {
    const identity = this.parentObject(instance, f, this.identities, OF_CONFIGURATION_SET_ATTRIBUTES);
    if (!identity) return;
    const own = f.withUnknown(identity.unknown);
    delete identity.unknown.default_configuration_set_name;
    identity.default_configuration_set_name = own.string('configuration_set_name', 'default_configuration_set_name');
    this.link(instance, own, 'configuration_set_name', 'default_configuration_set_name', identity.default_configuration_set_name, 'configuration_set', (id) => (identity.default_configuration_set = id));
  }

  private deliveryDestination(instance: ResourceInstance, f: Fields): void {
    const configuration = f.block('delivery_destination_configuration', 'destination_resource_arn');
    const destination = objects.deliveryDestination(base(instance, f.unknown), {
      name: f.string('name', 'name'),
      arn: f.computed('arn', 'arn'),
      destination_type: deliveryDestinationType(f.string('delivery_destination_type', 'destination_type', true)),
      destination_resource_arn: configuration?.string('destination_resource_arn', 'destination_resource_arn') ?? null,
    });
    // Not said: the type of the resource it is found to write to.
    const targets = Object.entries(DELIVERY_DESTINATION_TARGETS) as [keyof typeof DELIVERY_DESTINATION_TARGETS, TargetKind][];
    for (const [type, kind] of configuration ? targets : []) {
      this.link(instance, configuration as Fields, 'destination_resource_arn', 'destination_resource_arn', destination.destination_resource_arn, kind, (id) => {
        destination.target ??= id;
        destination.destination_type ??= type;
        delete f.unknown.destination_type;
      });
    }
    this.linker.add('delivery_destination', instance.address, instance.region, [destination.name, destination.arn]);
    this.deliveryDestinations.push(destination);
    this.posture.delivery_destinations.push(destination);
  }

  private delivery(instance: ResourceInstance, f: Fields): void {
    const delivery = objects.delivery(base(instance, f.unknown), {
      delivery_source_name: f.string('delivery_source_name', 'delivery_source_name'),
      delivery_destination_arn: f.string('delivery_destination_arn', 'delivery_destination_arn'),
    });
    const s3 = f.block('s3_delivery_configuration', 's3_suffix_path');
    if (s3) {
      delivery.s3_suffix_path = s3.string('suffix_path', 's3_suffix_path', true);
      delivery.s3_hive_compatible_path = s3.bool('enable_hive_compatible_path', 's3_hive_compatible_path', false);
    }
    this.link(instance, f, 'delivery_source_name', 'delivery_source_name', delivery.delivery_source_name, 'delivery_source', (id) => (delivery.delivery_source = id));
    this.link(instance, f, 'delivery_destination_arn', 'delivery_destination_arn', delivery.delivery_destination_arn, 'delivery_destination', (id) => (delivery.delivery_destination = id));
    this.posture.deliveries.push(delivery);
  }

  /** AWS provider 6: the endpoint is created in its primary region; details.routes_details names the secondary. */
  private multiRegionEndpoint(instance: ResourceInstance, f: Fields): void {
    const unknown = f.unknown;
    const routes = (f.blocks('details', 'regions') ?? []).flatMap((details) => details.withUnknown(unknown).blocks('routes_details', 'regions') ?? []);
    const secondaries = routes.map((route) => route.withUnknown(unknown).string('region', 'regions'));
    const known = instance.region !== null && !('regions' in unknown) && secondaries.every((region) => region !== null);
    if (!known) unknown.regions ??= `the primary region is unknown (${instance.regionUnknown ?? 'not given'})`;
    this.posture.multi_region_endpoints?.push(objects.multiRegionEndpoint(base(instance, unknown), {
      name: f.string('endpoint_name', 'name'),
      regions: known ? [...new Set([instance.region as string, ...(secondaries as string[])])] : null,
    }));
  }

  private eventDestination(instance: ResourceInstance, f: Fields): void {
    const configurationSet = this.parentObject(instance, f, this.configurationSets, OF_EVENT_DESTINATION);
    if (!configurationSet) return;
    const { destination, firehose, unrecognized } = eventDestination(instance, f);
    if (unrecognized.length) this.note(instance, `event types ${unrecognized.join(', ')} are not SES event types; ignored`);
    if (firehose) {
      const arnField = instance.type === 'aws_ses_event_destination' ? 'stream_arn' : 'delivery_stream_arn';
      this.link(instance, firehose, arnField, 'firehose_stream_arn', destination.firehose_stream_arn, 'firehose_stream', (id) => (destination.firehose_stream = id));
    }
    if (destination.destination_type === 'event_bridge') destination.event_bus = destinationBus(this.eventBuses, instance, destination.event_bus_arn ?? null).id;
    configurationSet.event_destinations.push(destination);
  }

  private notificationTopic(instance: ResourceInstance, f: Fields): void {
    const identity = this.parentObject(instance, f, this.identities, OF_NOTIFICATION_TOPIC);
    // Read as Fields.string reads it; an unknown type is not read (no reason kept).
    const typeValue = f.raw('notification_type');
    const type = typeValue instanceof Unknown ? null : fieldString(typeValue);
    const mapped = notificationType(type);
    if (!identity) return;
    if (!mapped) this.note(instance, `notification type ${type ?? '(unknown)'} not read`);
    else identity.notification_topics.push({ type: mapped, topic_arn: topicArn(instance, f, identity.unknown, `notification_topics.${mapped}`) });
  }

  private feedbackAttributes(instance: ResourceInstance, f: Fields): void {
    const identity = this.parentObject(instance, f, this.identities, OF_FEEDBACK_ATTRIBUTES);
    if (!identity) return;
    identity.feedback_forwarding_enabled = f.withUnknown(identity.unknown).bool('email_forwarding_enabled', 'feedback_forwarding_enabled', false);
  }

  private bucketPublicAccessBlock(instance: ResourceInstance, f: Fields): void {
    const bucket = this.parentObject(instance, f, this.buckets, OF_PUBLIC_ACCESS_BLOCK);
    if (!bucket) return;
    const settings = f.withUnknown({});
    bucket.public_access_block = publicAccessBlock(settings);
    for (const [field, reason] of Object.entries(settings.unknown)) bucket.unknown[`public_access_block.${field}`] = reason;
    bucket.public_access_block_source = 'resource';
    this.blockedBuckets.add(bucket.id);
  }

  private bucketVersioning(instance: ResourceInstance, f: Fields): void {
    const bucket = this.parentObject(instance, f, this.buckets, OF_VERSIONING);
    if (!bucket) return;
    this.versionedBuckets.add(bucket.id);
    const unknown: Unknowns = {};
    const configuration = f.withUnknown(unknown).block('versioning_configuration', 'versioning');
    const status = configuration?.string('status', 'versioning') ?? null;
    const mfaDelete = configuration?.string('mfa_delete', 'mfa_delete', true) ?? null;
    delete bucket.unknown.versioning;
    delete bucket.unknown.mfa_delete;
    bucket.mfa_delete = 'mfa_delete' in unknown ? null : mfaDelete === 'Enabled';
    if (bucket.mfa_delete === null) bucket.unknown.mfa_delete = unknown.mfa_delete;
    if (status === 'Enabled' || status === 'Suspended' || status === 'Disabled') bucket.versioning = status;
    else {
      bucket.versioning = null;
      bucket.unknown.versioning = unknown.versioning ?? `unrecognized versioning status ${JSON.stringify(status)}`;
    }
  }

  private bucketObjectLock(instance: ResourceInstance, f: Fields): void {
    const bucket = this.parentObject(instance, f, this.buckets, OF_OBJECT_LOCK_CONFIGURATION);
    if (!bucket) return;
    this.lockedBuckets.add(bucket.id);
    const unknown: Unknowns = {};
    delete bucket.unknown.object_lock_retention_days;
    bucket.object_lock_retention_days = defaultRetentionDays(f.withUnknown(unknown).block('rule', 'object_lock_retention_days'));
    if (unknown.object_lock_retention_days) bucket.unknown.object_lock_retention_days = unknown.object_lock_retention_days;
  }

  private lifecycleConfiguration(instance: ResourceInstance, f: Fields): void {
    const bucket = this.parentObject(instance, f, this.buckets, OF_LIFECYCLE_CONFIGURATION);
    if (!bucket) return;
    this.lifecycleBuckets.add(bucket.id);
    // A lifecycle configuration resource replaces the bucket's whole configuration, inline rules included.
    const rules = lifecycleRules(f.withUnknown(bucket.unknown), 'rule');
    bucket.lifecycle_rules = rules ?? [];
    if (rules !== null) delete bucket.unknown.lifecycle_rules;
  }

  private resolveLinks(): void {
    const links = this.links;
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      const result = this.linker.link(link.from, link.path, link.value, link.kind, link.valueUnknown);
      if (result.id !== null) {
        link.set(result.id);
        if (result.byReference) delete link.unknown[link.rawField];
      } else if (result.ambiguous && link.value === null) {
        link.unknown[link.rawField] = `refers to several instances (${result.ambiguous.join(', ')}); cannot tell which`;
      }
    }
  }

  private applyDefaults(): void {
    for (const bucket of this.posture.s3_buckets) {
      if (!this.blockedBuckets.has(bucket.id) && this.createdBuckets.has(bucket.id)) {
        // S3 blocks all public access on buckets created since April 2023 unless told otherwise.
        bucket.public_access_block = objects.s3DefaultPublicAccessBlock();
        bucket.public_access_block_source = 's3_default';
      }
    }
    for (const destination of this.deliveryDestinations) {
      if (destination.destination_type === null && destination.destination_resource_arn) {
        destination.destination_type = deliveryDestinationTypeOfService(parseArn(destination.destination_resource_arn)?.service);
        if (destination.destination_type) delete destination.unknown.destination_type;
      }
    }
  }

  /** The report says which expressions were not evaluated: one note per object and expression. */
  private noteUnevaluatedExpressions(): void {
    const posture = this.posture;
    // The lists in turn, not copied into one (a plan has one object per mapped instance).
    const lists: readonly (readonly Pick<PostureObject, 'id' | 'location' | 'unknown'>[])[] = [
      posture.trails, posture.configuration_sets, ...posture.configuration_sets.map((c) => c.event_destinations),
      posture.identities, posture.s3_buckets, posture.account_public_access_blocks, posture.log_groups,
      posture.firehose_streams, posture.kms_keys, posture.delivery_sources, posture.delivery_destinations, posture.deliveries,
    ];
    for (const list of lists) for (let i = 0; i < list.length; i++) {
      const object = list[i];
      // Most objects have no unevaluated expression: no map for them.
      let fieldsByReason: Map<string, string[]> | undefined;
      // for-in, no array of keys per object (an unknown map is a plain object: no inherited keys).
      for (const field in object.unknown) {
        const reason = object.unknown[field];
        if (!reason.startsWith('expression not evaluated')) continue;
        fieldsByReason ??= new Map();
        const fields = fieldsByReason.get(reason);
        if (fields) fields.push(field);
        else fieldsByReason.set(reason, [field]);
      }
      for (const [reason, fields] of fieldsByReason ?? []) {
        posture.notes.push({ id: object.id, message: `${fields.join(', ')} unknown, ${reason}`, location: object.location });
      }
    }
  }
}
