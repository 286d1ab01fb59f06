import Ajv from 'ajv';
import schema from './posture.schema.json';
import type { Posture } from './types';

const ajv = new Ajv({ allErrors: true, strict: false });
const validatePosture = ajv.compile(schema);

/** Problems with a posture document against posture.schema.json; empty when it conforms. */
export function postureProblems(posture: unknown): string[] {
  if (validatePosture(posture)) return [];
  return (validatePosture.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

export function isPosture(posture: unknown): posture is Posture {
  return postureProblems(posture).length === 0;
}
