/**
 * Terraform JSON (cdktf synth output, *.tf.json, or HCL converted by hcl2json) -> resource
 * instances. Evaluates literals, single references, variables with defaults, literal locals,
 * literal count/for_each; everything else stays unknown with the expression as the reason.
 */
import type { Location } from '../../posture/types';
import { type InstanceKey, formatKey, parseTraversal } from './address';
import { parseStringExpression } from './expressions';
import { AFTER_APPLY, type AttributeValue, type Attributes, type InstanceSet, type ResourceInstance, Unknown, own, setOwn, valueAt } from './instance';
import { type RegionAnswer, firstRegion } from './regions';

type Json = Record<string, unknown>;

/** One parsed Terraform JSON document and where its resources are declared. */
export interface ConfigDocument {
  file: string;
  body: Json;
  /** Line of `resource "type" "name"` / the resource's JSON key; undefined when not found. */
  lineOf(type: string, name: string): number | undefined;
}

interface Declaration {
  type: string;
  name: string;
  body: Json;
  location: Location;
}

interface ConfigInstance extends ResourceInstance {
  key?: InstanceKey;
  declaration: Declaration;
  each?: { key: InstanceKey; value: unknown };
  evaluated?: { values: Attributes; references: Map<string, string[]> };
}

const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);
const MAX_DEPTH = 12;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A block written as an object or as a list of objects (both are valid Terraform JSON). */
function objects(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
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

export function configInstances(documents: ConfigDocument[]): InstanceSet {
  const notes: InstanceSet['notes'] = [];
  const variables = new Map<string, unknown>();
  for (const { label, body } of labelled(documents, 'variable')) variables.set(label, body.default);
  const locals = new Map<string, unknown>();
  for (const document of documents) {
    for (const block of objects(document.body.locals)) for (const [name, value] of Object.entries(block)) locals.set(name, value);
  }
  for (const { label, body, document } of labelled(documents, 'module')) {
    notes.push({
      message: `module.${label} (source ${String(body.source)}) is not read: scan a plan (terraform show -json) to include the resources of modules`,
      location: { file: document.file, line: null },
    });
  }

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

  const instances: ConfigInstance[] = [];
  const byResource = new Map<string, ConfigInstance[]>();
  const byAddress = new Map<string, ConfigInstance>();

  /** Evaluates a value in the context of a resource instance (each.*, count.index). */
  const evaluate = (
    value: unknown,
    context: ConfigInstance | undefined,
    depth: number,
    references?: string[],
  ): AttributeValue => {
    if (typeof value === 'string') {
      const expression = parseStringExpression(value);
      if (expression.kind === 'literal') return expression.value;
      if (expression.kind === 'reference') return evaluateReference(expression.reference, context, depth, references);
      if (references) for (const reference of expression.references) references.push(...resourceTargets(reference, context));
      return interpolate(expression.text, context, depth) ?? notEvaluated(expression.text);
    }
    if (Array.isArray(value)) return value.map((item) => evaluate(item, context, depth, references));
    if (isObject(value)) {
      const object: Attributes = {};
      for (const [key, item] of Object.entries(value)) if (key !== '//') setOwn(object, key, evaluate(item, context, depth, references));
      return object;
    }
    return (value ?? null) as AttributeValue;
  };

  /** "text-${single.reference}-text" whose every part is known: the joined string. */
  const interpolate = (text: string, context: ConfigInstance | undefined, depth: number): string | Unknown | undefined => {
    if (text.includes('%{')) return undefined;
    let result = '';
    let last = 0;
    for (const part of text.matchAll(/\$\{([^{}]*)\}/g)) {
      const inner = parseStringExpression(part[0]);
      if (inner.kind !== 'reference') return undefined;
      const value = evaluateReference(inner.reference, context, depth + 1);
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

  const resourceTargets = (reference: string, context: ConfigInstance | undefined): string[] => {
    const steps = parseTraversal(reference);
    if (steps.length < 2 || ['var', 'local', 'each', 'count', 'path', 'terraform', 'self', 'module', 'data'].includes(steps[0].name)) return [];
    const candidates = byResource.get(`${steps[0].name}.${steps[1].name}`) ?? [];
    const key = steps[1].key;
    if (key !== undefined && key !== '*') return candidates.filter((c) => c.key === key).map((c) => c.address);
    if (candidates.length > 1 && context?.key !== undefined) {
      const same = candidates.filter((c) => c.key === context.key);
      if (same.length === 1) return [same[0].address];
    }
    return candidates.map((c) => c.address);
  };

  const evaluateReference = (
    reference: string,
    context: ConfigInstance | undefined,
    depth: number,
    references?: string[],
  ): AttributeValue => {
    const steps = parseTraversal(reference);
    const head = steps[0].name;
    if (depth > MAX_DEPTH) return notEvaluated(`\${${reference}}`);
    switch (head) {
      case 'var': {
        if (!variables.has(steps[1].name) || variables.get(steps[1].name) === undefined) {
          return new Unknown(`variable var.${steps[1].name} has no value`);
        }
        return navigate(evaluate(variables.get(steps[1].name), undefined, depth + 1), afterName(steps));
      }
      case 'local': {
        if (!locals.has(steps[1].name)) return new Unknown(`local.${steps[1].name} is not defined`);
        return navigate(evaluate(locals.get(steps[1].name), context, depth + 1, references), afterName(steps));
      }
      case 'each':
        if (!context?.each) return notEvaluated(`\${${reference}}`);
        return navigate({ key: context.each.key, value: evaluate(context.each.value, undefined, depth + 1) } as Attributes, steps.slice(1));
      case 'count':
        return context?.key !== undefined && typeof context.key === 'number' && steps[1].name === 'index' ? context.key : notEvaluated(`\${${reference}}`);
      case 'data':
        return new Unknown(`read from data.${steps[1]?.name}.${steps[2]?.name} when Terraform plans`);
      case 'module':
        return new Unknown(`output of module.${steps[1].name}, which sescheck does not read from configuration`);
      case 'path':
      case 'terraform':
      case 'self':
        return notEvaluated(`\${${reference}}`);
      default: {
        const targets = resourceTargets(reference, context);
        references?.push(...targets);
        if (targets.length !== 1) {
          return targets.length === 0 ? new Unknown(`${reference} is not in the input`) : new Unknown(AFTER_APPLY);
        }
        // An attribute set literally in the target's configuration is known at plan time too.
        const target = byAddress.get(targets[0]);
        const attribute = steps[2]?.name;
        if (!target || !attribute || !Object.hasOwn(target.declaration.body, attribute) || META_ARGUMENTS.has(attribute)) return new Unknown(AFTER_APPLY);
        return navigate(evaluate(own(target.declaration.body, attribute), target, depth + 1), steps.slice(3));
      }
    }
  };

  /** Evaluates a resource body once, recording the references of every attribute path. */
  const evaluated = (instance: ConfigInstance): NonNullable<ConfigInstance['evaluated']> => {
    if (instance.evaluated) return instance.evaluated;
    const values: Attributes = {};
    const references = new Map<string, string[]>();
    const visit = (raw: unknown, path: string): AttributeValue => {
      if (isObject(raw)) {
        const object: Attributes = {};
        for (const [key, item] of Object.entries(raw)) if (key !== '//') setOwn(object, key, visit(item, path ? `${path}.${key}` : key));
        return object;
      }
      if (Array.isArray(raw) && raw.some((item) => isObject(item))) return raw.map((item, i) => visit(item, `${path}.${i}`));
      const found: string[] = [];
      const value = evaluate(raw, instance, 0, found);
      if (found.length) references.set(path, [...new Set(found)]);
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

  const providers = new Map<string, Json>();
  for (const { label, body } of labelled(documents, 'provider')) {
    providers.set(typeof body.alias === 'string' ? `${label}.${body.alias}` : label, body);
  }

  const regionOf = (instance: ConfigInstance): RegionAnswer => {
    const own = evaluated(instance).values.region;
    if (typeof own === 'string' && own) return { region: own };
    if (own instanceof Unknown) return { region: null, unknown: `region: ${own.reason}` };
    const raw = instance.declaration.body.provider;
    const providerKey = typeof raw === 'string' ? raw.replace(/^\$\{\s*|\s*\}$/g, '') : 'aws';
    const provider = providers.get(providerKey);
    if (!provider) return { region: null, unknown: `no provider "${providerKey}" configuration in the input` };
    if (provider.region === undefined) return { region: null, unknown: `provider ${providerKey} sets no region (taken from the environment)` };
    const region = evaluate(provider.region, undefined, 0);
    if (typeof region === 'string') return { region };
    return { region: null, unknown: `region of provider ${providerKey}: ${region instanceof Unknown ? region.reason : 'not a string'}` };
  };

  for (const declaration of declarations) {
    const base = `${declaration.type}.${declaration.name}`;
    const keys: { key?: InstanceKey; each?: ConfigInstance['each'] }[] = [];
    const count = declaration.body.count === undefined ? undefined : evaluate(declaration.body.count, undefined, 0);
    const forEach = declaration.body.for_each === undefined ? undefined : evaluate(declaration.body.for_each, undefined, 0);
    if (typeof count === 'number') {
      for (let i = 0; i < count; i++) keys.push({ key: i });
    } else if (Array.isArray(forEach) && forEach.every((item) => typeof item === 'string')) {
      for (const item of forEach as string[]) keys.push({ key: item, each: { key: item, value: item } });
    } else if (isObject(forEach) && !(forEach instanceof Unknown)) {
      for (const [key, value] of Object.entries(forEach)) keys.push({ key, each: { key, value } });
    } else {
      if (count !== undefined || forEach !== undefined) {
        notes.push({
          message: `${count !== undefined ? 'count' : 'for_each'} is not evaluated; read as one instance`,
          id: base,
          location: declaration.location,
        });
      }
      keys.push({});
    }
    for (const { key, each } of keys) {
      const address = `${base}${formatKey(key)}`;
      const instance: ConfigInstance = {
        address,
        type: declaration.type,
        name: declaration.name,
        key,
        each,
        declaration,
        values: {},
        created: true,
        region: null,
        location: declaration.location,
        referencesAt: (path) => evaluated(instance).references.get(path) ?? [],
        configured: (path) =>
          valueAt(declaration.body as Attributes, path) !== undefined ||
          objects(declaration.body.dynamic).some((block) => path.split('.')[0] in block),
      };
      instances.push(instance);
      byAddress.set(address, instance);
      const list = byResource.get(base) ?? [];
      list.push(instance);
      byResource.set(base, list);
    }
  }

  for (const instance of instances) {
    instance.values = evaluated(instance).values;
    const region = firstRegion(regionOf(instance));
    instance.region = region.region;
    if (region.unknown) instance.regionUnknown = region.unknown;
  }
  return { instances, notes };
}
