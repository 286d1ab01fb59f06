/**
 * Links between posture objects in a Terraform input. A value the input knows decides (by name
 * or ARN, through the posture linker): a reference may sit in a branch the value did not take
 * (`cond ? null : aws_kms_key.x.arn`). A reference stands in only for a value that is unknown
 * (known only after apply, or not evaluated).
 */
import type { ResourceInstance } from './instance';
import { Linker as PostureLinker, type TargetKind } from '../../posture/linker';

export type { TargetKind };

/** SES identities, configuration sets and log delivery sources are named per region: a reference to one in another region names a different object. */
const SAME_REGION_KINDS = new Set<TargetKind>(['configuration_set', 'identity', 'delivery_source']);

export interface LinkResult {
  id: string | null;
  byReference: boolean;
  /** Several instances match (count/for_each without a known index): the link cannot be told. */
  ambiguous?: string[];
}

/** A link to nothing (callers only read it). */
const NOT_LINKED: LinkResult = Object.freeze({ id: null, byReference: false });

export class Linker {
  private readonly values = new PostureLinker();
  private readonly aliases = new Map<string, ResourceInstance>();
  /** The key each alias names (null: none), resolved once (throughAlias). */
  private readonly aliasKeys = new Map<string, string | null>();

  /** Registers a posture object under its id and the names/ARNs it can be found by. */
  add(kind: TargetKind, id: string, region: string | null, keys: (string | null | undefined)[]): void {
    this.values.add(kind, id, region, keys);
    // What an alias names may change with each object registered (none is once links resolve).
    if (kind === 'kms_key') this.aliasKeys.clear();
  }

  /** KMS aliases are not posture objects; a kms_key_id naming one links to the aliased key. */
  addAlias(alias: ResourceInstance): void {
    this.aliases.set(alias.address, alias);
    const name = alias.values.name;
    if (typeof name === 'string') this.add('kms_key', `alias:${alias.address}`, alias.region, [name, typeof alias.values.arn === 'string' ? alias.values.arn : null]);
  }

  /**
   * The object `from`'s attribute at `path` names. `value` is the attribute's value when known
   * (null: known to be absent); `valueUnknown` says that it is unknown, the only case where the
   * configuration's references decide.
   */
  link(from: ResourceInstance, path: string, value: string | null, kind: TargetKind, valueUnknown: boolean): LinkResult {
    if (!valueUnknown) {
      if (value === null) return NOT_LINKED;
      const found = this.byValue(kind, value, from.region);
      if (found.length === 1) return { id: found[0], byReference: false };
      if (found.length === 0) return NOT_LINKED;
      // The same name in several places (regions unknown): the reference says which one.
      const referenced = this.referenced(from, path, kind);
      const both = found.filter((id) => referenced.includes(id));
      return { id: both.length === 1 ? both[0] : null, byReference: false };
    }
    const referenced = this.referenced(from, path, kind);
    if (referenced.length === 1) return { id: referenced[0], byReference: true };
    if (referenced.length > 1) return { id: null, byReference: true, ambiguous: referenced };
    return { id: null, byReference: false };
  }

  /**
   * The objects of the kind the configuration's references at `path` name, each once, in the order
   * of the references (resolved only where a link needs them: most values decide alone). An array,
   * not a set: a link's references name one object, mostly, and a set per link cost a hash each.
   */
  private referenced(from: ResourceInstance, path: string, kind: TargetKind): string[] {
    const addresses = from.referencesAt(path);
    const referenced: string[] = [];
    // A set only for many (count/for_each without an index): includes() over them would be quadratic.
    const seen = addresses.length > 16 ? new Set<string>() : undefined;
    for (let i = 0; i < addresses.length; i++) {
      const target = this.throughAlias(addresses[i], kind);
      if (!target || !this.values.has(kind, target) || this.inOtherRegion(kind, target, from.region)) continue;
      if (seen ? seen.has(target) : referenced.includes(target)) continue;
      seen?.add(target);
      referenced.push(target);
    }
    return referenced;
  }

  private inOtherRegion(kind: TargetKind, target: string, region: string | null): boolean {
    // The kind first: most kinds need no lookup of the target's region.
    if (!SAME_REGION_KINDS.has(kind) || region === null) return false;
    const targetRegion = this.values.regionOf(target);
    return targetRegion !== null && region !== targetRegion;
  }

  /**
   * The key an alias names (the address itself when it is no alias). KMS takes a key ID or key ARN
   * as an alias's target, never an alias: a target that names only aliases (itself, a loop, a
   * chain) names no key. Resolved once per alias: many aliases of one name each naming that name
   * would otherwise be looked up again for every alias found.
   */
  private throughAlias(address: string, kind: TargetKind): string | null {
    // Only KMS keys have aliases: no lookup for the other kinds.
    if (kind !== 'kms_key') return address;
    const alias = this.aliases.get(address);
    if (!alias) return address;
    let key = this.aliasKeys.get(address);
    if (key === undefined) {
      const keys = alias.referencesAt('target_key_id').filter((a) => this.values.has('kms_key', a));
      const target = alias.values.target_key_id;
      const found = keys.length === 1 ? keys : typeof target === 'string' ? this.byValue('kms_key', target, alias.region, false) : [];
      key = found.length === 1 ? found[0] : null;
      this.aliasKeys.set(address, key);
    }
    return key;
  }

  /** The objects a name or ARN can denote (in the region, for regional kinds), aliases followed to their keys unless `throughAliases` is false (then left out). */
  private byValue(kind: TargetKind, value: string, region: string | null, throughAliases = true): string[] {
    const found = this.values.find(kind, value, { region });
    // Only KMS keys have aliases: the ids found are the objects (find lists each once).
    if (kind !== 'kms_key') return found;
    const targets = found.flatMap((id) => {
      if (!id.startsWith('alias:')) return [id];
      const key = throughAliases ? this.throughAlias(id.slice('alias:'.length), kind) : null;
      return key === null ? [] : [key];
    });
    return [...new Set(targets)];
  }
}
