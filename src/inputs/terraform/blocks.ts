/** Nested blocks shared by several resource types: selectors, lifecycle rules, public access blocks, event destinations. */
import type { AdvancedEventSelector, BasicEventSelector, EventDestination, FieldSelector, LifecycleRule, PublicAccessBlock, SesEventType, Unknowns } from '../../posture/types';
import {
  BASIC_SELECTOR_DEFAULTS,
  EVENT_DESTINATION_DEFAULTS,
  advancedEventSelector,
  basicEventSelector,
  eventDestination as newEventDestination,
  lifecycleRule as newLifecycleRule,
} from '../../posture/objects';
import { readWriteType, sesDestinationType, sesEventType } from '../../posture/vocabulary';
import { compareText } from '../../text-order';
import type { Fields } from './fields';
import { type ResourceInstance, Unknown } from './instance';

export { sesEventType };

const OPERATORS = ['equals', 'not_equals', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with'] as const;

/**
 * Set-valued attributes in one order whatever the input: plans list a set in the provider's order
 * (strings sorted, blocks by hash), configuration in source order, and the two must agree.
 */
function canonicalOrder<T>(items: T[], key: (item: T) => string): T[] {
  return items.map((item) => [key(item), item] as const).sort(([a], [b]) => compareText(a, b)).map(([, item]) => item);
}

/** canonicalOrder of strings: sorted in place of a copy, no pair built for each (every event destination of a plan has a list). */
function canonicalStrings<T extends string>(items: T[]): T[] {
  return items.slice().sort(compareText);
}

/**
 * `unsetIsDefault`: the provider computes the selectors of a resource whose configuration sets none
 * (event data stores), so a plan shows them unknown; AWS's default applies (all management events).
 */
export function advancedSelectors(f: Fields, unsetIsDefault = false): AdvancedEventSelector[] {
  return (f.blocks('advanced_event_selector', 'advanced_event_selectors', unsetIsDefault) ?? []).map((block) => {
    const conditions = (block.blocks('field_selector', 'field_selectors', false) ?? []).map((condition) => {
      const fieldSelector: FieldSelector = { field: condition.string('field', 'field') ?? '' };
      for (const operator of OPERATORS) {
        const values = condition.strings(operator, operator);
        if (values && values.length) fieldSelector[operator] = values;
      }
      if (Object.keys(condition.unknown).length) fieldSelector.unknown = condition.unknown;
      return fieldSelector;
    });
    return advancedEventSelector({
      name: block.string('name', 'name', true),
      // field_selector is a set in the AWS provider (the conditions are ANDed: their order means nothing).
      field_selectors: canonicalOrder(conditions, (condition) => `${condition.field}\u0000${JSON.stringify(condition)}`),
      unknown: ownUnknown(block),
    });
  });
}

export function basicSelectors(f: Fields): BasicEventSelector[] {
  return (f.blocks('event_selector', 'basic_event_selectors', false) ?? []).map((block) => {
    const readWrite = block.string('read_write_type', 'read_write_type', true);
    return basicEventSelector({
      // Not set (or unknown): CloudTrail's default.
      read_write_type: readWrite === null ? undefined : readWriteType(readWrite),
      include_management_events: block.bool('include_management_events', 'include_management_events', BASIC_SELECTOR_DEFAULTS.include_management_events),
      exclude_management_event_sources: canonicalStrings(block.strings('exclude_management_event_sources', 'exclude_management_event_sources') ?? []),
      data_resources: (block.blocks('data_resource', 'data_resources', false) ?? []).map((resource) => ({
        type: resource.string('type', 'type') ?? '',
        values: resource.strings('values', 'values') ?? [],
      })),
      unknown: ownUnknown(block),
    });
  });
}

/** A nested block's unknown map, left out when empty. */
function ownUnknown(block: Fields): Unknowns | undefined {
  return Object.keys(block.unknown).length ? block.unknown : undefined;
}

export function publicAccessBlock(f: Fields): PublicAccessBlock {
  return {
    block_public_acls: f.bool('block_public_acls', 'block_public_acls', false),
    block_public_policy: f.bool('block_public_policy', 'block_public_policy', false),
    ignore_public_acls: f.bool('ignore_public_acls', 'ignore_public_acls', false),
    restrict_public_buckets: f.bool('restrict_public_buckets', 'restrict_public_buckets', false),
  };
}

/** aws_s3_bucket_lifecycle_configuration rules, or the bucket's legacy inline lifecycle_rule blocks. */
export function lifecycleRules(f: Fields, attribute: 'rule' | 'lifecycle_rule'): LifecycleRule[] | null {
  const rules = f.blocks(attribute, 'lifecycle_rules');
  return rules && rules.map((rule) => lifecycleRule(rule, attribute === 'lifecycle_rule'));
}

/** Object Lock default retention in days (years count 365 days): at least this long, null when none. */
export function defaultRetentionDays(rule: Fields | null): number | null {
  const retention = rule?.block('default_retention', 'object_lock_retention_days');
  if (!retention) return null;
  const days = retention.integer('days', 'object_lock_retention_days');
  const years = retention.integer('years', 'object_lock_retention_days');
  return days || (years ? years * 365 : null);
}

function lifecycleRule(rule: Fields, inline: boolean): LifecycleRule {
  const expiration = rule.block('expiration', 'expiration_days');
  const filter = inline ? null : rule.block('filter', 'prefix');
  const and = filter?.block('and', 'prefix');
  const prefix = filter?.string('prefix', 'prefix', true) ?? and?.string('prefix', 'prefix', true) ?? rule.string('prefix', 'prefix', true);
  const status = inline ? null : rule.string('status', 'enabled');
  const noncurrent = rule.block('noncurrent_version_expiration', 'noncurrent_expiration_days');
  return newLifecycleRule({
    id: rule.string('id', 'id', true),
    enabled: inline ? rule.bool('enabled', 'enabled', null) : status === null ? null : status === 'Enabled',
    prefix,
    expiration_days: expiration?.integer('days', 'expiration_days') || null,
    // A known date expires every matching object on that day, and each one written after it within a day.
    expiration_date: expiration?.string('date', 'expiration_date', true) ?? null,
    noncurrent_expiration_days: noncurrent?.integer(inline ? 'days' : 'noncurrent_days', 'noncurrent_expiration_days') || null,
    noncurrent_newer_versions: (inline ? null : noncurrent?.integer('newer_noncurrent_versions', 'noncurrent_newer_versions')) || null,
    // A tag filter matches only tagged objects; log writers tag none, but another process may.
    tag_filter: hasTags(inline ? rule.raw('tags') : (filter?.raw('tag') ?? null)) || hasTags(and?.raw('tags')),
    object_size_greater_than: filter?.integer('object_size_greater_than', 'object_size_greater_than') || and?.integer('object_size_greater_than', 'object_size_greater_than') || null,
    object_size_less_than: filter?.integer('object_size_less_than', 'object_size_less_than') || and?.integer('object_size_less_than', 'object_size_less_than') || null,
    unknown: rule.unknown,
  });
}

function hasTags(tags: unknown): boolean {
  if (tags instanceof Unknown) return true;
  return Array.isArray(tags) ? tags.length > 0 : typeof tags === 'object' && tags !== null && Object.keys(tags).length > 0;
}

const SNS_TOPIC_ADDRESS = /(^|\.)aws_sns_topic\./;

/** A topic ARN, or the address of the SNS topic resource when its ARN is known only after apply. */
export function topicArn(instance: ResourceInstance, f: Fields, unknown: Unknowns, field: string): string | null {
  const value = f.raw('topic_arn');
  if (typeof value === 'string' && value) return value;
  // The one SNS topic among the references, without a list of them.
  const references = instance.referencesAt(f.path('topic_arn'));
  let topic: string | null = null;
  let topics = 0;
  for (let i = 0; i < references.length; i++) {
    if (!SNS_TOPIC_ADDRESS.test(references[i])) continue;
    topic = references[i];
    topics++;
  }
  if (topics === 1) return topic;
  if (value instanceof Unknown) unknown[field] = value.reason;
  return null;
}

/**
 * An event destination (v1 aws_ses_event_destination, v2 aws_sesv2_configuration_set_event_destination),
 * with the Firehose block to link and the event type names that are not SES's.
 */
export function eventDestination(instance: ResourceInstance, top: Fields): { destination: EventDestination; firehose: Fields | null; unrecognized: string[] } {
  const v2 = instance.type === 'aws_sesv2_configuration_set_event_destination';
  const unknown: Unknowns = {};
  const own = top.withUnknown(unknown);
  const body = v2 ? own.block('event_destination', 'enabled') : own;
  // The whole v2 block unknown: so are the fields it holds.
  if (!body && unknown.enabled) unknown.event_types = unknown.destination_type = unknown.enabled;
  const names = body?.strings(v2 ? 'matching_event_types' : 'matching_types', 'event_types', false) ?? null;
  // matching_event_types / matching_types are sets: each type once, in canonical order; one pass sorts out the names that are not SES's.
  let eventTypes: SesEventType[] | null = null;
  const unrecognized: string[] = [];
  if (names !== null) {
    eventTypes = [];
    for (let i = 0; i < names.length; i++) {
      const type = sesEventType(names[i]);
      if (type === null) unrecognized.push(names[i]);
      else if (!eventTypes.includes(type)) eventTypes.push(type);
    }
    eventTypes.sort(compareText);
  }
  const destinationType = sesDestinationType((kind) => {
    const attribute = v2 ? kind.terraformV2 : kind.terraformV1;
    const value = attribute === null ? undefined : body?.raw(attribute);
    return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined;
  });
  const firehose = destinationType === 'kinesis_firehose' ? body?.block(v2 ? 'kinesis_firehose_destination' : 'kinesis_destination', 'firehose_stream_arn') ?? null : null;
  const sns = destinationType === 'sns' ? body?.block('sns_destination', 'sns_topic_arn') : null;
  const destination: EventDestination = newEventDestination(instance.address, {
    name: own.string(v2 ? 'event_destination_name' : 'name', 'name'),
    enabled: body ? body.bool('enabled', 'enabled', EVENT_DESTINATION_DEFAULTS.enabled) : null,
    event_types: eventTypes,
    destination_type: destinationType,
    firehose_stream_arn: firehose?.string(v2 ? 'delivery_stream_arn' : 'stream_arn', 'firehose_stream_arn') ?? null,
    sns_topic_arn: sns ? topicArn(instance, sns, unknown, 'sns_topic_arn') : null,
    event_bus_arn: destinationType === 'event_bridge' ? (body?.block('event_bridge_destination', 'event_bus_arn')?.string('event_bus_arn', 'event_bus_arn') ?? null) : undefined,
    location: instance.location,
    unknown,
  });
  return { destination, firehose, unrecognized };
}
