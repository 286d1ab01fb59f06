import { compiledValidator, type CompiledValidator } from '../compiled-schemas';
import schema from './posture.schema.json';

let validatePosture: CompiledValidator | undefined;

/** Problems with a posture document against posture.schema.json; empty when it conforms. */
export function postureProblems(posture: unknown): string[] {
  validatePosture ??= compiledValidator('src/posture/posture.schema.json', schema);
  if (validatePosture(posture)) return [];
  return (validatePosture.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
