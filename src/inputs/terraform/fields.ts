/** Reads a resource's attribute values into posture fields, recording why a value is unknown. */
import type { Unknowns } from '../../posture/types';
import { AFTER_APPLY, type AttributeValue, type ResourceInstance, Unknown, attributeAt, valueAt } from './instance';

/** A known value as a string field: null when absent or empty (or not a scalar: see notAString), a number or boolean as its text. */
export function fieldString(value: AttributeValue | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

/** What a list or an object is, in a reason; no text of it (it may be large, or build none). */
function composite(value: object): string {
  return Array.isArray(value) ? 'a list' : 'an object';
}

/**
 * Why a value read as a string is not one: a list or an object where the provider gives a scalar
 * (a hand-made plan). Undefined for a string, number, boolean, null or an unknown value.
 */
export function notAString(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'object' && value !== null && !(value instanceof Unknown) ? `not a string: ${composite(value)}` : undefined;
}

/** A value in a reason: a scalar as JSON, a list or an object by what it is. */
function shown(value: AttributeValue): string {
  return typeof value === 'object' && value !== null ? composite(value) : JSON.stringify(value);
}

/** The block at a Fields' base path is not read yet. */
const NOT_READ = Symbol('not read');

export class Fields {
  // Declared and set in the constructor, not parameter properties: under ES2022 class fields each would be defined as undefined first, for every block of every object.
  declare readonly instance: ResourceInstance;
  declare readonly unknown: Unknowns;
  declare readonly base: string;
  /** The value at `base` (the parent block passes it, else read on the first field): each field is read under it, no path walked again. */
  declare private node: AttributeValue | undefined | typeof NOT_READ;

  constructor(instance: ResourceInstance, unknown: Unknowns = {}, base = '', node: AttributeValue | undefined | typeof NOT_READ = NOT_READ) {
    this.instance = instance;
    this.unknown = unknown;
    this.base = base;
    this.node = node;
  }

  /** The same attributes, recording unknowns into another map (a nested posture object's). */
  withUnknown(unknown: Unknowns): Fields {
    return new Fields(this.instance, unknown, this.base, this.node);
  }

  path(attribute: string): string {
    return this.base ? `${this.base}.${attribute}` : attribute;
  }

  raw(attribute: string): AttributeValue | undefined {
    // At the top, each attribute is read alone (a plan instance merges the unknowns of the attributes read only).
    if (!this.base) return attributeAt(this.instance, attribute);
    if (this.node === NOT_READ) this.node = attributeAt(this.instance, this.base);
    // As valueAt of the whole path: a null, absent or unknown block is the value of each of its fields.
    const node = this.node;
    return node === null || node === undefined || node instanceof Unknown ? node : valueAt(node, attribute);
  }

  /**
   * The value, null when absent or unknown (the reason goes to unknown[field]). A setting the
   * configuration of a new resource does not set is absent (the provider fills in AWS's
   * default after apply), not unknown.
   */
  value(attribute: string, field: string, setting = false): AttributeValue {
    const value = this.raw(attribute);
    if (value instanceof Unknown) {
      if (setting && this.instance.created && this.instance.configured(this.path(attribute)) === false) return null;
      this.unknown[field] = value.reason;
      return null;
    }
    return value ?? null;
  }

  string(attribute: string, field: string, setting = false): string | null {
    const value = this.value(attribute, field, setting);
    const wrong = notAString(value);
    if (wrong === undefined) return fieldString(value);
    this.unknown[field] = wrong;
    return null;
  }

  /** An attribute the provider computes when the configuration leaves it out (arn, a generated name). */
  computed(attribute: string, field: string): string | null {
    if (this.raw(attribute) === undefined && this.instance.created) {
      this.unknown[field] = AFTER_APPLY;
      return null;
    }
    return this.string(attribute, field);
  }

  bool(attribute: string, field: string, fallback: boolean | null): boolean | null {
    const value = this.value(attribute, field, true);
    if (field in this.unknown) return null;
    if (value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    this.unknown[field] = `not a boolean: ${shown(value)}`;
    return null;
  }

  integer(attribute: string, field: string): number | null {
    const value = this.value(attribute, field, true);
    if (value === null) return null;
    // A list or an object is no number, whatever Number() would make of it ([5] is 5).
    const number = typeof value === 'number' ? value : typeof value === 'object' ? NaN : Number(value);
    if (Number.isInteger(number)) return number;
    this.unknown[field] = `not an integer: ${shown(value)}`;
    return null;
  }

  /** A list of strings; null (with unknown[field]) when the list or one of its items is unknown. */
  strings(attribute: string, field: string, setting = true): string[] | null {
    const value = this.value(attribute, field, setting);
    if (value === null) return field in this.unknown ? null : [];
    const items = Array.isArray(value) ? value : [value];
    const unknownItem = items.find((item): item is Unknown => item instanceof Unknown);
    if (unknownItem) {
      this.unknown[field] = unknownItem.reason;
      return null;
    }
    const wrong = items.find((item) => typeof item === 'object' && item !== null);
    if (wrong !== undefined) {
      this.unknown[field] = `not a list of strings: ${Array.isArray(value) ? `an item is ${composite(wrong)}` : composite(wrong)}`;
      return null;
    }
    return items.filter((item) => item !== null).map(String);
  }

  /**
   * Nested blocks (a list of objects, or one object); null when unknown. Each gets its own unknown map.
   * `setting` false keeps unknown blocks unknown even when the configuration shows none: plans leave
   * `dynamic` blocks out of their configuration expressions.
   */
  blocks(attribute: string, field: string, setting = true): Fields[] | null {
    const value = this.value(attribute, field, setting);
    if (value === null) return field in this.unknown ? null : [];
    if (Array.isArray(value)) {
      return value.map((item, i) => {
        const child = new Fields(this.instance, {}, this.path(`${attribute}.${i}`), item);
        if (item instanceof Unknown) child.unknown['*'] = item.reason;
        return child;
      });
    }
    return [new Fields(this.instance, {}, this.path(attribute), value)];
  }

  /** The first nested block, sharing this object's unknown map (for single blocks such as delivery_options). */
  block(attribute: string, field: string): Fields | null {
    const value = this.value(attribute, field, true);
    if (value === null) return null;
    const path = Array.isArray(value) ? `${attribute}.0` : attribute;
    if (Array.isArray(value) && value.length === 0) return null;
    return new Fields(this.instance, this.unknown, this.path(path), Array.isArray(value) ? value[0] : value);
  }
}
