/**
 * Terraform JSON (cdktf synth output, *.tf.json, or HCL converted by hcl2json) -> resource
 * instances. Evaluates literals, single references, variables with defaults, literal locals,
 * literal count/for_each, and local modules (`source = "./..."`) with their arguments, count and
 * for_each; everything else stays unknown with the expression as the reason. A module it cannot
 * read (remote source, missing directory, count/for_each it cannot evaluate) is an UnreadModule.
 */
import path from 'path';
import type { Location } from '../../posture/types';
import { type InstanceKey, type ModuleStep, formatKey, formatModules, parseTraversal } from './address';
import { parseStringExpression } from './expressions';
import {
  AFTER_APPLY,
  type AttributeValue,
  type Attributes,
  type InstanceSet,
  type ResourceInstance,
  type UnreadModule,
  Unknown,
  own,
  setOwn,
  valueAt,
} from './instance';
import { ENVIRONMENT_ACCOUNT, type ProviderAccount, assignAccounts, providerAccount } from './accounts';
import { type RegionAnswer, firstRegion } from './regions';
import { isJsonObject } from '../../json-object';

type Json = Record<string, unknown>;

/** One parsed Terraform JSON document and where its resources are declared. */
export interface ConfigDocument {
  file: string;
  body: Json;
  /** Line of `resource "type" "name"` / the resource's JSON key; undefined when not found. */
  lineOf(type: string, name: string): number | undefined;
}

/** The files of a local module's directory, or why they cannot be read. */
export type ModuleFiles = ConfigDocument[] | { unreadable: string };

/** The root configuration and the local modules it (transitively) calls, by absolute directory. */
export interface ConfigSource {
  /** Directory module sources are relative to; null when unknown (module calls are then unread). */
  dir: string | null;
  documents: ConfigDocument[];
  modules?: Map<string, ModuleFiles>;
}

interface Declaration {
  type: string;
  name: string;
  body: Json;
  location: Location;
}

interface ModuleCall {
  name: string;
  body: Json;
  location: Location;
}

/** One module's configuration (the root or a local module directory). */
interface ModuleConfig {
  dir: string | null;
  variables: Map<string, unknown>;
  locals: Map<string, unknown>;
  outputs: Map<string, unknown>;
  providers: Map<string, Json>;
  declarations: Declaration[];
  calls: ModuleCall[];
}

/** each.* / count.index of a resource or module instance. */
interface Context {
  key?: InstanceKey;
  each?: { key: InstanceKey; value: unknown };
}

/** One module instance: module.a["x"].module.b, or the root. */
interface Scope {
  modules: ModuleStep[];
  config: ModuleConfig;
  parent?: Scope;
  call?: ModuleCall;
  /** The module instance's own each / count.index, for its call's arguments. */
  context: Context;
  byResource: Map<string, ConfigInstance[]>;
  children: Map<string, { instances: Scope[]; repeated: boolean; unread?: string }>;
}

interface ConfigInstance extends ResourceInstance, Context {
  declaration: Declaration;
  scope: Scope;
  providerAccount: ProviderAccount;
  evaluated?: { values: Attributes; references: Map<string, string[]> };
}

const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);
/** More instances than this from one count are not expanded (an absurd count is a mistake, not a configuration). */
const MAX_COUNT = 100_000;

