import type { Location } from '../../posture/types';

/** A value Terraform cannot tell before apply, or an expression sescheck does not evaluate. */
export class Unknown {
  constructor(readonly reason: string) {}
}

export const AFTER_APPLY = 'known only after apply';

/** A planned, state or configured attribute value; unknown leaves are Unknown. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | Unknown
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = { [key: string]: AttributeValue };

/**
 * One resource instance, whatever the input (plan, state, Terraform JSON, HCL): what the
 * posture mapping needs, with references already resolved to instance addresses.
 */
export interface ResourceInstance {
  /** Instance address, e.g. module.a["x"].aws_s3_bucket.logs[0]; the posture id. */
  address: string;
  type: string;
  name: string;
  values: Attributes;
  /** true when the resource does not exist yet (created by the plan, or declared in configuration). */
  created: boolean;
  region: string | null;
  /** Why the region is unknown, when region is null. */
  regionUnknown?: string;
  /** The account (accounts.ts); null when the input does not name it. */
  account?: string | null;
  /** Why the account is unknown when it may differ from the input's unnamed one (credentials of its own). */
  accountUnknown?: string;
  location: Location | null;
  /**
   * Addresses of the resource instances the expression at `path` (dotted attribute path,
   * list indexes as numbers: "extended_s3_configuration.0.bucket_arn") refers to.
   */
  referencesAt(path: string): string[];
  /** Whether the configuration sets `path`; undefined when the input has no configuration (a state). */
  configured(path: string): boolean | undefined;
  /**
   * The top-level attribute `name` of values, when the input can read one without the others (a
   * plan merges the values known only after apply into an attribute when it is read).
   */
  attribute?(name: string): AttributeValue | undefined;
}

/** A module call whose content the reader could not read: it may declare anything. */
export interface UnreadModule {
  /** Module instance address as Terraform writes it (module.a["x"].module.b). */
  id: string;
  reason: string;
  location: Location | null;
  /** Instance addresses of the resources its arguments refer to (it may attach children to them). */
  references: string[];
}

export interface InstanceSet {
  instances: ResourceInstance[];
  /** What the reader could not read or evaluate, as posture notes. */
  notes: { message: string; id?: string | null; location?: Location | null }[];
  /** Module calls the reader could not read (configuration inputs only). */
  unreadModules?: UnreadModule[];
}

/** An object's own property: a key from the input (`constructor`, `__proto__`) never reaches a prototype. */
export function own<T>(object: { [key: string]: T }, key: string): T | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own property, `__proto__` included (an assignment to `__proto__` would set the prototype). */
export function setOwn<T>(object: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** The steps of a dotted path; the same few paths are read on every instance, so each is split once. */
const PATH_STEPS = new Map<string, readonly string[]>();
export function pathSteps(path: string): readonly string[] {
  let steps = PATH_STEPS.get(path);
  if (steps === undefined) {
    steps = path.split('.');
    // Paths come from the mapping's code (attribute names and block indexes): bounded, but not cached without limit.
    if (PATH_STEPS.size < 10_000) PATH_STEPS.set(path, steps);
  }
  return steps;
}

/** The value at a dotted path; undefined when the path does not exist. */
export function valueAt(values: AttributeValue, path: string): AttributeValue | undefined {
  // Most reads are of one top-level attribute: no steps to look up.
  if (!path.includes('.')) return step(values, path);
  let current: AttributeValue | undefined = values;
  for (const key of pathSteps(path)) {
    if (current === null || current === undefined || current instanceof Unknown) return current;
    current = step(current, key);
  }
  return current;
}

/** The value at a dotted path of an instance's values (valueAt), its first step read through `attribute` when the instance has it. */
export function attributeAt(instance: ResourceInstance, path: string): AttributeValue | undefined {
  if (instance.attribute === undefined) return valueAt(instance.values, path);
  if (!path.includes('.')) return instance.attribute(path);
  const steps = pathSteps(path);
  let current = instance.attribute(steps[0]);
  for (let i = 1; i < steps.length; i++) {
    if (current === null || current === undefined || current instanceof Unknown) return current;
    current = step(current, steps[i]);
  }
  return current;
}

/** One step of a path into a known value: a list index or an own attribute. */
function step(current: AttributeValue, key: string): AttributeValue | undefined {
  if (current === null || current instanceof Unknown) return current;
  if (Array.isArray(current)) return current[Number(key)];
  if (typeof current === 'object') return own(current as Attributes, key);
  return undefined;
}
