/**
 * Links between posture objects by what names them: a name, an ARN, an id. Live collection links
 * with it alone (`linkPosture`); the Terraform mapping builds on it, adding the configuration's
 * references and KMS aliases (src/inputs/terraform/links.ts).
 */
import { bucketNameOfArn, buildArn, parseArn, parseLogGroupArn } from './arn';
import type { Posture } from './types';

export type TargetKind =
  | 's3_bucket'
  | 'log_group'
  | 'kms_key'
  | 'firehose_stream'
  | 'configuration_set'
  | 'identity'
  | 'delivery_source'
  | 'delivery_destination'
  | 'workmail_organization'
  | 'event_bus';

/** Where a value is looked up: objects of another region (or account, when both are known) are other objects. */
export interface Scope {
  region: string | null;
  account?: string | null;
}

interface Entry {
  kind: TargetKind;
  id: string;
  region: string | null;
  account: string | null;
}

export class Linker {
  /** By kind, then name or ARN. */
  private readonly entries = new Map<TargetKind, Map<string, Entry[]>>();
  /** By id; the same entry as under its names (one object per registered object). */
  private readonly places = new Map<string, Entry>();

  /** Registers an object under its id and the names/ARNs it can be found by. */
  add(kind: TargetKind, id: string, region: string | null, keys: (string | null | undefined)[], account: string | null = null): void {
    const entry: Entry = { kind, id, region, account };
    this.places.set(id, entry);
    let ofKind = this.entries.get(kind);
    if (ofKind === undefined) this.entries.set(kind, (ofKind = new Map()));
    // A loop over the few keys rather than a set of them: called for every object of a plan.
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!key || keys.indexOf(key) < i) continue;
      const entries = ofKind.get(key);
      if (entries === undefined) ofKind.set(key, [entry]);
      else entries.push(entry);
    }
  }

  /** Whether `id` is a registered object of this kind. */
  has(kind: TargetKind, id: string): boolean {
    return this.places.get(id)?.kind === kind;
  }

  regionOf(id: string): string | null {
    return this.places.get(id)?.region ?? null;
  }

  /** The objects a name or ARN can denote in the scope (bucket names are global). */
  find(kind: TargetKind, value: string, scope: Scope): string[] {
    // Loops, and a set only when there is more than one id (a value names one object, mostly): called for every link of every object.
    const ids: string[] = [];
    const ofKind = this.entries.get(kind);
    if (ofKind === undefined) return ids;
    // Most values are names, their own one key: no list of keys built for them.
    if (!value.startsWith('arn:')) {
      addInScope(ids, ofKind.get(value), kind, scope);
      return ids.length > 1 ? [...new Set(ids)] : ids;
    }
    const keys = lookupKeys(kind, value);
    for (let k = 0; k < keys.length; k++) addInScope(ids, ofKind.get(keys[k]), kind, scope);
    return ids.length > 1 ? [...new Set(ids)] : ids;
  }

  /** The one object a value denotes, or null (none, or several). */
  findOne(kind: TargetKind, value: string | null | undefined, scope: Scope): string | null {
    const found = value ? this.find(kind, value, scope) : [];
    return found.length === 1 ? found[0] : null;
  }
}

/** Adds the ids of the entries in the scope (bucket names are global). */
function addInScope(ids: string[], entries: Entry[] | undefined, kind: TargetKind, scope: Scope): void {
  if (entries === undefined) return;
  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e];
    if (kind !== 's3_bucket' && entry.region !== null && scope.region !== null && entry.region !== scope.region) continue;
    if (entry.account && scope.account && entry.account !== scope.account) continue;
    ids.push(entry.id);
  }
}