const MODULE_META_ARGUMENTS = new Set(['//', 'source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
const MAX_DEPTH = 12;

/** A block written as an object or as a list of objects (both are valid Terraform JSON). */
function objects(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isJsonObject);
  return isJsonObject(value) ? [value] : [];
}

/** Merges the labelled blocks of every document: resource.TYPE.NAME, variable.NAME, ... */
function labelled(documents: ConfigDocument[], blockType: string): { label: string; body: Json; document: ConfigDocument }[] {
  const result: { label: string; body: Json; document: ConfigDocument }[] = [];
  for (const document of documents) {
    for (const block of objects(document.body[blockType])) {
      for (const [label, body] of Object.entries(block)) {
        if (label === '//') continue;
        for (const item of objects(body)) result.push({ label, body: item, document });
      }
    }
  }
  return result;
}

/** The traversal after `var.x` / `local.x`, starting with x's own index (var.x["k"].y). */
function afterName(steps: { name: string; key?: InstanceKey }[]): { name: string; key?: InstanceKey }[] {
  return steps[1].key === undefined ? steps.slice(2) : [{ name: '', key: steps[1].key }, ...steps.slice(2)];
}

function notEvaluated(text: string): Unknown {
  return new Unknown(`expression not evaluated: ${text}`);
}

/** `[each.key]` and `[count.index]` of a known instance are that key: aws_x.y[each.key].arn is aws_x.y["k"].arn. */
function withInstanceKey(text: string, context: Context | undefined): string {
  if (!text.includes('${')) return text;
  let result = text;
  if (context?.each) result = result.replace(/\[\s*each\.key\s*\]/g, `[${JSON.stringify(String(context.each.key))}]`);
  if (typeof context?.key === 'number') result = result.replace(/\[\s*count\.index\s*\]/g, `[${context.key}]`);
  return result;
}

/**
 * `toset([...])` / `toset(var.x)`, the idiomatic for_each over strings: the list itself (for_each
 * takes a list of strings as the set of its elements here); anything else as written.
 */
function setOf(forEach: unknown): unknown {
  if (typeof forEach !== 'string') return forEach;
  const inner = /^\$\{\s*toset\((.*)\)\s*\}$/s.exec(forEach)?.[1].trim();
  if (inner === undefined) return forEach;
  if (inner.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(inner);
      if (Array.isArray(list) && list.every((item) => typeof item === 'string')) return [...new Set(list)];
    } catch {
      return forEach;
    }
    return forEach;
  }
  return parseStringExpression(`\${${inner}}`).kind === 'reference' ? `\${${inner}}` : forEach;
}

/** Terraform's rule: a local module source starts with ./ or ../ */
export function isLocalModuleSource(source: unknown): source is string {
  return typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'));
}

/** The directory of a local module source, as the calling module's directory was given (no trailing separator). */
export function moduleDirectory(callerDir: string, source: string): string {
  const dir = path.join(callerDir, source);
  return dir.length > 1 ? dir.replace(/[\\/]+$/, '') : dir;
}

/** The local module sources (`./x`, `../x`) a module's documents call. */
export function moduleSources(documents: ConfigDocument[]): string[] {
  return labelled(documents, 'module').map(({ body }) => body.source).filter(isLocalModuleSource);
}

function moduleConfig(dir: string | null, documents: ConfigDocument[]): ModuleConfig {
  const variables = new Map<string, unknown>();
  for (const { label, body } of labelled(documents, 'variable')) variables.set(label, body.default);
  const locals = new Map<string, unknown>();
  for (const document of documents) {
    for (const block of objects(document.body.locals)) for (const [name, value] of Object.entries(block)) locals.set(name, value);
  }
  const outputs = new Map<string, unknown>();
  for (const { label, body } of labelled(documents, 'output')) outputs.set(label, body.value);
  const providers = new Map<string, Json>();
  for (const { label, body } of labelled(documents, 'provider')) {
    providers.set(typeof body.alias === 'string' ? `${label}.${body.alias}` : label, body);
  }
  const calls = labelled(documents, 'module').map(({ label, body, document }) => ({ name: label, body, location: { file: document.file, line: null } }));
  const declarations: Declaration[] = [];
  for (const document of documents) {
    for (const block of objects(document.body.resource)) {
      for (const [type, byName] of Object.entries(block)) {
        for (const named of objects(byName)) {
          for (const [name, body] of Object.entries(named)) {
            if (name === '//') continue;
            for (const item of objects(body)) {
              declarations.push({ type, name, body: item, location: { file: document.file, line: document.lineOf(type, name) ?? null } });
            }
          }
        }
      }
    }
  }
  return { dir, variables, locals, outputs, providers, declarations, calls };
}

