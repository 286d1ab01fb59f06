/**
 * `terraform show -json` plans and states -> resource instances. Values come from
 * planned_values (or the state's values), unknowns from resource_changes[].change.after_unknown,
 * references and provider regions from configuration.
 */
import {
  type InstanceKey,
  type ModuleStep,
  configModulePath,
  formatModules,
  parseModuleAddress,
  parseTraversal,
} from './address';
import { AFTER_APPLY, type AttributeValue, type Attributes, type InstanceSet, type ResourceInstance, Unknown, own, pathSteps, setOwn } from './instance';
import { regionOfArn } from '../../posture/arn';
import { ENVIRONMENT_ACCOUNT, type ProviderAccount, assignAccounts, providerAccount } from './accounts';
import { type RegionAnswer, firstRegion, parentProviderKey } from './regions';
import { isJsonObject } from '../../json-object';

type Json = Record<string, unknown>;

/** A configured resource, with its expressions found by path: every instance of a module reads the same few paths. */
interface ConfigResource {
  resource: Json;
  /** type.name, built once for every instance of the resource. */
  name: string;
  /** null: no expression at the path (one lookup tells a path not looked up from one not configured). */
  expressions: Map<string, { node: unknown; leaf: boolean } | null>;
}

/** By resource type, then name: each instance finds its configured resource without building type.name (a string to flatten and hash). */
type ByTypeAndName<V> = Map<string, Map<string, V>>;

function byTypeAndName<V>(map: ByTypeAndName<V>, type: string, name: string): V | undefined {
  return map.get(type)?.get(name);
}

function setByTypeAndName<V>(map: ByTypeAndName<V>, type: string, name: string, value: V): void {
  let byName = map.get(type);
  if (byName === undefined) map.set(type, (byName = new Map()));
  byName.set(name, value);
}

interface ConfigModule {
  /** Managed resources (the only ones looked up). */
  resources: ByTypeAndName<ConfigResource>;
  moduleCalls: Record<string, Json>;
  outputs: Record<string, Json>;
}

/** What an instance asks of its plan's configuration: one per plan, shared by its instances. */
interface ConfigurationReader {
  references(config: ConfigResource, path: string, modules: ModuleStep[], key: InstanceKey | undefined): string[];
  expression(config: ConfigResource, path: string): { node: unknown; leaf: boolean } | undefined;
}

/**
 * A class rather than a literal with closures: a plan has thousands of instances, and each literal
 * built two closures. Its fields are declared, not initialized, and set once in the constructor: a
 * field initializer (or parameter property) under ES2022 class fields defines each field as
 * undefined first, then the constructor writes it again, for each of the plan's instances.
 */
class PlanInstance implements ResourceInstance {
  declare readonly address: string;
  declare readonly type: string;
  declare readonly name: string;
  declare private readonly planned: Attributes;
  /** The change's after_unknown when it is an object (nothing else merges into the values). */
  declare private readonly afterUnknown: Json | undefined;
  declare readonly modules: ModuleStep[];
  declare readonly key: InstanceKey | undefined;
  declare readonly created: boolean;
  declare private readonly config: ConfigResource | undefined;
  declare private readonly reader: ConfigurationReader;
  /** Whether after_unknown is merged into the planned values yet. */
  declare private merged: boolean;
  declare region: string | null;
  declare regionUnknown?: string;
  declare account?: string | null;
  declare accountUnknown?: string;
  declare location: null;
  declare providerAccount: ProviderAccount;

  constructor(
    address: string,
    type: string,
    name: string,
    planned: Attributes,
    afterUnknown: Json | undefined,
    modules: ModuleStep[],
    key: InstanceKey | undefined,
    created: boolean,
    config: ConfigResource | undefined,
    reader: ConfigurationReader,
  ) {
    this.address = address;
    this.type = type;
    this.name = name;
    this.planned = planned;
    this.afterUnknown = afterUnknown;
    this.modules = modules;
    this.key = key;
    this.created = created;
    this.config = config;
    this.reader = reader;
    this.merged = afterUnknown === undefined;
    this.region = null;
    this.regionUnknown = undefined;
    this.account = undefined;
    this.accountUnknown = undefined;
    this.location = null;
    this.providerAccount = ENVIRONMENT_ACCOUNT;
  }