/** The keys a raw value can match: itself, and the name inside an ARN. */
function lookupKeys(kind: TargetKind, value: string): string[] {
  const keys = [value];
  // Most values are names: not split to learn that they are not ARNs.
  if (!value.startsWith('arn:')) return keys;
  const arn = parseArn(value);
  if (!arn) return keys;
  const resource = arn.resource;
  if (kind === 's3_bucket') keys.push(resource, bucketNameOfArn(value) ?? resource);
  if (kind === 'log_group' && resource.startsWith('log-group:')) {
    const name = resource.slice('log-group:'.length).replace(/:\*$/, '');
    keys.push(name, buildArn({ ...arn, resource: `log-group:${name}` }));
  }
  if (kind === 'kms_key') keys.push(resource.replace(/^key\//, ''));
  if (kind === 'identity') keys.push(resource.replace(/^identity\//, ''));
  if (kind === 'firehose_stream') keys.push(resource.replace(/^deliverystream\//, ''));
  return keys;
}

/** The scope of an ARN: its region and account. */
function scopeOfArn(arn: string): Scope {
  const parsed = parseArn(arn);
  return { region: parsed?.region || null, account: parsed?.account || null };
}

/**
 * Resolves the links of a document whose objects name each other by value only (live: ids are
 * ARNs). A link whose target is not in the document stays null.
 */
export function linkPosture(posture: Posture): void {
  const linker = new Linker();
  for (const bucket of posture.s3_buckets) linker.add('s3_bucket', bucket.id, bucket.region, [bucket.name, bucket.arn]);
  for (const group of posture.log_groups) linker.add('log_group', group.id, group.region, [group.name, group.arn, group.id]);
  for (const stream of posture.firehose_streams) linker.add('firehose_stream', stream.id, stream.region, [stream.arn], stream.account);
  for (const bus of posture.event_buses ?? []) linker.add('event_bus', bus.id, bus.region, [bus.arn], bus.account);
  for (const set of posture.configuration_sets) linker.add('configuration_set', set.id, set.region, [set.name]);
  for (const source of posture.delivery_sources) linker.add('delivery_source', source.id, source.region, [source.name]);
  for (const destination of posture.delivery_destinations) linker.add('delivery_destination', destination.id, destination.region, [destination.arn]);

  // A log group ARN names a log group of its own region.
  const logGroupOfArn = (arn: string | null): string | null => {
    const group = parseLogGroupArn(arn);
    return group ? linker.findOne('log_group', group.name, { region: group.region }) : null;
  };
  const byArn = (kind: TargetKind, arn: string | null | undefined): string | null => (arn ? linker.findOne(kind, arn, scopeOfArn(arn)) : null);

  for (const trail of posture.trails) {
    if (trail.s3_bucket_name) trail.s3_bucket = linker.findOne('s3_bucket', trail.s3_bucket_name, { region: null });
    trail.log_group = logGroupOfArn(trail.log_group_arn);
  }
  for (const identity of posture.identities) {
    identity.default_configuration_set = linker.findOne('configuration_set', identity.default_configuration_set_name, { region: identity.region });
  }
  for (const set of posture.configuration_sets) {
    for (const destination of set.event_destinations) {
      if (destination.firehose_stream_arn) destination.firehose_stream = byArn('firehose_stream', destination.firehose_stream_arn);
      if (destination.event_bus_arn) destination.event_bus = byArn('event_bus', destination.event_bus_arn);
    }
  }
  for (const bus of posture.event_buses ?? []) {
    for (const target of bus.rules.flatMap((rule) => rule.targets)) {
      target.target = byArn('firehose_stream', target.arn) ?? logGroupOfArn(target.arn);
    }
  }
  for (const stream of posture.firehose_streams) {
    stream.s3_bucket = byArn('s3_bucket', bucketNameOfArn(stream.s3_bucket_arn) && stream.s3_bucket_arn);
    const name = stream.cloudwatch_logging.log_group_name;
    stream.cloudwatch_logging.log_group = name && stream.region ? linker.findOne('log_group', name, { region: stream.region }) : null;
  }
  for (const delivery of posture.deliveries) {
    if (delivery.delivery_source_name) delivery.delivery_source = linker.findOne('delivery_source', delivery.delivery_source_name, { region: delivery.region });
    if (delivery.delivery_destination_arn) delivery.delivery_destination = byArn('delivery_destination', delivery.delivery_destination_arn);
  }
  for (const destination of posture.delivery_destinations) {
    // By the ARN alone, as the policy tells the target's kind when the destination type is not one it knows.
    const arn = destination.destination_resource_arn;
    destination.target = byArn('firehose_stream', arn) ?? logGroupOfArn(arn) ?? byArn('s3_bucket', bucketNameOfArn(arn) && arn);
  }
}