export function configInstances(source: ConfigSource): InstanceSet {
  const notes: InstanceSet['notes'] = [];
  const unreadModules: UnreadModule[] = [];
  const instances: ConfigInstance[] = [];
  const byAddress = new Map<string, ConfigInstance>();
  const configs = new Map<string, ModuleConfig>();

  const root: Scope = { modules: [], config: moduleConfig(source.dir, source.documents), context: {}, byResource: new Map(), children: new Map() };

  /** Evaluates a value in a module instance, in the context of a resource or module instance (each.*, count.index). */
  const evaluate = (value: unknown, scope: Scope, context: Context | undefined, depth: number, references?: string[]): AttributeValue => {
    if (typeof value === 'string') {
      const expression = parseStringExpression(withInstanceKey(value, context));
      if (expression.kind === 'literal') return expression.value;
      if (expression.kind === 'reference') return evaluateReference(expression.reference, scope, context, depth, references);
      if (references) for (const reference of expression.references) references.push(...targets(reference, scope, context, depth));
      return interpolate(expression.text, scope, context, depth) ?? notEvaluated(expression.text);
    }
    if (Array.isArray(value)) return value.map((item) => evaluate(item, scope, context, depth, references));
    if (isJsonObject(value)) {
      const object: Attributes = {};
      for (const [key, item] of Object.entries(value)) if (key !== '//') setOwn(object, key, evaluate(item, scope, context, depth, references));
      return object;
    }
    return (value ?? null) as AttributeValue;
  };

  /** "text-${single.reference}-text" whose every part is known: the joined string. */
  const interpolate = (text: string, scope: Scope, context: Context | undefined, depth: number): string | Unknown | undefined => {
    if (text.includes('%{')) return undefined;
    let result = '';
    let last = 0;
    for (const part of text.matchAll(/\$\{([^{}]*)\}/g)) {
      const inner = parseStringExpression(part[0]);
      if (inner.kind !== 'reference') return undefined;
      const value = evaluateReference(inner.reference, scope, context, depth + 1);
      if (value instanceof Unknown && !value.reason.startsWith('expression not evaluated')) return value;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
      result += text.slice(last, part.index) + String(value);
      last = (part.index ?? 0) + part[0].length;
    }
    const rest = text.slice(last);
    return rest.includes('${') ? undefined : result + rest;
  };

  const navigate = (value: AttributeValue, steps: { name: string; key?: InstanceKey }[]): AttributeValue => {
    let current: AttributeValue = value;
    for (const step of steps) {
      if (current instanceof Unknown) return current;
      if (step.name) {
        const next: AttributeValue | undefined = valueAt(current, step.name);
        current = next === undefined ? null : next;
      }
      if (step.key !== undefined && !(current instanceof Unknown)) current = valueAt(current, String(step.key)) ?? null;
    }
    return current;
  };

  /** The instances of module call `name` a reference names: by its key, else the one with the referrer's own key, else all. */
  const moduleInstances = (scope: Scope, name: string, key: InstanceKey | undefined, context: Context | undefined): Scope[] => {
    const child = scope.children.get(name);
    if (!child) return [];
    if (key !== undefined && key !== '*') return child.instances.filter((instance) => instance.context.key === key);
    if (child.instances.length > 1 && context?.key !== undefined) {
      const same = child.instances.filter((instance) => instance.context.key === context.key);
      if (same.length === 1) return same;
    }
    return child.instances;
  };

  /** Resource instance addresses a traversal inside an expression names (module outputs followed). */
  const targets = (reference: string, scope: Scope, context: Context | undefined, depth: number): string[] => {
    const steps = parseTraversal(reference);
    if (steps.length < 2 || depth > MAX_DEPTH) return [];
    const head = steps[0].name;
    if (head === 'module') {
      // Without the output's name (module.x[each.key].out), whatever the instance's outputs expose.
      const outputName = steps[2]?.name;
      return moduleInstances(scope, steps[1].name, steps[1].key, context).flatMap((child) => {
        const outputs = outputName ? [child.config.outputs.get(outputName)] : [...child.config.outputs.values()];
        const found: string[] = [];
        for (const output of outputs) evaluate(output, child, undefined, depth + 1, found);
        return found;
      });
    }
    if (head === 'var' && scope.call && Object.hasOwn(scope.call.body, steps[1].name) && scope.parent) {
      const found: string[] = [];
      evaluate(scope.call.body[steps[1].name], scope.parent, scope.context, depth + 1, found);
      return found;
    }
    if (head === 'local' && scope.config.locals.has(steps[1].name)) {
      const found: string[] = [];
      evaluate(scope.config.locals.get(steps[1].name), scope, context, depth + 1, found);
      return found;
    }
    if (['var', 'local', 'each', 'count', 'path', 'terraform', 'self', 'data'].includes(head)) return [];
    const candidates = scope.byResource.get(`${head}.${steps[1].name}`) ?? [];
    const key = steps[1].key;
    if (key !== undefined && key !== '*') return candidates.filter((c) => c.key === key).map((c) => c.address);
    if (candidates.length > 1 && context?.key !== undefined) {
      const same = candidates.filter((c) => c.key === context.key);
      if (same.length === 1) return [same[0].address];
    }
    return candidates.map((c) => c.address);
  };

  const variableValue = (name: string, scope: Scope, depth: number, references?: string[]): AttributeValue => {
    // A module input: the call's argument, evaluated in the calling module instance.
    if (scope.call && scope.parent && Object.hasOwn(scope.call.body, name) && !MODULE_META_ARGUMENTS.has(name)) {
      return evaluate(scope.call.body[name], scope.parent, scope.context, depth + 1, references);
    }
    const fallback = scope.config.variables.get(name);
    if (!scope.config.variables.has(name) || fallback === undefined) {
      return new Unknown(scope.modules.length ? `variable var.${name} of ${formatModules(scope.modules)} has no value` : `variable var.${name} has no value`);
    }
    return evaluate(fallback, scope, undefined, depth + 1);
  };

  const moduleOutput = (steps: { name: string; key?: InstanceKey }[], scope: Scope, context: Context | undefined, depth: number, references?: string[]): AttributeValue => {
    const address = `${formatModules(scope.modules)}${scope.modules.length ? '.' : ''}module.${steps[1].name}`;
    const child = scope.children.get(steps[1].name);
    if (!child) return new Unknown(`module.${steps[1].name} is not in the input`);
    if (child.unread) return new Unknown(`output of ${address}, which sescheck cannot read (${child.unread})`);
    const outputName = steps[2]?.name;
    if (!outputName) return notEvaluated(`\${module.${steps[1].name}}`);
    const instances = steps[1].key !== undefined ? moduleInstances(scope, steps[1].name, steps[1].key, context) : child.repeated ? [] : child.instances;
    if (instances.length !== 1) return notEvaluated(`\${${address}${formatKey(steps[1].key)}.${outputName}}`);
    const output = instances[0].config.outputs.get(outputName);
    if (output === undefined) return new Unknown(`${address} has no output ${outputName}`);
    return navigate(evaluate(output, instances[0], undefined, depth + 1, references), steps.slice(3));
  };

  const evaluateReference = (reference: string, scope: Scope, context: Context | undefined, depth: number, references?: string[]): AttributeValue => {
    const steps = parseTraversal(reference);
    const head = steps[0].name;
    if (depth > MAX_DEPTH) return notEvaluated(`\${${reference}}`);
    switch (head) {
      case 'var':
        return navigate(variableValue(steps[1].name, scope, depth, references), afterName(steps));
      case 'local': {
        if (!scope.config.locals.has(steps[1].name)) return new Unknown(`local.${steps[1].name} is not defined`);
        return navigate(evaluate(scope.config.locals.get(steps[1].name), scope, context, depth + 1, references), afterName(steps));
      }
      case 'each':
        if (!context?.each) return notEvaluated(`\${${reference}}`);
        return navigate({ key: context.each.key, value: evaluate(context.each.value, scope, undefined, depth + 1) } as Attributes, steps.slice(1));
      case 'count':
        return context?.key !== undefined && typeof context.key === 'number' && steps[1].name === 'index' ? context.key : notEvaluated(`\${${reference}}`);
      case 'data':
        return new Unknown(`read from data.${steps[1]?.name}.${steps[2]?.name} when Terraform plans`);
      case 'module':
        return moduleOutput(steps, scope, context, depth, references);
      case 'path':
      case 'terraform':
      case 'self':
        return notEvaluated(`\${${reference}}`);
      default: {
        const found = targets(reference, scope, context, depth);
        references?.push(...found);
        if (found.length !== 1) {
          return found.length === 0 ? new Unknown(`${reference} is not in the input`) : new Unknown(AFTER_APPLY);
        }
        // An attribute set literally in the target's configuration is known at plan time too.
        const target = byAddress.get(found[0]);
        const attribute = steps[2]?.name;
        if (!target || !attribute || !Object.hasOwn(target.declaration.body, attribute) || META_ARGUMENTS.has(attribute)) return new Unknown(AFTER_APPLY);
        return navigate(evaluate(own(target.declaration.body, attribute), target.scope, target, depth + 1), steps.slice(3));
      }
    }
  };

  /** Evaluates a resource body once, recording the references of every attribute path. */
  const evaluated = (instance: ConfigInstance): NonNullable<ConfigInstance['evaluated']> => {
    if (instance.evaluated) return instance.evaluated;
    const values: Attributes = {};
    const references = new Map<string, string[]>();
    const visit = (raw: unknown, at: string): AttributeValue => {
      if (isJsonObject(raw)) {
        const object: Attributes = {};
        for (const [key, item] of Object.entries(raw)) if (key !== '//') setOwn(object, key, visit(item, at ? `${at}.${key}` : key));
        return object;
      }
      if (Array.isArray(raw) && raw.some((item) => isJsonObject(item))) return raw.map((item, i) => visit(item, `${at}.${i}`));
      const found: string[] = [];
      const value = evaluate(raw, instance.scope, instance, 0, found);
      if (found.length) references.set(at, [...new Set(found)]);
      return value;
    };
    for (const [key, raw] of Object.entries(instance.declaration.body)) {
      if (key === 'dynamic') {
        // dynamic "x" { for_each ... } blocks are not expanded: the whole block list is unknown.
        for (const block of objects(raw)) for (const name of Object.keys(block)) setOwn(values, name, notEvaluated(`dynamic "${name}" block`));
      } else if (!META_ARGUMENTS.has(key)) {
        if (!Object.hasOwn(values, key)) setOwn(values, key, visit(raw, key));
      }
    }
    instance.evaluated = { values, references };
    return instance.evaluated;
  };

  /** The region of provider configuration `key` as module instance `scope` sees it (own block, passed in, or inherited). */
  const providerRegion = (scope: Scope, key: string, depth: number): RegionAnswer => {
    const provider = scope.config.providers.get(key);
    if (provider) {
      if (provider.region === undefined) return { region: null, unknown: `provider ${key} sets no region (taken from the environment)` };
      const region = evaluate(provider.region, scope, undefined, 0);
      if (typeof region === 'string') return { region };
      return { region: null, unknown: `region of provider ${key}: ${region instanceof Unknown ? region.reason : 'not a string'}` };
    }
    if (scope.parent && scope.call && depth < MAX_DEPTH) {
      const passed = objects(scope.call.body.providers).find((map) => Object.hasOwn(map, key))?.[key];
      if (typeof passed === 'string') return providerRegion(scope.parent, passed.replace(/^\$\{\s*|\s*\}$/g, ''), depth + 1);
      // Only the default configuration of a provider is inherited; an alias must be passed in.
      if (!key.includes('.')) return providerRegion(scope.parent, key, depth + 1);
      return { region: null, unknown: `provider ${key} is not passed to ${formatModules(scope.modules)}` };
    }
    return { region: null, unknown: `no provider "${key}" configuration in the input` };
  };

  /** The account of provider configuration `key` as module instance `scope` sees it, found as its region is. */
  const providerAccountOf = (scope: Scope, key: string, depth: number): ProviderAccount => {
    const provider = scope.config.providers.get(key);
    if (provider) {
      return providerAccount(key, (name) => {
        if (provider[name] === undefined) return undefined;
        const value = evaluate(provider[name], scope, undefined, 0);
        // assume_role written as an object or a list of objects.
        return value instanceof Unknown ? null : name === 'assume_role' && !Array.isArray(value) ? [value] : value;
      });
    }
    if (scope.parent && scope.call && depth < MAX_DEPTH) {
      const passed = objects(scope.call.body.providers).find((map) => Object.hasOwn(map, key))?.[key];
      if (typeof passed === 'string') return providerAccountOf(scope.parent, passed.replace(/^\$\{\s*|\s*\}$/g, ''), depth + 1);
      if (!key.includes('.')) return providerAccountOf(scope.parent, key, depth + 1);
    }
    return ENVIRONMENT_ACCOUNT;
  };

  const providerKeyOf = (instance: ConfigInstance): string => {
    const raw = instance.declaration.body.provider;
    return typeof raw === 'string' ? raw.replace(/^\$\{\s*|\s*\}$/g, '') : 'aws';
  };

  const regionOf = (instance: ConfigInstance): RegionAnswer => {
    const own = evaluated(instance).values.region;
    if (typeof own === 'string' && own) return { region: own };
    if (own instanceof Unknown) return { region: null, unknown: `region: ${own.reason}` };
    return providerRegion(instance.scope, providerKeyOf(instance), 0);
  };

  /** The instance keys of a count / for_each, or why they cannot be told. */
  const expansion = (body: Json, scope: Scope): Context[] | { unknown: string } => {
    const count = body.count === undefined ? undefined : evaluate(body.count, scope, undefined, 0);
    const forEach = body.for_each === undefined ? undefined : evaluate(setOf(body.for_each), scope, undefined, 0);
    if (count === undefined && forEach === undefined) return [{}];
    // Terraform takes a whole number of instances; anything else (or an absurd number) is not evaluated.
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0 && count <= MAX_COUNT) return Array.from({ length: count }, (_, i) => ({ key: i }));
    if (Array.isArray(forEach) && forEach.every((item) => typeof item === 'string')) return (forEach as string[]).map((item) => ({ key: item, each: { key: item, value: item } }));
    if (isJsonObject(forEach) && !(forEach instanceof Unknown)) return Object.entries(forEach).map(([key, value]) => ({ key, each: { key, value } }));
    const value = count ?? forEach;
    return { unknown: `${count !== undefined ? 'count' : 'for_each'} ${value instanceof Unknown ? `is unknown (${value.reason})` : 'is not evaluated'}` };
  };

  const unreadCalls: { scope: Scope; call: ModuleCall; module: UnreadModule }[] = [];
  const unread = (scope: Scope, call: ModuleCall, reason: string): void => {
    const id = `${formatModules(scope.modules)}${scope.modules.length ? '.' : ''}module.${call.name}`;
    scope.children.set(call.name, { instances: [], repeated: false, unread: reason });
    const module: UnreadModule = { id, reason, location: call.location, references: [] };
    unreadModules.push(module);
    unreadCalls.push({ scope, call, module });
    notes.push({ id, message: `module not read (${reason}): it may declare anything, so verdicts that count on absence (no trail, no event destination, no log delivery) are unknown`, location: call.location });
  };

  /** What an unread module's arguments (or an unexpanded resource's) refer to, once every resource is declared. */
  const unreadReferences = (): void => {
    for (const { scope, call, module } of unreadCalls) {
      const references: string[] = [];
      for (const [name, argument] of Object.entries(call.body)) {
        if (!MODULE_META_ARGUMENTS.has(name)) evaluate(argument, scope, undefined, 0, references);
      }
      module.references = [...new Set(references)];
    }
  };

  const calledFrom = (scope: Scope | undefined, dir: string): boolean => {
    for (let current = scope; current; current = current.parent) if (current.config.dir === dir) return true;
    return false;
  };

  /** Expands the module calls of a module instance, depth first. */
  const expandModules = (scope: Scope): void => {
    for (const call of scope.config.calls) {
      const sourceText = call.body.source;
      if (!isLocalModuleSource(sourceText)) {
        unread(scope, call, `source ${JSON.stringify(sourceText ?? null)} is not a local directory`);
        continue;
      }
      if (scope.config.dir === null || scope.modules.length >= MAX_DEPTH) {
        unread(scope, call, `source ${sourceText} cannot be located`);
        continue;
      }
      const dir = moduleDirectory(scope.config.dir, sourceText);
      if (calledFrom(scope, dir)) {
        unread(scope, call, `source ${sourceText} is a module that calls itself, which Terraform rejects`);
        continue;
      }
      const files = source.modules?.get(dir);
      if (!files || !Array.isArray(files)) {
        unread(scope, call, files ? files.unreadable : `directory ${dir} was not read`);
        continue;
      }
      const keys = expansion(call.body, scope);
      if (!Array.isArray(keys)) {
        unread(scope, call, `its instances are unknown: ${keys.unknown}`);
        continue;
      }
      let config = configs.get(dir);
      if (!config) configs.set(dir, (config = moduleConfig(dir, files)));
      const instancesOfCall: Scope[] = keys.map((context) => ({
        modules: [...scope.modules, { name: call.name, key: context.key }],
        config: config as ModuleConfig,
        parent: scope,
        call,
        context,
        byResource: new Map(),
        children: new Map(),
      }));
      scope.children.set(call.name, { instances: instancesOfCall, repeated: call.body.count !== undefined || call.body.for_each !== undefined });
      for (const child of instancesOfCall) expandModules(child);
    }
  };

  const declareResources = (scope: Scope): void => {
    const prefix = scope.modules.length ? `${formatModules(scope.modules)}.` : '';
    for (const declaration of scope.config.declarations) {
      const base = `${declaration.type}.${declaration.name}`;
      const expanded = expansion(declaration.body, scope);
      if (!Array.isArray(expanded)) {
        // It may have no instance at all (count = var.enabled ? 1 : 0): counted neither present nor
        // absent. Like an unread module, it makes what counts on absence unknown, and gives the
        // resources it refers to (a bucket, a configuration set) children of unknown presence.
        const id = `${prefix}${base}`;
        const reason = `its ${expanded.unknown}, so it may have no instance`;
        const module: UnreadModule = { id, reason, location: declaration.location, references: [] };
        unreadModules.push(module);
        unreadCalls.push({ scope, call: { name: declaration.name, body: declaration.body, location: declaration.location }, module });
        notes.push({ message: `${expanded.unknown}: how many instances it has is unknown, so it is read as neither present nor absent`, id, location: declaration.location });
        continue;
      }
      for (const { key, each } of expanded) {
        const address = `${prefix}${base}${formatKey(key)}`;
        const instance: ConfigInstance = {
          address,
          type: declaration.type,
          name: declaration.name,
          key,
          each,
          declaration,
          scope,
          values: {},
          created: true,
          region: null,
          providerAccount: ENVIRONMENT_ACCOUNT,
          location: declaration.location,
          referencesAt: (at) => evaluated(instance).references.get(at) ?? [],
          configured: (at) =>
            valueAt(declaration.body as Attributes, at) !== undefined ||
            objects(declaration.body.dynamic).some((block) => at.split('.')[0] in block),
        };
        instances.push(instance);
        byAddress.set(address, instance);
        const list = scope.byResource.get(base) ?? [];
        list.push(instance);
        scope.byResource.set(base, list);
      }
    }
    for (const child of scope.children.values()) for (const instance of child.instances) declareResources(instance);
  };

  expandModules(root);
  declareResources(root);
  unreadReferences();
  for (const instance of instances) {
    instance.values = evaluated(instance).values;
    const region = firstRegion(regionOf(instance));
    instance.region = region.region;
    if (region.unknown) instance.regionUnknown = region.unknown;
    instance.providerAccount = providerAccountOf(instance.scope, providerKeyOf(instance), 0);
  }
  assignAccounts(instances);
  return { instances, notes, unreadModules };
}
