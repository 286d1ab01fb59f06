/** A cdktf stack's Terraform JSON, in memory during `cdktf synth` -> the posture document. */
import type { Posture } from '../posture/types';
import { configInstances } from './terraform/config-instances';
import { normalizeInstances } from './terraform/resources';

/** `stack.toTerraform()` of a stack named `stackName` (no file yet: locations stay empty). */
export function synthesizedStackPosture(terraformJson: Record<string, unknown>, stackName: string): Posture {
  const file = `cdktf.out/stacks/${stackName}/cdk.tf.json`;
  // A synthesized stack's module calls (TerraformHclModule) point at sources it does not carry: read as unread modules.
  const set = configInstances({ dir: null, documents: [{ file, body: terraformJson, lineOf: () => undefined }] });
  return normalizeInstances(set, { kind: 'config', path: file, stack: stackName });
}
