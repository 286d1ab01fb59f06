/**
 * Resource instances (from any Terraform input) -> the posture document: one mapping per
 * resource type, then links resolved and child resources (event destinations, notification
 * topics, public access blocks, lifecycle configurations) attached to their parents.
 */
import {
  type AdvancedEventSelector,
  type BasicEventSelector,
  type ConfigurationSet,
  type DeliveryDestination,
  type EventDestination,
  type FieldSelector,
  type FirehoseStream,
  type Identity,
  type LifecycleRule,
  type Posture,
  type PostureObject,
  type PublicAccessBlock,
  type S3Bucket,
  SES_EVENT_TYPES,
  type SesEventType,
  type Trail,
  type Unknowns,
  emptyPosture,
} from '../../posture/types';
import { Fields } from './fields';
import { type InstanceSet, type ResourceInstance, Unknown } from './instance';
import { Linker, type TargetKind } from './links';

const OPERATORS = ['equals', 'not_equals', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with'] as const;
const NOTIFICATION_TYPES = { Bounce: 'BOUNCE', Complaint: 'COMPLAINT', Delivery: 'DELIVERY' } as const;
const DELIVERY_DESTINATION_TYPES = { CWL: 'cwl', S3: 's3', FH: 'fh', XRAY: 'xray' } as const;

/** A link to resolve once every object exists: sets the link field, and clears the raw field's unknown when linked by reference. */
interface PendingLink {
  from: ResourceInstance;
  path: string;
  value: string | null;
  kind: TargetKind;
  unknown: Unknowns;
  rawField: string;
  set(id: string | null): void;
}

function base(instance: ResourceInstance, unknown: Unknowns): PostureObject {
  if (instance.region === null && instance.regionUnknown) unknown.region = instance.regionUnknown;
  return { id: instance.address, account: null, region: instance.region, location: instance.location, unknown };
}

/** SES v1 camelCase (renderingFailure) and v2 (RENDERING_FAILURE) event type names -> the v2 enum. */
export function sesEventType(name: string): SesEventType | null {
  const upper = name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return (SES_EVENT_TYPES as readonly string[]).includes(upper) ? (upper as SesEventType) : null;
}

export function normalizeInstances(set: InstanceSet, source: Posture['source']): Posture {
  const posture = emptyPosture(source);
  posture.notes.push(...set.notes);
  const links: PendingLink[] = [];
  const linker = new Linker();
  const later: (() => void)[] = [];
  const configurationSets = new Map<string, ConfigurationSet>();
  const identities = new Map<string, Identity>();
  const buckets = new Map<string, S3Bucket>();
  const bucketsWithBlock = new Set<string>();
  const bucketsWithLifecycle = new Set<string>();

  const pending = (from: ResourceInstance, fields: Fields, attribute: string, rawField: string, value: string | null, kind: TargetKind, set: (id: string | null) => void): void => {
    links.push({ from, path: fields.path(attribute), value, kind, unknown: fields.unknown, rawField, set });
  };

  /** Resolves a parent link right away (children attach after every parent is registered). */
  const parentOf = (from: ResourceInstance, fields: Fields, attribute: string, kind: TargetKind): { id: string | null; value: string | null } => {
    const value = fields.string(attribute, attribute);
    const result = linker.link(from, fields.path(attribute), value, kind);
    return { id: result.id, value };
  };

  const note = (instance: ResourceInstance, message: string): void => {
    posture.notes.push({ id: instance.address, message: `${instance.address}: ${message}`, location: instance.location });
  };

  for (const instance of set.instances) {
    const unknown: Unknowns = {};
    const f = new Fields(instance, unknown);
    switch (instance.type) {
      case 'aws_cloudtrail':
      case 'aws_cloudtrail_event_data_store': {
        const isTrail = instance.type === 'aws_cloudtrail';
        const suspended = isTrail ? null : f.string('suspend', 'logging', true);
        const trail: Trail = {
          ...base(instance, unknown),
          kind: isTrail ? 'trail' : 'event_data_store',
          name: f.string('name', 'name'),
          arn: f.computed('arn', 'arn'),
          multi_region: f.bool(isTrail ? 'is_multi_region_trail' : 'multi_region_enabled', 'multi_region', !isTrail),
          organization: f.bool(isTrail ? 'is_organization_trail' : 'organization_enabled', 'organization', false),
          logging: isTrail ? f.bool('enable_logging', 'logging', true) : 'logging' in unknown ? null : suspended?.toLowerCase() !== 'true',
          log_file_validation: isTrail ? f.bool('enable_log_file_validation', 'log_file_validation', false) : null,
          kms_key_id: f.string('kms_key_id', 'kms_key_id', true),
          kms_key: null,
          basic_event_selectors: isTrail ? basicSelectors(f) : [],
          advanced_event_selectors: advancedSelectors(f),
          s3_bucket_name: isTrail ? f.string('s3_bucket_name', 's3_bucket_name') : null,
          s3_bucket: null,
          log_group_arn: isTrail ? f.string('cloud_watch_logs_group_arn', 'log_group_arn', true) : null,
          log_group: null,
          declared_in_settings: false,
        };
        pending(instance, f, 'kms_key_id', 'kms_key_id', trail.kms_key_id, 'kms_key', (id) => (trail.kms_key = id));
        if (isTrail) {
          pending(instance, f, 's3_bucket_name', 's3_bucket_name', trail.s3_bucket_name, 's3_bucket', (id) => (trail.s3_bucket = id));
          pending(instance, f, 'cloud_watch_logs_group_arn', 'log_group_arn', trail.log_group_arn, 'log_group', (id) => (trail.log_group = id));
        }
        posture.trails.push(trail);
        break;
      }
      case 'aws_sesv2_configuration_set':
      case 'aws_ses_configuration_set': {
        const v2 = instance.type === 'aws_sesv2_configuration_set';
        const options = f.block('delivery_options', 'tls_policy');
        const tls = options?.string('tls_policy', 'tls_policy', true)?.toUpperCase() ?? null;
        const configurationSet: ConfigurationSet = {
          ...base(instance, unknown),
          name: f.string(v2 ? 'configuration_set_name' : 'name', 'name'),
          api: v2 ? 'v2' : 'v1',
          tls_policy: tls === 'REQUIRE' || tls === 'OPTIONAL' ? tls : null,
          event_destinations: [],
        };
        if (tls !== null && configurationSet.tls_policy === null) unknown.tls_policy = `unrecognized TLS policy ${tls}`;
        configurationSets.set(instance.address, configurationSet);
        linker.add('configuration_set', instance.address, instance.region, [configurationSet.name, knownString(f.raw('arn'))]);
        posture.configuration_sets.push(configurationSet);
        break;
      }
      case 'aws_sesv2_email_identity':
      case 'aws_ses_domain_identity':
      case 'aws_ses_email_identity': {
        const v2 = instance.type === 'aws_sesv2_email_identity';
        const attribute = v2 ? 'email_identity' : instance.type === 'aws_ses_domain_identity' ? 'domain' : 'email';
        const name = f.string(attribute, 'identity');
        const identity: Identity = {
          ...base(instance, unknown),
          identity: name,
          kind: instance.type === 'aws_ses_domain_identity' ? 'domain' : instance.type === 'aws_ses_email_identity' ? 'email' : name === null ? null : name.includes('@') ? 'email' : 'domain',
          api: v2 ? 'v2' : 'v1',
          default_configuration_set_name: v2 ? f.string('configuration_set_name', 'default_configuration_set_name') : null,
          default_configuration_set: null,
          notification_topics: [],
          // SES forwards bounce and complaint feedback by email unless it is turned off.
          feedback_forwarding_enabled: true,
        };
        if (identity.kind === null) unknown.kind = unknown.identity;
        if (v2) {
          pending(instance, f, 'configuration_set_name', 'default_configuration_set_name', identity.default_configuration_set_name, 'configuration_set', (id) => (identity.default_configuration_set = id));
        }
        identities.set(instance.address, identity);
        linker.add('identity', instance.address, instance.region, [name, knownString(f.raw('arn'))]);
        posture.identities.push(identity);
        break;
      }
      case 'aws_s3_bucket': {
        const bucket: S3Bucket = {
          ...base(instance, unknown),
          name: f.computed('bucket', 'name'),
          arn: f.computed('arn', 'arn'),
          lifecycle_rules: inlineLifecycleRules(f),
          public_access_block: null,
          public_access_block_source: null,
        };
        buckets.set(instance.address, bucket);
        linker.add('s3_bucket', instance.address, instance.region, [bucket.name, bucket.arn]);
        posture.s3_buckets.push(bucket);
        break;
      }
      case 'aws_s3_account_public_access_block': {
        posture.account_public_access_blocks.push({
          ...base(instance, unknown),
          // Terraform inputs leave every account null (the one account of the input), so rules pair objects consistently.
          region: null,
          settings: publicAccessBlock(f),
        });
        delete unknown.region;
        break;
      }
      case 'aws_cloudwatch_log_group': {
        const logGroup = {
          ...base(instance, unknown),
          name: f.computed('name', 'name'),
          arn: f.computed('arn', 'arn'),
          retention_in_days: f.integer('retention_in_days', 'retention_in_days') || null,
        };
        linker.add('log_group', instance.address, instance.region, [logGroup.name, logGroup.arn]);
        posture.log_groups.push(logGroup);
        break;
      }
      case 'aws_kinesis_firehose_delivery_stream': {
        const destination = f.string('destination', 'destination');
        const configuration = destination === 'extended_s3' ? f.block('extended_s3_configuration', 's3_bucket_arn') : null;
        const logging = destination ? f.block(`${destination}_configuration`, 'cloudwatch_logging')?.block('cloudwatch_logging_options', 'cloudwatch_logging') : null;
        const stream: FirehoseStream = {
          ...base(instance, unknown),
          name: f.string('name', 'name'),
          arn: f.computed('arn', 'arn'),
          destination,
          s3_bucket_arn: configuration?.string('bucket_arn', 's3_bucket_arn') ?? null,
          s3_bucket: null,
          compression_format: configuration?.string('compression_format', 'compression_format', true) ?? null,
          error_output_prefix: configuration?.string('error_output_prefix', 'error_output_prefix', true) ?? null,
          cloudwatch_logging: {
            enabled: logging ? logging.bool('enabled', 'cloudwatch_logging.enabled', false) : 'cloudwatch_logging' in unknown ? null : false,
            log_group_name: logging?.string('log_group_name', 'cloudwatch_logging.log_group_name', true) ?? null,
            log_group: null,
          },
        };
        if (configuration) pending(instance, configuration, 'bucket_arn', 's3_bucket_arn', stream.s3_bucket_arn, 's3_bucket', (id) => (stream.s3_bucket = id));
        if (logging) pending(instance, logging, 'log_group_name', 'cloudwatch_logging.log_group_name', stream.cloudwatch_logging.log_group_name, 'log_group', (id) => (stream.cloudwatch_logging.log_group = id));
        linker.add('firehose_stream', instance.address, instance.region, [stream.name, stream.arn]);
        posture.firehose_streams.push(stream);
        break;
      }
      case 'aws_kms_key': {
        const key = { ...base(instance, unknown), arn: f.computed('arn', 'arn') };
        linker.add('kms_key', instance.address, instance.region, [key.arn, knownString(f.raw('key_id')), knownString(f.raw('id'))]);
        posture.kms_keys.push(key);
        break;
      }
      case 'aws_kms_alias':
        linker.addAlias(instance);
        break;
      case 'aws_cloudwatch_log_delivery_source': {
        const source = {
          ...base(instance, unknown),
          name: f.string('name', 'name'),
          resource_arn: f.string('resource_arn', 'resource_arn'),
          log_type: f.string('log_type', 'log_type'),
        };
        linker.add('delivery_source', instance.address, instance.region, [source.name, knownString(f.raw('arn'))]);
        posture.delivery_sources.push(source);
        break;
      }
      case 'aws_cloudwatch_log_delivery_destination': {
        const configuration = f.block('delivery_destination_configuration', 'destination_resource_arn');
        const declaredType = f.string('delivery_destination_type', 'destination_type', true);
        const destination: DeliveryDestination = {
          ...base(instance, unknown),
          name: f.string('name', 'name'),
          arn: f.computed('arn', 'arn'),
          destination_type: declaredType ? DELIVERY_DESTINATION_TYPES[declaredType.toUpperCase() as keyof typeof DELIVERY_DESTINATION_TYPES] ?? null : null,
          destination_resource_arn: configuration?.string('destination_resource_arn', 'destination_resource_arn') ?? null,
          target: null,
        };
        const destinationKinds: [TargetKind, DeliveryDestination['destination_type']][] = [['log_group', 'cwl'], ['s3_bucket', 's3'], ['firehose_stream', 'fh']];
        if (configuration) {
          for (const [kind, type] of destinationKinds) {
            pending(instance, configuration, 'destination_resource_arn', 'destination_resource_arn', destination.destination_resource_arn, kind, (id) => {
              if (id === null || destination.target !== null) return;
              destination.target = id;
              destination.destination_type ??= type;
              delete unknown.destination_type;
            });
          }
        }
        later.push(() => {
          if (destination.destination_type === null && destination.destination_resource_arn) {
            const service = destination.destination_resource_arn.split(':')[2];
            destination.destination_type = service === 'logs' ? 'cwl' : service === 's3' ? 's3' : service === 'firehose' ? 'fh' : null;
            if (destination.destination_type) delete unknown.destination_type;
          }
        });
        linker.add('delivery_destination', instance.address, instance.region, [destination.name, destination.arn]);
        posture.delivery_destinations.push(destination);
        break;
      }
      case 'aws_cloudwatch_log_delivery': {
        const delivery = {
          ...base(instance, unknown),
          delivery_source_name: f.string('delivery_source_name', 'delivery_source_name'),
          delivery_source: null as string | null,
          delivery_destination_arn: f.string('delivery_destination_arn', 'delivery_destination_arn'),
          delivery_destination: null as string | null,
        };
        pending(instance, f, 'delivery_source_name', 'delivery_source_name', delivery.delivery_source_name, 'delivery_source', (id) => (delivery.delivery_source = id));
        pending(instance, f, 'delivery_destination_arn', 'delivery_destination_arn', delivery.delivery_destination_arn, 'delivery_destination', (id) => (delivery.delivery_destination = id));
        posture.deliveries.push(delivery);
        break;
      }
      default:
        break;
    }
  }

  // Children attach to parents registered above.
  for (const instance of set.instances) {
    const f = new Fields(instance, {});
    switch (instance.type) {
      case 'aws_ses_event_destination':
      case 'aws_sesv2_configuration_set_event_destination': {
        const parent = parentOf(instance, f, 'configuration_set_name', 'configuration_set');
        const destination = eventDestination(instance, f, pending);
        const configurationSet = parent.id ? configurationSets.get(parent.id) : undefined;
        if (configurationSet) configurationSet.event_destinations.push(destination);
        else note(instance, `event destination for configuration set ${parent.value ?? '(unknown name)'}, which is not in the input; not checked`);
        break;
      }
      case 'aws_ses_identity_notification_topic': {
        const parent = parentOf(instance, f, 'identity', 'identity');
        const identity = parent.id ? identities.get(parent.id) : undefined;
        const type = f.string('notification_type', 'notification_type');
        const mapped = type ? NOTIFICATION_TYPES[type as keyof typeof NOTIFICATION_TYPES] : undefined;
        if (!identity || !mapped) {
          note(instance, !identity ? `notification topic for identity ${parent.value ?? '(unknown)'}, which is not in the input; not checked` : `notification type ${type ?? 'unknown'} not read`);
          break;
        }
        identity.notification_topics.push({ type: mapped, topic_arn: topicArn(instance, f, identity.unknown, `notification_topics.${mapped}`) });
        break;
      }
      case 'aws_sesv2_email_identity_feedback_attributes': {
        const parent = parentOf(instance, f, 'email_identity', 'identity');
        const identity = parent.id ? identities.get(parent.id) : undefined;
        if (!identity) {
          note(instance, `feedback attributes for identity ${parent.value ?? '(unknown)'}, which is not in the input; not checked`);
          break;
        }
        const enabled = new Fields(instance, identity.unknown).bool('email_forwarding_enabled', 'feedback_forwarding_enabled', false);
        identity.feedback_forwarding_enabled = enabled;
        break;
      }
      case 'aws_s3_bucket_public_access_block': {
        const parent = parentOf(instance, f, 'bucket', 's3_bucket');
        const bucket = parent.id ? buckets.get(parent.id) : undefined;
        if (!bucket) {
          note(instance, `public access block for bucket ${parent.value ?? '(unknown name)'}, which is not in the input; not checked`);
          break;
        }
        const settings = new Fields(instance, {});
        bucket.public_access_block = publicAccessBlock(settings);
        for (const [field, reason] of Object.entries(settings.unknown)) bucket.unknown[`public_access_block.${field}`] = reason;
        bucket.public_access_block_source = 'resource';
        bucketsWithBlock.add(bucket.id);
        break;
      }
      case 'aws_s3_bucket_lifecycle_configuration': {
        const parent = parentOf(instance, f, 'bucket', 's3_bucket');
        const bucket = parent.id ? buckets.get(parent.id) : undefined;
        if (!bucket) {
          note(instance, `lifecycle configuration for bucket ${parent.value ?? '(unknown name)'}, which is not in the input; not checked`);
          break;
        }
        // A lifecycle configuration resource replaces the bucket's whole configuration, inline rules included.
        const rules = f.blocks('rule', 'lifecycle_rules');
        bucket.lifecycle_rules = rules ? rules.map((rule) => lifecycleRule(rule, false)) : [];
        if (rules === null) bucket.unknown.lifecycle_rules = f.unknown.lifecycle_rules;
        else delete bucket.unknown.lifecycle_rules;
        bucketsWithLifecycle.add(bucket.id);
        break;
      }
      default:
        break;
    }
  }

  for (const link of links) {
    const result = linker.link(link.from, link.path, link.value, link.kind);
    if (result.id !== null) {
      link.set(result.id);
      if (result.byReference) delete link.unknown[link.rawField];
    } else if (result.ambiguous && link.value === null) {
      link.unknown[link.rawField] = `refers to several instances (${result.ambiguous.join(', ')}); cannot tell which`;
    }
  }
  for (const task of later) task();

  const instances = new Map(set.instances.map((instance) => [instance.address, instance]));
  for (const bucket of posture.s3_buckets) {
    const instance = instances.get(bucket.id);
    if (!bucketsWithBlock.has(bucket.id) && instance?.created) {
      // S3 blocks all public access on buckets created since April 2023 unless told otherwise.
      bucket.public_access_block = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
      bucket.public_access_block_source = 's3_default';
    }
    if (!bucketsWithLifecycle.has(bucket.id) && bucket.unknown.lifecycle_rules && instance?.created && instance.configured('lifecycle_rule') === false) {
      delete bucket.unknown.lifecycle_rules;
    }
  }

  // The report says which expressions were not evaluated: one note per object and expression.
  for (const object of allObjects(posture)) {
    const fieldsByReason = new Map<string, string[]>();
    for (const [field, reason] of Object.entries(object.unknown)) {
      if (reason.startsWith('expression not evaluated')) fieldsByReason.set(reason, [...(fieldsByReason.get(reason) ?? []), field]);
    }
    for (const [reason, fields] of fieldsByReason) {
      posture.notes.push({ id: object.id, message: `${object.id}: ${fields.join(', ')} unknown, ${reason}`, location: object.location });
    }
  }
  return posture;
}

function knownString(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

function allObjects(posture: Posture): { id: string; unknown: Unknowns; location: PostureObject['location'] }[] {
  return [
    ...posture.trails,
    ...posture.configuration_sets,
    ...posture.configuration_sets.flatMap((c) => c.event_destinations),
    ...posture.identities,
    ...posture.s3_buckets,
    ...posture.account_public_access_blocks,
    ...posture.log_groups,
    ...posture.firehose_streams,
    ...posture.kms_keys,
    ...posture.delivery_sources,
    ...posture.delivery_destinations,
    ...posture.deliveries,
  ];
}

/** A topic ARN, or the address of the SNS topic resource when its ARN is known only after apply. */
function topicArn(instance: ResourceInstance, f: Fields, unknown: Unknowns, field: string): string | null {
  const value = f.raw('topic_arn');
  if (typeof value === 'string' && value) return value;
  const topics = instance.referencesAt(f.path('topic_arn')).filter((address) => /(^|\.)aws_sns_topic\./.test(address));
  if (topics.length === 1) return topics[0];
  if (value instanceof Unknown) unknown[field] = value.reason;
  return null;
}

function eventDestination(
  instance: ResourceInstance,
  f: Fields,
  pending: (from: ResourceInstance, fields: Fields, attribute: string, rawField: string, value: string | null, kind: TargetKind, set: (id: string | null) => void) => void,
): EventDestination {
  const v2 = instance.type === 'aws_sesv2_configuration_set_event_destination';
  const unknown: Unknowns = {};
  const body = v2 ? new Fields(instance, unknown).block('event_destination', 'event_destination') : new Fields(instance, unknown);
  const names = body?.strings(v2 ? 'matching_event_types' : 'matching_types', 'event_types', false) ?? null;
  const eventTypes = names === null ? null : [...new Set(names.map(sesEventType).filter((t): t is SesEventType => t !== null))];
  const unrecognized = names?.filter((n) => sesEventType(n) === null) ?? [];
  if (unrecognized.length) unknown.event_types_ignored = `unrecognized event types ${unrecognized.join(', ')}`;
  const kinds: [string, EventDestination['destination_type']][] = v2
    ? [['kinesis_firehose_destination', 'kinesis_firehose'], ['cloud_watch_destination', 'cloud_watch'], ['sns_destination', 'sns'], ['event_bridge_destination', 'event_bridge'], ['pinpoint_destination', 'pinpoint']]
    : [['kinesis_destination', 'kinesis_firehose'], ['cloudwatch_destination', 'cloud_watch'], ['sns_destination', 'sns']];
  let destinationType: EventDestination['destination_type'] = null;
  for (const [attribute, type] of kinds) {
    const value = body?.raw(attribute);
    if (Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined) destinationType = type;
  }
  const firehose = destinationType === 'kinesis_firehose' ? body?.block(v2 ? 'kinesis_firehose_destination' : 'kinesis_destination', 'firehose_stream_arn') : null;
  const sns = destinationType === 'sns' ? body?.block('sns_destination', 'sns_topic_arn') : null;
  const destination: EventDestination = {
    id: instance.address,
    name: new Fields(instance, unknown).string(v2 ? 'event_destination_name' : 'name', 'name'),
    // Both SES APIs leave a destination disabled unless enabled is set.
    enabled: body ? body.bool('enabled', 'enabled', false) : null,
    event_types: eventTypes,
    destination_type: destinationType,
    firehose_stream_arn: firehose?.string(v2 ? 'delivery_stream_arn' : 'stream_arn', 'firehose_stream_arn') ?? null,
    firehose_stream: null,
    sns_topic_arn: sns ? topicArn(instance, sns, unknown, 'sns_topic_arn') : null,
    location: instance.location,
    unknown,
  };
  if (firehose) pending(instance, firehose, v2 ? 'delivery_stream_arn' : 'stream_arn', 'firehose_stream_arn', destination.firehose_stream_arn, 'firehose_stream', (id) => (destination.firehose_stream = id));
  return destination;
}

function advancedSelectors(f: Fields): AdvancedEventSelector[] {
  const blocks = f.blocks('advanced_event_selector', 'advanced_event_selectors') ?? [];
  return blocks.map((block) => {
    const selector: AdvancedEventSelector = {
      name: block.string('name', 'name', true),
      field_selectors: (block.blocks('field_selector', 'field_selectors') ?? []).map((condition) => {
        const fieldSelector: FieldSelector = { field: condition.string('field', 'field') ?? '' };
        for (const operator of OPERATORS) {
          const values = condition.strings(operator, operator);
          if (values && values.length) fieldSelector[operator] = values;
        }
        if (Object.keys(condition.unknown).length) fieldSelector.unknown = condition.unknown;
        return fieldSelector;
      }),
    };
    if (Object.keys(block.unknown).length) selector.unknown = block.unknown;
    return selector;
  });
}

function basicSelectors(f: Fields): BasicEventSelector[] {
  const blocks = f.blocks('event_selector', 'basic_event_selectors') ?? [];
  return blocks.map((block) => {
    const readWrite = block.string('read_write_type', 'read_write_type', true) ?? 'All';
    const selector: BasicEventSelector = {
      read_write_type: readWrite === 'All' || readWrite === 'ReadOnly' || readWrite === 'WriteOnly' ? readWrite : null,
      include_management_events: block.bool('include_management_events', 'include_management_events', true),
      exclude_management_event_sources: block.strings('exclude_management_event_sources', 'exclude_management_event_sources') ?? [],
      data_resources: (block.blocks('data_resource', 'data_resources') ?? []).map((resource) => ({
        type: resource.string('type', 'type') ?? '',
        values: resource.strings('values', 'values') ?? [],
      })),
    };
    if (Object.keys(block.unknown).length) selector.unknown = block.unknown;
    return selector;
  });
}

function publicAccessBlock(f: Fields): PublicAccessBlock {
  return {
    block_public_acls: f.bool('block_public_acls', 'block_public_acls', false),
    block_public_policy: f.bool('block_public_policy', 'block_public_policy', false),
    ignore_public_acls: f.bool('ignore_public_acls', 'ignore_public_acls', false),
    restrict_public_buckets: f.bool('restrict_public_buckets', 'restrict_public_buckets', false),
  };
}

/** The bucket's legacy inline lifecycle_rule blocks (AWS provider 3.x style). */
function inlineLifecycleRules(f: Fields): LifecycleRule[] {
  const rules = f.blocks('lifecycle_rule', 'lifecycle_rules');
  return rules ? rules.map((rule) => lifecycleRule(rule, true)) : [];
}

function lifecycleRule(rule: Fields, inline: boolean): LifecycleRule {
  const expiration = rule.block('expiration', 'expiration_days');
  const filter = inline ? null : rule.block('filter', 'prefix');
  const and = filter?.block('and', 'prefix');
  const prefix = filter?.string('prefix', 'prefix', true) ?? and?.string('prefix', 'prefix', true) ?? rule.string('prefix', 'prefix', true);
  const result: LifecycleRule = {
    id: rule.string('id', 'id', true),
    enabled: inline ? rule.bool('enabled', 'enabled', null) : statusEnabled(rule),
    prefix,
    expiration_days: expiration?.integer('days', 'expiration_days') || null,
    unknown: rule.unknown,
  };
  // A rule narrowed by tags or object size does not expire every log object: not a pass.
  const tags = inline ? rule.raw('tags') : (filter?.raw('tag') ?? and?.raw('tags'));
  const sizes = [filter?.raw('object_size_greater_than'), filter?.raw('object_size_less_than'), and?.raw('object_size_greater_than'), and?.raw('object_size_less_than')];
  const hasTags = Array.isArray(tags) ? tags.length > 0 : typeof tags === 'object' && tags !== null && Object.keys(tags).length > 0;
  if (hasTags || sizes.some((size) => size !== null && size !== undefined && size !== 0 && size !== '')) {
    result.unknown.filter = 'the rule applies only to objects with given tags or sizes, which sescheck does not evaluate';
  }
  return result;
}

function statusEnabled(rule: Fields): boolean | null {
  const status = rule.string('status', 'enabled');
  return status === null ? null : status === 'Enabled';
}

