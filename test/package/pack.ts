/**
 * Packs sescheck with `npm pack` and installs the tarball into an empty directory without the
 * network: the tarball's dependencies come from npm's cache, pinned by a lock file made from the
 * repository's package-lock.json (its runtime entries, exactly what npm-shrinkwrap.json pins for
 * a registry install).
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

interface LockEntry {
  version?: string;
  dev?: boolean;
  peer?: boolean;
  optional?: boolean;
  link?: boolean;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout: 300_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** `npm pack` of the built repository (prepack checks the build; it does not rebuild here). */
export function packTarball(destination: string): string {
  const out = run('npm', ['pack', '--json', '--pack-destination', destination], ROOT, { ...process.env, SESCHECK_PREPACK_SKIP_BUILD: '1' });
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return path.join(destination, filename);
}

/** An empty project with only the tarball as dependency, installed offline; returns its directory. */
export function installTarball(tarball: string): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-install-'));
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'sescheck-install-test', dependencies: { sescheck: spec } },
    'node_modules/sescheck': {
      version: manifest.version,
      resolved: spec,
      license: manifest.license,
      dependencies: manifest.dependencies,
      peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.dev || entry.link || (entry.peer && entry.optional)) continue;
    packages[key] = entry;
  }
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'sescheck-install-test', private: true, dependencies: { sescheck: spec } }, null, 2));
  fs.writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'sescheck-install-test', lockfileVersion: 3, requires: true, packages }, null, 2));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
  return project;
}

/** Bytes of the files under a directory (their apparent size, as a package registry counts it). */
export function apparentSize(dir: string): number {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile()) total += fs.statSync(full).size;
    }
  }
  return total;
}
