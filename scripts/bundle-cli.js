#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/main.js after tsc) with the modules it loads on every run
// and the schema validators into one file, dist/sescheck.js, then runs that bundle on the examples
// to save V8's compiled code for it (dist/sescheck.cache). bin/sescheck runs the bundle: Node reads
// and compiles one file, mostly from the cache, instead of resolving and compiling ~140 modules.
// What a run rarely needs stays outside, loaded from node_modules when used: the AWS SDK
// (live), the HCL parser (a Go wasm, config on .tf), cdktf, the JUnit builder, the table renderer.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const validators = path.join(root, 'build', 'validators');
const OUTSIDE = ['@aws-sdk/*', '@smithy/*', '@cdktf/hcl2json', 'cdktf', 'constructs', 'junit-report-builder', 'cli-table3', 'cli-progress'];
/** What the code cache is made from: the runs it compiles are the ones it speeds up. */
const CACHE_RUNS = [
  ['plan', 'examples/secure/plan.json'],
  ['plan', 'examples/insecure/plan.json'],
  ['config', 'examples/secure/main.tf'],
];

/**
 * The bundle's entry: the CLI, with each validator put in require's cache under its own file
 * name, where src/compiled-schemas.ts requires it (and checks it against its schema, unless this
 * script found it built from the schema bundled with it: `checked`), and scripts/policy-digest.js,
 * which src/engine/bundle.ts requires from the project's scripts/ to judge the policy build current.
 */
function entrySource(validatorFiles, checked) {
  const preloads = validatorFiles.map(
    (file) => `preload(${JSON.stringify(path.posix.join('build', 'validators', file))}, require(${JSON.stringify(path.join(validators, file))}), ${checked.has(file)});`,
  );
  return [
    "const Module = require('module');",
    "const path = require('path');",
    "const { PROJECT_ROOT } = require('./src/project-root');",
    'function preload(name, exports, checked) {',
    '  const filename = require.resolve(path.join(PROJECT_ROOT, name));',
    '  if (require.cache[filename]) return;',
    "  if (checked) Object.defineProperty(exports, Symbol.for('sescheck.validatorCheckedAtBundle'), { value: true });",
    '  const module = new Module(filename, null);',
    '  Object.assign(module, { filename, loaded: true, exports });',
    '  require.cache[filename] = module;',
    '}',
    ...preloads,
    `preload('scripts/policy-digest.js', require(${JSON.stringify(path.join(__dirname, 'policy-digest.js'))}), false);`,
    "module.exports = require('./src/cli/main');",
    '',
  ].join('\n');
}

/**
 * The validators built from the schema that the bundle holds (dist/src/.../NAME.schema.json, as
 * tsc copied it): src/compiled-schemas.ts's own check, made once here instead of in every run.
 */
function validatorsCheckedAgainstSchemas(validatorFiles) {
  const crypto = require('crypto');
  return new Set(
    validatorFiles.filter((file) => {
      const schemaFile = path.join(dist, 'src', `${file.replace(/\.js$/, '').split('__').join(path.sep)}.json`);
      if (!fs.existsSync(schemaFile)) return false;
      const digest = crypto.createHash('sha256').update(JSON.stringify(JSON.parse(fs.readFileSync(schemaFile, 'utf8')))).digest('hex');
      return require(path.join(validators, file)).schemaDigest === digest;
    }),
  );
}

/**
 * yargs requires Node's assert for two internal sanity checks (notStrictEqual, strictEqual):
 * loading assert costs every run about a millisecond, so the bundle gives yargs these two instead.
 */
const YARGS_ASSERT = `'use strict';
function fail(message, fallback) { throw new Error(message === undefined ? fallback : String(message)); }
module.exports = {
  strictEqual(actual, expected, message) { if (!Object.is(actual, expected)) fail(message, 'Expected values to be strictly equal'); },
  notStrictEqual(actual, expected, message) { if (Object.is(actual, expected)) fail(message, 'Expected "actual" to be strictly unequal to "expected"'); },
};
`;
const yargsAssert = {
  name: 'yargs-assert',
  setup(build) {
    build.onResolve({ filter: /^assert$/ }, (args) => (/[\\/]yargs[\\/]/.test(args.importer) ? { path: 'yargs-assert', namespace: 'sescheck-shim' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'sescheck-shim' }, () => ({ contents: YARGS_ASSERT, loader: 'js' }));
  },
};

async function bundle() {
  const esbuild = require('esbuild');
  for (const built of ['sescheck.js', 'sescheck.cache', 'sescheck.cache.sum', 'sescheck.inputs.json']) fs.rmSync(path.join(dist, built), { force: true });
  if (!fs.existsSync(path.join(dist, 'src', 'cli', 'main.js'))) throw new Error('dist/src/cli/main.js is missing: run `npx tsc -p tsconfig.build.json` first');
  const validatorFiles = fs.readdirSync(validators).filter((file) => file.endsWith('.js')).sort();
  const result = await esbuild.build({
    stdin: { contents: entrySource(validatorFiles, validatorsCheckedAgainstSchemas(validatorFiles)), resolveDir: dist, sourcefile: 'sescheck-entry.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: OUTSIDE,
    outfile: path.join(dist, 'sescheck.js'),
    metafile: true,
    plugins: [yargsAssert],
    logLevel: 'error',
  });
  // What bin/sescheck compares the bundle's time with, in a clone: the project's own files.
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => path.relative(root, path.resolve(root, input)).split(path.sep).join('/'))
    .filter((input) => !input.startsWith('..') && !input.includes('node_modules/') && fs.existsSync(path.join(root, input)))
    .sort();
  fs.writeFileSync(path.join(dist, 'sescheck.inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
  process.stderr.write(`bundled dist/sescheck.js (${(fs.statSync(path.join(dist, 'sescheck.js')).size / 1024).toFixed(0)} KiB, ${Object.keys(result.metafile.inputs).length} modules)\n`);
}

/** In a child process without the caller's NODE_OPTIONS: V8 rejects a cache made under other flags. */
function buildCodeCache() {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  // The runs' reports go nowhere; their stderr is shown only when something failed.
  const child = spawnSync(process.execPath, [path.join(__dirname, 'bundle-cli.js'), '--code-cache'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`building the code cache failed (exit ${child.status}):\n${child.stderr}`);
  process.stderr.write(child.stderr.split('\n').filter((line) => line.startsWith('wrote ')).join('\n') + '\n');
}

/** Runs the bundle on the examples (output discarded), then saves the code V8 compiled for it. */
async function writeCodeCache() {
  const { loadBundle, codeCacheChecksum, CODE_CACHE, CODE_CACHE_DIGEST } = require('../bin/sescheck');
  const { exports, script } = loadBundle();
  for (const args of CACHE_RUNS) await exports.buildCli([...args, '--fail-on', 'none']).parseAsync();
  if (process.exitCode) throw new Error(`a run of the bundle on the examples ended with exit code ${process.exitCode}`);
  const cache = script.createCachedData();
  fs.writeFileSync(CODE_CACHE, cache);
  fs.writeFileSync(CODE_CACHE_DIGEST, `${codeCacheChecksum(cache)}\n`);
  process.stderr.write(`wrote dist/sescheck.cache (${(fs.statSync(CODE_CACHE).size / 1024).toFixed(0)} KiB)\n`);
}

const run = process.argv[2] === '--code-cache' ? writeCodeCache() : bundle().then(buildCodeCache);
run.catch((error) => {
  process.stderr.write(`bundle-cli: ${error.message}\n`);
  process.exitCode = 1;
});
