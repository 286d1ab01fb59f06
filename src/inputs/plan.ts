/** A `terraform show -json` plan or state -> the posture document. */
import { InputError } from '../errors';
import type { Posture } from '../posture/types';
import { checkJsonStart, parseJsonBytes, type JsonReadOptions } from './read-json';
import { type InputLimits, inputLimits, readInputBytes } from './read-input';
import { assertShape } from './shape';
import { planInstances } from './terraform/plan-instances';
import { normalizeInstances } from './terraform/resources';

const TERRAFORM_JSON_KEYS = ['resource', 'provider', 'terraform', 'variable', 'module', 'data', 'locals', 'output'];
/** Parts of a plan sescheck does not read: dropped when a large plan is parsed in parts. */
export const UNREAD = new Set(['prior_state', 'resource_drift', 'relevant_attributes', 'output_changes', 'checks']);

/**
 * What the plan reader walks, at the same paths: a change's before and after values and the unread
 * members are never walked, so their nesting needs no check (it costs a walk over most of a plan).
 */
function walkedParts(document: unknown): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const walked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (UNREAD.has(key)) continue;
    walked[key] = key === 'resource_changes' && Array.isArray(value) ? value.map(walkedChange) : value;
  }
  return walked;
}

export function walkedChange(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
  const change = (entry as Record<string, unknown>).change;
  if (typeof change !== 'object' || change === null || Array.isArray(change)) return entry;
  const { after_unknown: afterUnknown, actions } = change as Record<string, unknown>;
  return { ...entry, change: { actions, after_unknown: afterUnknown } };
}

/** Reads a plan or state (`-` reads stdin); throws InputError with one line when it cannot. */
export async function readPlanFile(path: string, limits: InputLimits = inputLimits(), json: JsonReadOptions = {}): Promise<Posture> {
  return planPosture(await readPlanBytes(path, limits), path, json);
}

/** The bytes of a plan or state (`-` reads stdin), refused early when they do not start as JSON. */
export function readPlanBytes(path: string, limits: InputLimits = inputLimits()): Promise<Buffer> {
  return readInputBytes(path, limits, checkJsonStart(path));
}

/** The posture document of a plan or state read into `bytes`; throws InputError with one line when it cannot. */
export function planPosture(bytes: Buffer, path: string, json: JsonReadOptions = {}): Posture {
  const document = parsePlanBytes(bytes, path, json);
  const kind = planKind(document, path);
  const set = planInstances(document as Record<string, unknown>, kind);
  return normalizeInstances(set, { kind, path });
}

/** The plan document in `bytes`: a plan parsed in parts keeps of each change only what is walked (its before and after values are not read). */
export function parsePlanBytes(bytes: Buffer, path: string, json: JsonReadOptions = {}): unknown {
  return parseJsonBytes(bytes, path, { dropTopLevel: UNREAD, walked: walkedParts, trimElements: { resource_changes: walkedChange }, ...json });
}

/** Whether the JSON is a plan or a state of a supported format and shape; one line saying what it is otherwise. */
export function planKind(document: unknown, path: string): 'plan' | 'state' {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InputError(`${path} is not a Terraform plan or state: expected a JSON object from \`terraform show -json\``);
  }
  const json = document as Record<string, unknown>;
  if (json.format_version === undefined) {
    if (typeof json.version === 'number' && Array.isArray(json.resources)) {
      throw new InputError(`${path} is a raw Terraform state file; run \`terraform show -json > state.json\` and pass state.json`);
    }
    if (TERRAFORM_JSON_KEYS.some((key) => key in json)) {
      throw new InputError(`${path} is Terraform configuration (Terraform JSON), not a plan or state; scan it with \`sescheck config ${path}\``);
    }
    throw new InputError(`${path} is neither a Terraform plan nor a state: it has no format_version (expected the output of \`terraform show -json\`)`);
  }
  if (typeof json.format_version === 'string' && !/^1\.\d+$/.test(json.format_version)) {
    throw new InputError(`${path}: unsupported format_version ${json.format_version}; sescheck reads format 1.x of \`terraform show -json\` (Terraform 1.1 or later, or OpenTofu)`);
  }
  const kind = 'planned_values' in json || 'resource_changes' in json ? 'plan' : 'values' in json || Object.keys(json).every((key) => key === 'format_version' || key === 'terraform_version') ? 'state' : undefined;
  if (!kind) throw new InputError(`${path} is neither a Terraform plan nor a state: it has no planned_values, resource_changes or values`);
  const what = kind === 'plan' ? 'a Terraform plan' : 'a Terraform state';
  // Terraform always writes planned_values (with root_module) in a plan: without it the plan would read as empty.
  if (kind === 'plan' && !('planned_values' in json)) throw new InputError(`${path} is not ${what}: planned_values: missing`);
  assertShape(json, 'plan', path, what);
  return kind;
}
