/** A `terraform show -json` plan or state -> the posture document. */
import { InputError } from '../errors';
import type { Posture } from '../posture/types';
import { jsonText, parseJson, readInputBytes } from './read-json';
import { planInstances } from './terraform/plan-instances';
import { normalizeInstances } from './terraform/resources';

const TERRAFORM_JSON_KEYS = ['resource', 'provider', 'terraform', 'variable', 'module', 'data', 'locals', 'output'];

/** Reads a plan or state (`-` reads stdin); throws InputError with one line when it cannot. */
export async function readPlanFile(path: string): Promise<Posture> {
  const bytes = await readInputBytes(path);
  const document = parseJson(jsonText(bytes, path), path);
  const kind = planKind(document, path);
  const set = planInstances(document as Record<string, unknown>, kind);
  return normalizeInstances(set, { kind, path });
}

/** Whether the JSON is a plan or a state of a supported format; one line saying what it is otherwise. */
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
  const version = String(json.format_version);
  if (!/^1\.\d+$/.test(version)) {
    throw new InputError(`${path}: unsupported format_version ${version}; sescheck reads format 1.x of \`terraform show -json\` (Terraform 1.1 or later, or OpenTofu)`);
  }
  if ('planned_values' in json || 'resource_changes' in json) return 'plan';
  if ('values' in json || Object.keys(json).every((key) => key === 'format_version' || key === 'terraform_version')) return 'state';
  throw new InputError(`${path} is neither a Terraform plan nor a state: it has no planned_values, resource_changes or values`);
}
