import fs from 'fs';
import path from 'path';
import { fileErrorText, SetupError } from '../errors';
import { PROJECT_ROOT } from '../project-root';
import type { RuleInfo } from './findings';

export { PROJECT_ROOT };

export const DEFAULT_WASM = path.join(PROJECT_ROOT, 'build', 'policy.wasm');

interface Manifest {
  digest: string;
  dirs: string[];
  /** Per folder: [relative path, size, modification time in ms] of each source (scripts/policy-digest.js). */
  files?: [string, number, number][][];
  /** When the manifest was written (ISO 8601), after the sources' stats were taken. */
  built_at?: string;
  /** The size of the wasm the manifest was written with. */
  wasm_bytes?: number;
  /** The catalog the wasm returns without settings: each rule's own severity. */
  catalog?: RuleInfo[];
  /** policies/settings/data.yaml as parsed at build time (absent when policies/ is not among dirs). */
  settings_defaults?: unknown;
}

/** The default bundle's manifest once this process found it current. */
let currentManifest: Manifest | undefined;

/**
 * The default settings recorded in build/manifest.json while the policy sources (data.yaml among
 * them) are those it was built from; undefined otherwise, and the caller reads data.yaml itself.
 */
export function recordedSettingsDefaults(): unknown {
  try {
    currentManifest ??= assertFresh(path.join(path.dirname(DEFAULT_WASM), 'manifest.json'));
  } catch {
    return undefined;
  }
  return currentManifest.settings_defaults === undefined ? undefined : structuredClone(currentManifest.settings_defaults);
}

/** A policy wasm and, for the default bundle, its catalog as built with it. */
export interface PolicyBundle {
  wasm: Buffer;
  /** Undefined for a bundle given with --bundle, or a manifest from before catalogs were recorded. */
  catalog?: RuleInfo[];
}

/**
 * Reads the compiled policy bundle. The default bundle must have been built from the
 * policies/ now on disk; a bundle given explicitly (--bundle) is taken as it is.
 */
export function readPolicyWasm(wasmPath: string = DEFAULT_WASM): Buffer {
  return readPolicyBundle(wasmPath).wasm;
}

/** The same, with the catalog the build recorded for the default bundle. */
export function readPolicyBundle(wasmPath: string = DEFAULT_WASM): PolicyBundle {
  if (!fs.existsSync(wasmPath)) {
    throw new SetupError(`policy bundle ${wasmPath} is missing: run \`npm run setup\` (or \`npm run build:policies\`)`);
  }
  const isDefault = path.resolve(wasmPath) === DEFAULT_WASM;
  const manifest = isDefault ? (currentManifest ??= assertFresh(path.join(path.dirname(wasmPath), 'manifest.json'))) : undefined;
  let wasm: Buffer;
  try {
    wasm = fs.readFileSync(wasmPath);
  } catch (error) {
    throw new SetupError(`cannot read policy bundle ${wasmPath}: ${fileErrorText(error)}${isDefault ? ' (rebuild it with `npm run build:policies`)' : ''}`);
  }
  // The recorded catalog is the wasm's only while the wasm is the one the manifest was written with.
  const catalog = manifest && Array.isArray(manifest.catalog) && manifest.wasm_bytes === wasm.byteLength ? manifest.catalog : undefined;
  return { wasm, catalog };
}

/** Throws when the policy sources differ from those the manifest was written from; returns the manifest. */
export function assertFresh(manifestPath: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch {
    throw new SetupError(`policy bundle manifest ${manifestPath} is missing or unreadable: run \`npm run build:policies\``);
  }
  // Project folders are recorded relative to the project (a clone or an installed package).
  const dirs = manifest.dirs.map((dir) => path.resolve(PROJECT_ROOT, dir)).filter((dir) => fs.existsSync(dir));
  if (dirs.length !== manifest.dirs.length) throw staleBundle();
  // scripts/policy-digest.js is plain JS shared with the build script, so both hash the same way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const digest = require(path.join(PROJECT_ROOT, 'scripts', 'policy-digest.js')) as {
    policyDigest(dirs: string[]): string;
    policyFileStats(dirs: string[]): [string, number, number][][];
  };
  // Sources with the sizes and times they were built with are taken as unchanged (as make and
  // tsc do): stat calls only. Any difference (an edit, a checkout, npm's unpacking) reads and hashes them.
  if (statsProveFresh(manifest) && JSON.stringify(digest.policyFileStats(dirs)) === JSON.stringify(manifest.files)) return manifest;
  if (digest.policyDigest(dirs) !== manifest.digest) throw staleBundle();
  return manifest;
}

/**
 * A file's time proves nothing while it is as recent as the build: an edit within the file system's
 * time resolution (a second on some) could keep both size and time. As git does with "racily
 * clean" files, stats are trusted only when every source is older than the build by that margin.
 */
const RACY_MS = 2000;

function statsProveFresh(manifest: Manifest): manifest is Manifest & { files: [string, number, number][][] } {
  const builtAt = Date.parse(manifest.built_at ?? '');
  if (manifest.files === undefined || !Number.isFinite(builtAt)) return false;
  return manifest.files.every((files) => files.every(([, , mtimeMs]) => mtimeMs < builtAt - RACY_MS));
}

function staleBundle(): SetupError {
  return new SetupError('policy bundle is stale (policies changed since it was built): run `npm run build:policies`');
}
