import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PROJECT_ROOT } from '../../src/engine/bundle';

/**
 * bin/sescheck runs the one-file bundle (dist/sescheck.js, built by scripts/bundle-cli.js) with its
 * V8 code cache when the bundle is current, and the compiled modules (dist/src/) otherwise.
 */
const BIN = path.join(PROJECT_ROOT, 'bin', 'sescheck');

function node(args: string[], cwd = PROJECT_ROOT) {
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the CLI bundle', function () {
  this.timeout(120_000);

  it('is what bin/sescheck runs after a build, and V8 accepts its code cache', () => {
    const probe = node([
      '-e',
      `const loader = require(${JSON.stringify(BIN)}); const current = loader.bundleIsCurrent(); const { cacheRejected } = loader.loadBundle(); console.log(JSON.stringify({ current, cacheRejected }));`,
    ]);
    assert.equal(probe.code, 0, probe.stderr);
    assert.deepEqual(JSON.parse(probe.stdout), { current: true, cacheRejected: false }, 'run `npm run build` (tsc, then scripts/bundle-cli.js)');
  });

  it('reports what the compiled modules report, and reads a plan without loading a module from node_modules', () => {
    const args = ['plan', 'examples/insecure/plan.json', '--format', 'json'];
    const bundled = node([
      '-e',
      "process.on('exit', () => process.stderr.write('\\nloaded ' + JSON.stringify(Object.keys(require.cache).filter((file) => file.includes('node_modules'))) + '\\n'));" +
        `require(${JSON.stringify(BIN)}).loadCli().buildCli(process.argv.slice(1)).parseAsync();`,
      ...args,
    ]);
    const modules = node(['-e', "require('./dist/src/cli/main.js').buildCli(process.argv.slice(1)).parseAsync()", ...args]);
    assert.equal(bundled.code, 1, bundled.stderr);
    assert.equal(modules.code, 1, modules.stderr);
    assert.deepEqual(JSON.parse(bundled.stdout), JSON.parse(modules.stdout));
    assert.equal(bundled.stderr.trim().split('\n').pop(), 'loaded []', 'yargs, js-yaml, the OPA loader and the validators come from the bundle');
  });
});

describe('bin/sescheck: which build it runs', () => {
  let project: string;

  /** A project with bin/sescheck and stand-ins for the bundle and the modules that say which ran. */
  function layout(options: { clone: boolean; bundle?: boolean; modulesNewer?: boolean; cache?: string }): void {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-loader-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      fs.writeFileSync(path.join(project, file), text);
    };
    const standIn = (name: string) => `module.exports = { buildCli: () => ({ parseAsync: async () => { console.log(${JSON.stringify(name)}); } }) };\n`;
    fs.mkdirSync(path.join(project, 'bin'));
    fs.copyFileSync(BIN, path.join(project, 'bin', 'sescheck'));
    write('dist/src/cli/main.js', standIn('modules'));
    if (options.clone) write('src/cli/main.ts', '');
    if (options.bundle !== false) {
      write('dist/sescheck.js', standIn('bundle'));
      write('dist/sescheck.inputs.json', JSON.stringify(['dist/src/cli/main.js']));
      if (options.cache !== undefined) write('dist/sescheck.cache', options.cache);
      // The bundle built an hour after the modules, or tsc run an hour after the bundle.
      const hourAgo = new Date(Date.now() - 3_600_000);
      fs.utimesSync(path.join(project, options.modulesNewer ? 'dist/sescheck.js' : 'dist/src/cli/main.js'), hourAgo, hourAgo);
    }
  }

  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  const cases: { name: string; options: Parameters<typeof layout>[0]; runs: string }[] = [
    { name: 'a clone whose bundle was built after tsc: the bundle', options: { clone: true }, runs: 'bundle' },
    { name: 'a clone where tsc ran after the bundle: the modules (the bundle is stale)', options: { clone: true, modulesNewer: true }, runs: 'modules' },
    { name: 'a clone without a bundle (tsc only): the modules', options: { clone: true, bundle: false }, runs: 'modules' },
    { name: 'an installed package (no sources; npm sets file times at unpacking): the bundle', options: { clone: false, modulesNewer: true }, runs: 'bundle' },
    { name: 'a code cache V8 rejects (another Node, or not a cache): the bundle, compiled as usual', options: { clone: true, cache: 'not a V8 code cache' }, runs: 'bundle' },
  ];
  for (const { name, options, runs } of cases) {
    it(name, () => {
      layout(options);
      const run = node([path.join(project, 'bin', 'sescheck'), 'plan', 'x.json'], project);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim(), runs);
    });
  }

  it('gives V8 a code cache only when its checksum is the one saved with it (a damaged cache can crash Node 20)', () => {
    layout({ clone: true });
    // A genuine cache of the stand-in bundle, saved with its digest as scripts/bundle-cli.js does.
    const made = node([
      '-e',
      `const loader = require(${JSON.stringify(path.join(project, 'bin', 'sescheck'))}); const fs = require('fs');
       const { script } = loader.loadBundle(); const cache = script.createCachedData();
       fs.writeFileSync(loader.CODE_CACHE, cache);
       fs.writeFileSync(loader.CODE_CACHE_DIGEST, loader.codeCacheChecksum(cache) + '\\n');`,
    ]);
    assert.equal(made.code, 0, made.stderr);
    const probe = () => node(['-e', `console.log(require(${JSON.stringify(path.join(project, 'bin', 'sescheck'))}).loadBundle().cacheRejected)`]);
    assert.equal(probe().stdout.trim(), 'false', 'the intact cache is used');
    const cache = fs.readFileSync(path.join(project, 'dist', 'sescheck.cache'));
    cache[Math.floor(cache.length / 2)] ^= 0xff;
    fs.writeFileSync(path.join(project, 'dist', 'sescheck.cache'), cache);
    assert.equal(probe().stdout.trim(), 'true', 'the damaged cache is not given to V8');
    const run = node([path.join(project, 'bin', 'sescheck'), 'plan', 'x.json'], project);
    assert.deepEqual([run.code, run.stdout.trim()], [0, 'bundle']);
  });

  it('runs the compiled modules when the bundle is damaged or its list of inputs is not a list of files', () => {
    layout({ clone: true });
    fs.writeFileSync(path.join(project, 'dist', 'sescheck.inputs.json'), '{"not": "a list"}');
    assert.equal(node([path.join(project, 'bin', 'sescheck'), 'plan', 'x.json'], project).stdout.trim(), 'modules');
    fs.rmSync(project, { recursive: true, force: true });
    layout({ clone: false });
    fs.writeFileSync(path.join(project, 'dist', 'sescheck.js'), 'module.exports = { buildCli: () => ({');
    const run = node([path.join(project, 'bin', 'sescheck'), 'plan', 'x.json'], project);
    assert.deepEqual([run.code, run.stdout.trim()], [0, 'modules'], run.stderr);
  });

  it('says what to run when nothing is built', () => {
    layout({ clone: true, bundle: false });
    fs.rmSync(path.join(project, 'dist'), { recursive: true });
    const run = node([path.join(project, 'bin', 'sescheck'), 'plan', 'x.json'], project);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^sescheck: not built yet: run `npm run setup` in /);
  });
});
