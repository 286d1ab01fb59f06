/**
 * What differs between posture documents of one setup by nature, and nothing else: ids (a
 * Terraform address or an ARN) become one name per object and links follow them; locations go.
 * Every other value is left as the producer wrote it.
 */
import type { Posture } from '../../../src/posture/types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Item = { [key: string]: Json } & { id: string };

/** The collections compared. */
export const COLLECTIONS = [
  'trails', 'configuration_sets', 'identities', 's3_buckets', 'account_public_access_blocks', 'log_groups',
  'firehose_streams', 'kms_keys', 'delivery_sources', 'delivery_destinations', 'deliveries',
  'workmail_organizations', 'multi_region_endpoints', 'event_buses',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

/** Fields that hold the id of another object (docs/architecture.md, "Links are ids"). */
const LINKS = new Set([
  's3_bucket', 'log_group', 'kms_key', 'firehose_stream', 'default_configuration_set', 'delivery_source',
  'delivery_destination', 'target', 'event_bus', 'workmail_organization',
]);

/** An object's name in the domain's words, from what it is in AWS, not from its id. */
function nameOf(collection: Collection, object: Item, linked: (id: Json) => Json): string {
  switch (collection) {
    case 'trails': return `trail ${object.name}`;
    case 'configuration_sets': return `configuration set ${object.name}`;
    case 'identities': return `identity ${object.identity}`;
    case 's3_buckets': return `bucket ${object.name}`;
    case 'account_public_access_blocks': return `account public access block ${object.account}`;
    case 'log_groups': return `log group ${object.region}/${object.name}`;
    case 'firehose_streams': return `Firehose stream ${object.region}/${object.name}`;
    case 'kms_keys': return `KMS key ${object.id}`;
    case 'delivery_sources': return `delivery source ${object.name}`;
    case 'delivery_destinations': return `delivery destination ${object.name}`;
    // Its source's name may be a reference in Terraform; the link names the source.
    case 'deliveries': return `delivery from ${String(linked(object.delivery_source))}`;
    case 'workmail_organizations': return `WorkMail organization ${object.arn}`;
    case 'multi_region_endpoints': return `multi-region endpoint ${object.name}`;
    case 'event_buses': return `event bus ${object.region}/${object.name}`;
  }
}

/** Names of the objects nested in one (event destinations; archives, rules and their targets). */
function nestedNames(collection: Collection, object: Item, name: string, names: Map<string, string>): void {
  if (collection === 'configuration_sets') {
    for (const destination of object.event_destinations as Item[]) names.set(destination.id, `event destination ${object.name}/${destination.name}`);
  }
  if (collection === 'event_buses') {
    for (const archive of object.archives as Item[]) names.set(archive.id, `archive ${archive.name} on ${name}`);
    for (const rule of object.rules as Item[]) {
      names.set(rule.id, `rule ${rule.name} on ${name}`);
      (rule.targets as Item[]).forEach((target, index) => names.set(target.id, `target ${index} of rule ${rule.name}`));
    }
  }
}

function rename(value: Json, names: Map<string, string>, key = ''): Json {
  if (typeof value === 'string') return key === 'id' || LINKS.has(key) ? (names.get(value) ?? value) : value;
  if (Array.isArray(value)) return value.map((item) => rename(item, names, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'location').map(([k, v]) => [k, rename(v, names, k)]));
  }
  return value;
}

function byId(a: Item, b: Item): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The posture's collections with ids and links replaced by names, objects sorted by name, without locations. */
export function canonical(posture: Posture): Record<Collection, Item[]> {
  const document = JSON.parse(JSON.stringify(posture)) as Record<string, Item[] | undefined>;
  const names = new Map<string, string>();
  const linked = (id: Json): Json => (typeof id === 'string' ? (names.get(id) ?? id) : id);
  // Deliveries last: their names use their sources'.
  const order = [...COLLECTIONS.filter((c) => c !== 'deliveries'), 'deliveries' as const];
  for (const collection of order) {
    for (const object of document[collection] ?? []) {
      const name = nameOf(collection, object, linked);
      names.set(object.id, name);
      nestedNames(collection, object, name, names);
    }
  }
  const result = {} as Record<Collection, Item[]>;
  for (const collection of COLLECTIONS) {
    result[collection] = (document[collection] ?? []).map((object) => rename(object, names) as Item).sort(byId);
  }
  return result;
}
