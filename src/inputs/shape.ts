/**
 * The shape of an input document (plan or state, Terraform JSON) against a JSON Schema of the parts
 * sescheck reads: a document of the wrong shape is one line naming the path inside it, never an
 * empty posture. Documents are checked for depth first (read-json.ts), so validation cannot overflow.
 * The schemas are in schemas/; the validators are compiled from them ahead (scripts/build-validators.js).
 */
import type { ErrorObject } from 'ajv';
import { compiledValidator, type CompiledValidator } from '../compiled-schemas';
import { InputError } from '../errors';
import { formatPath } from './read-json';
import planSchema from './schemas/plan.schema.json';
import terraformJsonSchema from './schemas/terraform-json.schema.json';

export type ShapeKind = 'plan' | 'terraform-json';

const SCHEMAS: Record<ShapeKind, [string, object]> = {
  plan: ['src/inputs/schemas/plan.schema.json', planSchema],
  'terraform-json': ['src/inputs/schemas/terraform-json.schema.json', terraformJsonSchema],
};
const validators = new Map<ShapeKind, CompiledValidator>();

function validatorOf(kind: ShapeKind): CompiledValidator {
  let validator = validators.get(kind);
  if (!validator) validators.set(kind, (validator = compiledValidator(...SCHEMAS[kind])));
  return validator;
}

/** The JSON type of a value, in words. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/** The steps of a JSON pointer, array indexes as numbers (looked up in the document). */
function pointerSteps(document: unknown, pointer: string): { steps: (string | number)[]; value: unknown } {
  const steps: (string | number)[] = [];
  let value: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(value) ? Number(key) : key;
    steps.push(step);
    value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return { steps, value };
}

/** One line for the first schema error: the path inside the document, then what is wrong there. */
export function describeShapeError(document: unknown, error: ErrorObject): string {
  const { steps, value } = pointerSteps(document, error.instancePath);
  if (error.keyword === 'required') {
    return `${formatPath([...steps, (error.params as { missingProperty: string }).missingProperty])}: missing`;
  }
  if (error.keyword === 'type') {
    const types = ([] as string[]).concat((error.params as { type: string | string[] }).type);
    return `${formatPath(steps)}: expected ${types.map((type) => EXPECTED[type] ?? type).join(' or ')}, found ${typeName(value)}`;
  }
  return `${formatPath(steps)}: ${error.message ?? 'is not valid'}`;
}

/** Throws InputError naming the first place where the document does not have the shape of `kind`. */
export function assertShape(document: unknown, kind: ShapeKind, path: string, what: string): void {
  const validate = validatorOf(kind);
  if (validate(document)) return;
  const error = validate.errors?.[0];
  throw new InputError(`${path} is not ${what}: ${error ? describeShapeError(document, error) : 'unexpected shape'}`);
}
