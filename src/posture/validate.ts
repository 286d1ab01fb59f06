import { compiledValidator, type CompiledValidator } from '../compiled-schemas';
import schema from './posture.schema.json';

let validatePosture: CompiledValidator | undefined;

/** Problems with a posture document against posture.schema.json; empty when it conforms. */
export function postureProblems(posture: unknown): string[] {
  validatePosture ??= compiledValidator('src/posture/posture.schema.json', schema);
  if (validatePosture(posture)) return [];
  return (validatePosture.errors ?? [])
    .filter((e) => e.keyword !== 'propertyNames') // its enum error below names the key
    .map((e) => `${e.instancePath || '/'} ${e.propertyName !== undefined ? `has key ${JSON.stringify(e.propertyName)}, not one of the declared keys` : (e.message ?? 'is invalid')}`);
}
