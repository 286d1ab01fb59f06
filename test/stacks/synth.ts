/** Helpers for the stack tests: synthesize in-process and read the Terraform JSON. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature */
export type TerraformJson = { resource?: Record<string, Record<string, any>>; data?: Record<string, Record<string, any>>; provider?: any };

/**
 * Synthesizes what `build` adds to a fresh stack (aspects included) and parses the JSON; like
 * Testing.synthScope, but the app's output directory is removed afterwards.
 */
export function synthScope(build: (scope: Construct) => void): TerraformJson {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-stacks-test-'));
  try {
    const stack = new TerraformStack(Testing.app({ outdir }), 'stack');
    build(stack);
    return JSON.parse(Testing.synth(stack)) as TerraformJson;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The resources of one type, by logical name. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type (fails the test if there is not exactly one). */
export function onlyResource(json: TerraformJson, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The Terraform reference `${type.name.attribute}` to the only resource of a type. */
export function referenceTo(json: TerraformJson, type: string, attribute: string): string {
  const names = Object.keys(resourcesOf(json, type));
  if (names.length !== 1) throw new Error(`expected exactly one ${type}, found ${names.length}`);
  return `\${${type}.${names[0]}.${attribute}}`;
}

/** An IAM policy document embedded as a JSON string. */
export function policyOf(resource: { policy?: string; assume_role_policy?: string }, key: 'policy' | 'assume_role_policy' = 'policy'): any {
  const text = resource[key];
  if (typeof text !== 'string') throw new Error(`resource has no ${key}`);
  return JSON.parse(text);
}
/* eslint-enable @typescript-eslint/no-explicit-any */