  /**
   * The planned values with the values known only after apply merged in, on first read: most
   * instances of a plan are of types the posture does not map, whose values are never read, and
   * the mapping reads attributes one at a time (`attribute`).
   */
  get values(): Attributes {
    if (!this.merged) {
      this.merged = true;
      mergeUnknown(this.planned, this.afterUnknown);
    }
    return this.planned;
  }

  /**
   * A top-level attribute of `values`, with what after_unknown says of it merged into it alone (an
   * s3 bucket's after_unknown has some 20 attributes, of which the mapping reads a few). Merging
   * an attribute again changes nothing, so the whole merge (`values`) may still follow.
   */
  attribute(name: string): AttributeValue | undefined {
    if (this.merged || this.afterUnknown === undefined) return own(this.planned, name);
    const unknown = own(this.afterUnknown, name);
    if (unknown === undefined || unknown === false) return own(this.planned, name);
    if (unknown === true) return KNOWN_AFTER_APPLY;
    const current = own(this.planned, name);
    const merged = mergeUnknown(current, unknown);
    if (merged !== current) setOwn(this.planned, name, merged);
    return merged;
  }

  referencesAt(path: string): string[] {
    return this.config ? this.reader.references(this.config, path, this.modules, this.key) : [];
  }

  configured(path: string): boolean | undefined {
    return this.config ? this.reader.expression(this.config, path) !== undefined : undefined;
  }
}

const MAX_DEPTH = 12;
const NO_ACTIONS: readonly string[] = [];

type Traversal = ReturnType<typeof parseTraversal>;
const NO_TRAVERSALS: readonly Traversal[] = [];
/** Reference heads that name no resource. */
const NOT_RESOURCES = new Set(['data', 'local', 'each', 'count', 'path', 'terraform', 'self']);

// One for every value known only after apply (an Unknown is never changed): a plan has several in each instance.
const KNOWN_AFTER_APPLY = new Unknown(AFTER_APPLY);

/** Values known only after apply are left out of the planned values and true in after_unknown (depth is bounded by read-json's MAX_NESTING). */
function mergeUnknown(value: AttributeValue | undefined, afterUnknown: unknown): AttributeValue {
  if (afterUnknown === true) return KNOWN_AFTER_APPLY;
  if (Array.isArray(afterUnknown)) {
    const list: AttributeValue[] = Array.isArray(value) ? value : [];
    for (let i = 0; i < afterUnknown.length; i++) {
      const item: unknown = afterUnknown[i];
      if (item !== false) list[i] = mergeUnknown(list[i], item);
    }
    return list;
  }
  if (isJsonObject(afterUnknown)) {
    const object = (isJsonObject(value) ? value : {}) as Attributes;
    // for-in, not an array of keys or entries: this runs on every instance and nested block, and after_unknown objects of one resource type share V8's cached key list (JSON.parse makes no inherited keys).
    for (const key in afterUnknown) {
      const item = afterUnknown[key];
      if (item === false) continue;
      // Most items are a value known only after apply: set without reading what is there or calling back.
      if (item === true) {
        if (key === '__proto__') setOwn(object, key, KNOWN_AFTER_APPLY);
        else object[key] = KNOWN_AFTER_APPLY;
        continue;
      }
      const current = own(object, key);
      const merged = mergeUnknown(current, item);
      if (merged !== current) setOwn(object, key, merged);
    }
    return object;
  }
  return value ?? null;
}

