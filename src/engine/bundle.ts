import fs from 'fs';
import path from 'path';
import { fileErrorText, SetupError } from '../errors';
import { PROJECT_ROOT } from '../project-root';

export { PROJECT_ROOT };

export const DEFAULT_WASM = path.join(PROJECT_ROOT, 'build', 'policy.wasm');

interface Manifest {
  digest: string;
  dirs: string[];
}

/**
 * Reads the compiled policy bundle. The default bundle must have been built from the
 * policies/ now on disk; a bundle given explicitly (--bundle) is taken as it is.
 */
export function readPolicyWasm(wasmPath: string = DEFAULT_WASM): Buffer {
  if (!fs.existsSync(wasmPath)) {
    throw new SetupError(`policy bundle ${wasmPath} is missing: run \`npm run setup\` (or \`npm run build:policies\`)`);
  }
  if (path.resolve(wasmPath) === DEFAULT_WASM) assertFresh(path.join(path.dirname(wasmPath), 'manifest.json'));
  try {
    return fs.readFileSync(wasmPath);
  } catch (error) {
    throw new SetupError(`cannot read policy bundle ${wasmPath}: ${fileErrorText(error)}${path.resolve(wasmPath) === DEFAULT_WASM ? ' (rebuild it with `npm run build:policies`)' : ''}`);
  }
}

function assertFresh(manifestPath: string): void {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch {
    throw new SetupError(`policy bundle manifest ${manifestPath} is missing or unreadable: run \`npm run build:policies\``);
  }
  // scripts/policy-digest.js is plain JS shared with the build script, so both hash the same way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { policyDigest } = require(path.join(PROJECT_ROOT, 'scripts', 'policy-digest.js')) as { policyDigest(dirs: string[]): string };
  // Project folders are recorded relative to the project (a clone or an installed package).
  const dirs = manifest.dirs.map((dir) => path.resolve(PROJECT_ROOT, dir)).filter((dir) => fs.existsSync(dir));
  if (dirs.length !== manifest.dirs.length || policyDigest(dirs) !== manifest.digest) {
    throw new SetupError('policy bundle is stale (policies changed since it was built): run `npm run build:policies`');
  }
}
