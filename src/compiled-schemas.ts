/**
 * JSON Schema validators compiled ahead of time (scripts/build-validators.js, run by setup):
 * loading generated code costs a few milliseconds where compiling a schema at run time costs
 * hundreds.
 */
import fs from 'fs';
import path from 'path';
import type { ErrorObject } from 'ajv';
import { SetupError } from './errors';
import { PROJECT_ROOT } from './project-root';

export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const DIRECTORY = path.join(PROJECT_ROOT, 'build', 'validators');

/**
 * Marks a validator that scripts/bundle-cli.js found built from the very schema bundled beside it:
 * within the bundle neither can change, so a run need not hash the schema (nor load crypto) again.
 */
export const CHECKED_AT_BUNDLE = Symbol.for('sescheck.validatorCheckedAtBundle');

/**
 * The validator of a schema under src/ (`relativePath` like `src/posture/posture.schema.json`),
 * checked to be built from that same schema.
 */
export function compiledValidator(relativePath: string, schema: object): CompiledValidator {
  const file = path.join(DIRECTORY, `${relativePath.replace(/^src\//, '').replace(/\.json$/, '').split('/').join('__')}.js`);
  if (!fs.existsSync(file)) throw new SetupError(`schema validator ${file} is missing: run \`npm run setup\` (or \`npm run build:validators\`)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validator = require(file) as CompiledValidator & { schemaDigest?: string; [CHECKED_AT_BUNDLE]?: boolean };
  if (validator[CHECKED_AT_BUNDLE] === true) return validator;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const digest = (require('crypto') as typeof import('crypto')).createHash('sha256').update(JSON.stringify(schema)).digest('hex');
  if (validator.schemaDigest !== digest) {
    throw new SetupError(`schema validator ${file} is stale (${relativePath} changed since it was built): run \`npm run build:validators\``);
  }
  return validator;
}