/** A leaf expression ({constant_value}, {references}, or {}), as opposed to a nested block. */
function isLeafExpression(node: unknown): boolean {
  if (!isJsonObject(node)) return false;
  const keys = Object.keys(node);
  return keys.every((k) => k === 'constant_value' || k === 'references');
}

function expressionAt(expressions: unknown, path: string): { node: unknown; leaf: boolean } | undefined {
  let node: unknown = expressions;
  for (const key of pathSteps(path)) {
    if (isLeafExpression(node)) return { node, leaf: true };
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isJsonObject(node)) node = own(node, key);
    else return undefined;
    if (node === undefined) return undefined;
  }
  return { node, leaf: isLeafExpression(node) };
}

function referencesOf(expression: unknown): string[] {
  // Only strings: a reference of another type is not one Terraform writes.
  return isJsonObject(expression) && Array.isArray(expression.references) ? expression.references.filter((reference): reference is string => typeof reference === 'string') : [];
}

export function planInstances(document: Json, kind: 'plan' | 'state'): InstanceSet {
  const notes: InstanceSet['notes'] = [];
  const configuration = isJsonObject(document.configuration) ? document.configuration : undefined;
  const providerConfigs = (isJsonObject(configuration?.provider_config) ? configuration.provider_config : {}) as Record<string, Json>;
  const variables = (isJsonObject(document.variables) ? document.variables : {}) as Record<string, Json>;

  // Configuration, indexed once by module path (module.a.module.b) and resource (type.name).
  const configModules = new Map<string, ConfigModule>();
  const indexModule = (path: string, module: unknown): void => {
    if (!isJsonObject(module)) return;
    const resources: ByTypeAndName<ConfigResource> = new Map();
    for (const resource of (Array.isArray(module.resources) ? module.resources : []) as Json[]) {
      if (resource.mode !== 'data') {
        const type = String(resource.type);
        const name = String(resource.name);
        setByTypeAndName(resources, type, name, { resource, name: `${type}.${name}`, expressions: new Map() });
      }
    }
    const moduleCalls = (isJsonObject(module.module_calls) ? module.module_calls : {}) as Record<string, Json>;
    configModules.set(path, { resources, moduleCalls, outputs: (isJsonObject(module.outputs) ? module.outputs : {}) as Record<string, Json> });
    for (const [name, call] of Object.entries(moduleCalls)) indexModule(path ? `${path}.module.${name}` : `module.${name}`, call.module);
  };
  if (configuration) indexModule('', configuration.root_module);

  // Changes, indexed once by address.
  const changes = new Map<string, Json>();
  const changeList = (Array.isArray(document.resource_changes) ? document.resource_changes : []) as Json[];
  // Indexed loops over the plan's lists: a for-of allocates an iterator result per element until V8 optimizes the loop, which a single pass rarely lives to see.
  for (let i = 0; i < changeList.length; i++) {
    const change = changeList[i];
    // A deposed object (create_before_destroy) shares the address of the new one; its deletion is not the resource's.
    if (change.mode === 'managed' && typeof change.address === 'string' && !change.deposed) changes.set(change.address, change);
  }

  const instances: PlanInstance[] = [];
  // By module instance address, then type.name.
  const byResource = new Map<string, Map<string, PlanInstance[]>>();
  const moduleInstances = new Map<string, ModuleStep[][]>();

  const rootModule = kind === 'plan'
    ? (document.planned_values as Json | undefined)?.root_module
    : (document.values as Json | undefined)?.root_module;

  const walk = (module: unknown): void => {
    if (!isJsonObject(module)) return;
    const modules = parseModuleAddress(typeof module.address === 'string' ? module.address : '');
    const modulePath = modulePathOf(modules);
    // Indexed by module path and the address of the instance calling it: a module output is looked up among its caller's instances only.
    const byCaller = `${modulePath}|${moduleAddress(callerOf(modules))}`;
    const known = moduleInstances.get(byCaller) ?? [];
    known.push(modules);
    moduleInstances.set(byCaller, known);
    const configModule = configModules.get(modulePath);
    const address = moduleAddress(modules);
    let inModule = byResource.get(address);
    const resources = (Array.isArray(module.resources) ? module.resources : []) as Json[];
    for (let i = 0; i < resources.length; i++) {
      const resource = resources[i];
      if (resource.mode !== 'managed') continue;
      const type = String(resource.type);
      const name = String(resource.name);
      const config = configModule && byTypeAndName(configModule.resources, type, name);
      const instance = toInstance(resource, type, name, modules, config);
      if (!instance) continue;
      instances.push(instance);
      // type.name of the configured resource, built once for all its instances.
      const resourceName = config ? config.name : `${type}.${name}`;
      if (inModule === undefined) byResource.set(address, (inModule = new Map()));
      const list = inModule.get(resourceName);
      if (list === undefined) inModule.set(resourceName, [instance]);
      else list.push(instance);
    }
    const children: unknown[] = Array.isArray(module.child_modules) ? module.child_modules : [];
    for (let i = 0; i < children.length; i++) walk(children[i]);
  };

  const toInstance = (resource: Json, type: string, name: string, modules: ModuleStep[], config: ConfigResource | undefined): PlanInstance | null => {
    const address = String(resource.address);
    // The change's body read once (a state has none).
    const body = changes.get(address)?.change;
    const ofChange = isJsonObject(body) ? body : undefined;
    const actions = (ofChange && Array.isArray(ofChange.actions) ? ofChange.actions : NO_ACTIONS) as string[];
    if (actions.length === 1 && (actions[0] === 'delete' || actions[0] === 'forget')) return null;
    const values = (isJsonObject(resource.values) ? resource.values : {}) as Attributes;
    const afterUnknown = ofChange && isJsonObject(ofChange.after_unknown) ? ofChange.after_unknown : undefined;
    const configResource = config?.resource;
    const key = resource.index as InstanceKey | undefined;
    const instance = new PlanInstance(address, type, name, values, afterUnknown, modules, key, kind === 'plan' && actions.includes('create'), config, reader);
    const providerKey = typeof configResource?.provider_config_key === 'string' ? configResource.provider_config_key : undefined;
    if (providerKey) instance.providerAccount = accountOfProvider(providerKey);
    const region = regionOf(instance, configResource);
    instance.region = region.region;
    if (region.unknown) instance.regionUnknown = region.unknown;
    return instance;
  };

  // The same few reference texts and module instances recur in every module instance: parsed and formatted once (a plan of 10k instances resolves ~100k references).
  const traversals = new Map<string, Traversal>();
  const traversal = (reference: string): Traversal => {
    let steps = traversals.get(reference);
    if (steps === undefined) traversals.set(reference, (steps = parseTraversal(reference)));
    return steps;
  };
  const resourceNames = new WeakMap<Traversal, string>();
  /** type.name of a resource reference (its first two steps). */
  const resourceName = (steps: Traversal): string => {
    let name = resourceNames.get(steps);
    if (name === undefined) resourceNames.set(steps, (name = `${steps[0].name}.${steps[1].name}`));
    return name;
  };
  const moduleAddresses = new WeakMap<ModuleStep[], string>();
  const moduleAddress = (modules: ModuleStep[]): string => {
    let address = moduleAddresses.get(modules);
    if (address === undefined) moduleAddresses.set(modules, (address = formatModules(modules)));
    return address;
  };
  const modulePaths = new WeakMap<ModuleStep[], string>();
  const modulePathOf = (modules: ModuleStep[]): string => {
    let path = modulePaths.get(modules);
    if (path === undefined) modulePaths.set(modules, (path = configModulePath(modules)));
    return path;
  };
  // The calling module instance, one array per module instance, so that its formatted address above is kept too.
  const callers = new WeakMap<ModuleStep[], ModuleStep[]>();
  const callerOf = (modules: ModuleStep[]): ModuleStep[] => {
    let caller = callers.get(modules);
    if (caller === undefined) callers.set(modules, (caller = modules.slice(0, -1)));
    return caller;
  };

  /** The expression a configured resource has at `path` (expressionAt), looked up once per resource and path. */
  const configuredExpression = (config: ConfigResource, path: string): { node: unknown; leaf: boolean } | undefined => {
    const known = config.expressions.get(path);
    if (known !== undefined) return known ?? undefined;
    const found = expressionAt(config.resource.expressions, path);
    config.expressions.set(path, found ?? null);
    return found;
  };

  // An expression's references are resolved in every instance of its module: what to resolve is worked out once per expression.
  const traversalsByExpression = new WeakMap<Json, readonly Traversal[]>();
  const traversalsOf = (expression: unknown): readonly Traversal[] => {
    if (!isJsonObject(expression)) return NO_TRAVERSALS;
    let found = traversalsByExpression.get(expression);
    if (found === undefined) traversalsByExpression.set(expression, (found = traversalsToResolve(referencesOf(expression))));
    return found;
  };

  /** The references of an expression that may name a resource instance, one of each that resolves alike. */
  const traversalsToResolve = (references: string[]): readonly Traversal[] => {
    let parsed = references.map(traversal);
    if (parsed.length > 1) {
      // Terraform lists aws_x.y[0].id, aws_x.y[0] and aws_x.y: the keyed forms say which instance.
      const keyed = new Set(parsed.filter((steps) => steps.length > 1 && steps[1].key !== undefined).map((steps) => `${steps[0].name}.${steps[1].name}`));
      // Terraform lists module.x["k"].out, module.x["k"] and module.x: the forms naming the output say which.
      const withOutput = new Set(parsed.filter((steps) => steps[0]?.name === 'module' && steps.length > 2).map((steps) => steps[1].name));
      parsed = parsed.filter((steps) => !(steps.length === 2 && steps[1].key === undefined && keyed.size > 0 && keyed.has(`${steps[0].name}.${steps[1].name}`)))
        .filter((steps) => !(steps.length === 2 && steps[0].name === 'module' && withOutput.has(steps[1].name)));
    }
    // resolveOne reads the head, the second step (name and key) and, of a module output, the third step's name.
    const seen = new Set<string>();
    return parsed.filter((steps) => {
      const head = steps[0]?.name;
      if (!head || steps.length < 2 || NOT_RESOURCES.has(head)) return false;
      const alike = JSON.stringify([head, steps[1].name, steps[1].key ?? null, head === 'module' ? (steps[2]?.name ?? null) : null]);
      if (seen.has(alike)) return false;
      seen.add(alike);
      return true;
    });
  };

  /** Instance addresses the references of a configuration expression (traversalsOf) point at, relative to `modules`. */
  const resolve = (traversals: readonly Traversal[], modules: ModuleStep[], key: InstanceKey | undefined, depth: number): string[] => {
    if (depth > MAX_DEPTH) return [];
    if (traversals.length === 0) return [];
    if (traversals.length === 1) {
      const found = resolveOne(traversals[0], modules, key, depth);
      return found.length > 1 ? [...new Set(found)] : found;
    }
    const found = new Set<string>();
    for (const steps of traversals) for (const address of resolveOne(steps, modules, key, depth)) found.add(address);
    return [...found];
  };

  const resolveOne = (steps: Traversal, modules: ModuleStep[], key: InstanceKey | undefined, depth: number): string[] => {
    const head = steps[0]?.name;
    if (!head || steps.length < 2) return [];
    if (head === 'var') {
      // A module input: follow the module call's argument in the calling module.
      if (modules.length === 0) return [];
      const parent = callerOf(modules);
      const call = modules[modules.length - 1];
      const calls = configModules.get(modulePathOf(parent))?.moduleCalls;
      const argument = calls ? own(calls, call.name)?.expressions : undefined;
      return resolve(traversalsOf(isJsonObject(argument) ? own(argument, steps[1].name) : undefined), parent, call.key, depth + 1);
    }
    if (head === 'module') {
      // A module output: follow the output's expression inside each matching module instance.
      const outputName = steps[2]?.name;
      const childPath = `${modulePathOf(modules)}${modules.length ? '.' : ''}module.${steps[1].name}`;
      const outputs = configModules.get(childPath)?.outputs ?? {};
      let childInstances = (moduleInstances.get(`${childPath}|${moduleAddress(modules)}`) ?? []).filter(
        (child) => steps[1].key === undefined || child[child.length - 1].key === steps[1].key,
      );
      // module.x[each.key].out / [count.index]: Terraform lists only module.x; the instance with the referring resource's own key.
      if (steps[1].key === undefined && key !== undefined && childInstances.length > 1) {
        const same = childInstances.filter((child) => child[child.length - 1].key === key);
        if (same.length === 1) childInstances = same;
      }
      // Without the output's name (a dynamic index), whatever the module's outputs expose; the link keeps the one of the right kind.
      const expressions = outputName ? [own(outputs, outputName)?.expression] : Object.values(outputs).map((output) => output.expression);
      return childInstances.flatMap((child) => expressions.flatMap((expression) => resolve(traversalsOf(expression), child, undefined, depth + 1)));
    }
    if (NOT_RESOURCES.has(head)) return [];
    const candidates = byResource.get(moduleAddress(modules))?.get(resourceName(steps));
    if (candidates === undefined) return [];
    const targetKey = steps[1].key;
    // Most references name one instance: no callbacks for it.
    if (candidates.length === 1) return targetKey === undefined || candidates[0].key === targetKey ? [candidates[0].address] : [];
    if (targetKey !== undefined) return candidates.filter((c) => c.key === targetKey).map((c) => c.address);
    // aws_x.y[each.key] / [count.index]: Terraform lists only aws_x.y; take the instance with the same key.
    if (candidates.length > 1 && key !== undefined) {
      const same = candidates.filter((c) => c.key === key);
      if (same.length === 1) return [same[0].address];
    }
    return candidates.map((c) => c.address);
  };

  const variableValue = (name: string, modulePath: string, depth: number): RegionAnswer => {
    if (modulePath === '') {
      const value = own(variables, name)?.value;
      return typeof value === 'string' ? { region: value } : { region: null, unknown: `variable var.${name} has no value in the plan` };
    }
    const lastModule = modulePath.lastIndexOf('module.');
    const parentPath = modulePath.slice(0, Math.max(0, lastModule - 1));
    const callName = modulePath.slice(lastModule + 'module.'.length);
    const calls = configModules.get(parentPath)?.moduleCalls;
    const argument = calls ? own(calls, callName)?.expressions : undefined;
    return expressionRegion(isJsonObject(argument) ? own(argument, name) : undefined, parentPath, `var.${name} of ${modulePath}`, depth + 1);
  };

  const expressionRegion = (expression: unknown, modulePath: string, what: string, depth: number): RegionAnswer => {
    if (!isJsonObject(expression)) return { region: null, unknown: `${what} is not set` };
    if (typeof expression.constant_value === 'string') return { region: expression.constant_value };
    const references = referencesOf(expression);
    if (depth < MAX_DEPTH && references.length === 1 && references[0].startsWith('var.')) {
      return variableValue(references[0].slice(4), modulePath, depth);
    }
    return { region: null, unknown: `${what} is an expression sescheck does not evaluate (${references.join(', ') || 'no references'})` };
  };

  // Every instance of a provider configuration has the same provider region and account: each is worked out once.
  const providerRegions = new Map<string, RegionAnswer>();
  const providerRegion = (providerKey: string): RegionAnswer => {
    let answer = providerRegions.get(providerKey);
    if (answer === undefined) providerRegions.set(providerKey, (answer = providerRegionOnce(providerKey)));
    return answer;
  };
  const providerRegionOnce = (providerKey: string): RegionAnswer => {
    const found = providerConfig(providerKey);
    if (!found) return { region: null, unknown: `provider configuration ${providerKey} is not in the plan` };
    const { key, provider } = found;
    const expressions = isJsonObject(provider.expressions) ? provider.expressions : {};
    if (!expressions.region) {
      return { region: null, unknown: `provider configuration ${key} sets no region (taken from the environment when Terraform ran)` };
    }
    const modulePath = typeof provider.module_address === 'string' ? provider.module_address : '';
    return expressionRegion(expressions.region, modulePath, `region of provider configuration ${key}`, 0);
  };

  /** The provider configuration a key names, or the one it inherits from a parent module. */
  const providerConfig = (providerKey: string): { key: string; provider: Json } | undefined => {
    let key: string | null = providerKey;
    while (key !== null && !own(providerConfigs, key)) key = parentProviderKey(key);
    const provider = key === null ? undefined : own(providerConfigs, key);
    return key === null || !provider ? undefined : { key, provider };
  };

  /** A provider argument's value: constants, variables with a value, and blocks of those; null when set but not evaluated. */
  const argumentValue = (expression: unknown, modulePath: string): unknown => {
    if (Array.isArray(expression)) return expression.map((block) => argumentValue(block, modulePath));
    if (!isJsonObject(expression)) return null;
    if ('constant_value' in expression) return expression.constant_value;
    if (isLeafExpression(expression)) return expressionRegion(expression, modulePath, 'provider argument', 0).region;
    return Object.fromEntries(Object.entries(expression).map(([name, value]) => [name, argumentValue(value, modulePath)]));
  };

  const providerAccounts = new Map<string, ProviderAccount>();
  const accountOfProvider = (providerKey: string): ProviderAccount => {
    let account = providerAccounts.get(providerKey);
    if (account === undefined) providerAccounts.set(providerKey, (account = accountOfProviderOnce(providerKey)));
    return account;
  };
  const accountOfProviderOnce = (providerKey: string): ProviderAccount => {
    const found = providerConfig(providerKey);
    if (!found) return ENVIRONMENT_ACCOUNT;
    const expressions = isJsonObject(found.provider.expressions) ? found.provider.expressions : {};
    const modulePath = typeof found.provider.module_address === 'string' ? found.provider.module_address : '';
    return providerAccount(found.key, (name) => (name in expressions ? argumentValue(expressions[name], modulePath) : undefined));
  };

  const regionOf = (instance: PlanInstance, configResource: Json | undefined): RegionAnswer => {
    const own = instance.attribute('region');
    if (typeof own === 'string' && own) return { region: own };
    if (own instanceof Unknown && instance.configured('region')) return firstRegion({ region: regionOfArn(instance.attribute('arn')) }, { region: null, unknown: `region ${own.reason}` });
    const providerKey = typeof configResource?.provider_config_key === 'string' ? configResource.provider_config_key : undefined;
    const fromProvider = providerKey ? providerRegion(providerKey) : { region: null, unknown: 'the state does not say which provider configuration manages this resource' };
    // The ARN is parsed only when the provider does not say.
    return fromProvider.region !== null ? fromProvider : firstRegion(fromProvider, { region: regionOfArn(instance.attribute('arn')) });
  };

  const reader: ConfigurationReader = {
    references: (config, path, modules, key) => {
      const found = configuredExpression(config, path);
      return found?.leaf ? resolve(traversalsOf(found.node), modules, key, 0) : [];
    },
    expression: (config, path) => configuredExpression(config, path),
  };
  walk(rootModule);
  assignAccounts(instances, (instance) => instance.attribute('arn'));
  if (document.errored === true) notes.push({ message: 'the plan errored: Terraform could not finish planning, so some resources may be missing' });
  return { instances, notes };
}
