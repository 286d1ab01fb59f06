/**
 * EventBridge buses in a Terraform input: the buses SES EventBridge destinations name, with the
 * archives (aws_cloudwatch_event_archive) and rules (aws_cloudwatch_event_rule, with their
 * aws_cloudwatch_event_target) the input declares on them. The default bus is no resource: its
 * other archives and rules may be managed anywhere, so it is never complete.
 */
import { eventArchive, eventBus, eventRule } from '../../posture/objects';
import type { EventBus, EventRule, EventTarget, Unknowns } from '../../posture/types';
import type { Fields } from './fields';
import type { ResourceInstance } from './instance';
import { parseArn } from '../../posture/arn';

const DEFAULT_BUS = 'default';

/** A bus name from an event_bus_name or event_source_arn value (a name, or a bus ARN). */
export function busName(value: string): string {
  const arn = parseArn(value);
  return arn ? arn.resource.replace(/^event-bus\//, '') : value;
}

interface BusPlace {
  key: string;
  unknown?: string;
}

export class EventBuses {
  private readonly buses = new Map<string, EventBus>();
  /** Rules by instance address and by region|bus|name, for targets to find them. */
  private readonly rulesByAddress = new Map<string, EventRule>();
  private readonly rulesByName = new Map<string, EventRule>();
  /** Custom buses declared in the input: address -> key. */
  private readonly declared = new Map<string, string>();
  private readonly pendingTargets: { instance: ResourceInstance; f: Fields }[] = [];

  constructor(private readonly onTarget: (instance: ResourceInstance, f: Fields, target: EventTarget) => void) {}

  get all(): EventBus[] {
    return [...this.buses.values()];
  }

  /** A bus object for a region and name, created when first named. */
  bus(region: string | null, name: string, arn: string | null = null): EventBus {
    const key = `${region ?? '?'}|${name}`;
    let bus = this.buses.get(key);
    if (!bus) {
      const unknown: Unknowns = region === null ? { region: 'the region of the bus is unknown' } : {};
      bus = eventBus({ id: `event-bus/${name}@${region ?? 'unknown-region'}`, account: null, region, unknown }, { name, arn });
      this.buses.set(key, bus);
    }
    if (arn && !bus.arn) bus.arn = arn;
    return bus;
  }

  /** An aws_cloudwatch_event_bus: a custom bus this input creates holds only the input's rules. */
  declare(instance: ResourceInstance, f: Fields): void {
    const name = f.withUnknown({}).string('name', 'name');
    if (name === null) return;
    const bus = this.bus(instance.region, name);
    bus.id = instance.address;
    bus.location = instance.location;
    bus.complete = instance.created && name !== DEFAULT_BUS;
    this.declared.set(instance.address, `${instance.region ?? '?'}|${name}`);
  }

  /** The bus a rule, archive or target is on: by reference to a declared bus, by value, or the default bus. */
  private placeOf(instance: ResourceInstance, f: Fields, attribute: string): BusPlace {
    const unknown: Unknowns = {};
    const value = f.withUnknown(unknown).string(attribute, attribute, true);
    for (const address of instance.referencesAt(f.path(attribute))) {
      const key = this.declared.get(address);
      if (key) return { key };
    }
    if (value !== null) {
      const arn = parseArn(value);
      this.bus(arn?.region || instance.region, busName(value), arn ? value : null);
      return { key: `${(arn?.region || instance.region) ?? '?'}|${busName(value)}` };
    }
    if (unknown[attribute]) {
      this.bus(instance.region, DEFAULT_BUS);
      return { key: `${instance.region ?? '?'}|${DEFAULT_BUS}`, unknown: unknown[attribute] };
    }
    this.bus(instance.region, DEFAULT_BUS);
    return { key: `${instance.region ?? '?'}|${DEFAULT_BUS}` };
  }

  /** The bus an archive or rule is on, or null when it is unknown: the bus then may keep more than the input shows. */
  private knownPlace(instance: ResourceInstance, f: Fields, attribute: string, what: 'archive' | 'rule'): { bus: EventBus; key: string } | null {
    const place = this.placeOf(instance, f, attribute);
    const bus = this.buses.get(place.key) as EventBus;
    if (!place.unknown) return { bus, key: place.key };
    bus.unknown[`${what}s`] ??= `${what} ${instance.address} is on an unknown bus (${place.unknown})`;
    return null;
  }

  archive(instance: ResourceInstance, f: Fields): void {
    const place = this.knownPlace(instance, f, 'event_source_arn', 'archive');
    if (!place) return;
    const own = f.withUnknown({});
    const archive = eventArchive(instance.address, {
      name: own.string('name', 'name'),
      event_pattern: own.string('event_pattern', 'event_pattern', true),
      // 0 and absent both keep events indefinitely.
      retention_days: own.integer('retention_days', 'retention_days') || null,
      state: 'ENABLED',
      location: instance.location,
      unknown: own.unknown,
    });
    place.bus.archives.push(archive);
  }

  rule(instance: ResourceInstance, f: Fields): void {
    const place = this.knownPlace(instance, f, 'event_bus_name', 'rule');
    if (!place) return;
    const own = f.withUnknown({});
    const state = own.string('state', 'state', true);
    const enabled = state === null && !('state' in own.unknown) ? own.bool('is_enabled', 'state', true) : null;
    const rule = eventRule(instance.address, {
      name: own.string('name', 'name'),
      event_pattern: own.string('event_pattern', 'event_pattern', true),
      state: state ?? (enabled === null ? null : enabled ? 'ENABLED' : 'DISABLED'),
      location: instance.location,
      unknown: own.unknown,
    });
    place.bus.rules.push(rule);
    this.rulesByAddress.set(instance.address, rule);
    if (rule.name) this.rulesByName.set(`${place.key}|${rule.name}`, rule);
  }

  /** Targets join their rules once every rule is known. */
  target(instance: ResourceInstance, f: Fields): void {
    this.pendingTargets.push({ instance, f });
  }

  attachTargets(note: (instance: ResourceInstance, message: string) => void): void {
    for (const { instance, f } of this.pendingTargets) {
      const referenced = instance.referencesAt(f.path('rule')).map((a) => this.rulesByAddress.get(a)).filter((r): r is EventRule => r !== undefined);
      let rule: EventRule | undefined = referenced.length === 1 ? referenced[0] : undefined;
      const name = f.withUnknown({}).string('rule', 'rule');
      if (!rule && name !== null) {
        const place = this.placeOf(instance, f, 'event_bus_name');
        rule = this.rulesByName.get(`${place.key}|${name}`);
      }
      if (!rule) {
        note(instance, `event target for rule ${name ?? '(unknown name)'}, which is not in the input; not checked`);
        continue;
      }
      const unknown: Unknowns = {};
      const target: EventTarget = { id: instance.address, arn: f.withUnknown(unknown).string('arn', 'arn'), target: null, unknown };
      rule.targets.push(target);
      this.onTarget(instance, f, target);
    }
  }
}

/**
 * The bus an SES EventBridge destination publishes to. SES supports only the default bus, so a
 * bus ARN that is unknown (a data source, a variable) is the default bus of the destination's region.
 */
export function destinationBus(buses: EventBuses, instance: ResourceInstance, arn: string | null): EventBus {
  if (arn === null) return buses.bus(instance.region, DEFAULT_BUS);
  const parts = parseArn(arn);
  return buses.bus(parts?.region || instance.region, busName(arn), arn);
}
