import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { writeScaledPlan } from '../../bench/scale-plan';
import { PROJECT_ROOT } from '../../src/engine/bundle';

const BIN = path.join(PROJECT_ROOT, 'bin', 'sescheck');

/** The functions V8 marked for its optimizing compiler in a run (`--trace-opt`), and the run's report. */
function traced(args: string[]): { marked: Set<string>; report: unknown } {
  const run = spawnSync(process.execPath, ['--trace-opt', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(run.status, 0, run.stderr);
  const marked = new Set([...run.stdout.matchAll(/^\[marking \S+ <JSFunction (\S+)/gm)].map((match) => match[1]));
  const report = JSON.parse(run.stdout.split('\n').filter((line) => !line.startsWith('[')).join('\n'));
  return { marked, report };
}

describe('a plan run without the optimizing compiler (src/cli/one-pass.ts)', function () {
  this.timeout(120_000);
  let directory: string;
  let plan: string;

  before(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-one-pass-'));
    plan = path.join(directory, 'plan.json');
    writeScaledPlan(plan, { instances: 1000 });
  });

  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('bin/sescheck turns it off once the plan is read: no function of the mapping is optimized, and the report is the same', () => {
    const args = ['plan', plan, '--format', 'json', '--quiet'];
    const cli = traced([BIN, ...args]);
    const embedded = traced(['-e', `require(${JSON.stringify(BIN)}).loadCli().buildCli(process.argv.slice(1)).parseAsync()`, ...args]);
    const mapping = ['nestsDeeper', 'toInstance', 'walk', 'own', 'link', 'isJsonObject'];
    assert.ok(mapping.some((name) => embedded.marked.has(name)), `a program embedding the CLI keeps V8's flags: ${[...embedded.marked].join(', ')}`);
    assert.deepEqual(mapping.filter((name) => cli.marked.has(name)), []);
    assert.deepEqual(cli.report, embedded.report);
  });

  it('tunes only when allowed, and not past the size where optimized code pays', () => {
    const script = `
      const onePass = require('./src/cli/one-pass');
      const before = onePass.tuneForOnePass(1000);
      onePass.allowOnePassTuning();
      const large = onePass.tuneForOnePass(onePass.ONE_PASS_MAX_INPUT_BYTES + 1);
      const small = onePass.tuneForOnePass(onePass.ONE_PASS_MAX_INPUT_BYTES);
      process.stdout.write(JSON.stringify([before, large, small]));`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), [false, false, true]);
  });
});

/** How many wasm functions V8 compiled with TurboFan in a run (`--trace-wasm-compilation-times`), and the run's report (written to a file: V8's threads print the trace to stdout as they go). */
function wasmTraced(args: string[], output: string): { optimized: number; report: unknown } {
  const run = spawnSync(process.execPath, ['--trace-wasm-compilation-times', ...args, '--output', output], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(run.status, 0, run.stderr);
  const optimized = [...run.stdout.matchAll(/^Compiled function \S+ using TurboFan/gm)].length;
  return { optimized, report: JSON.parse(fs.readFileSync(output, 'utf8')) };
}

describe("a small configuration's HCL without the optimizing wasm compiler (src/cli/one-pass.ts)", function () {
  this.timeout(120_000);
  const configuration = path.join(PROJECT_ROOT, 'test', 'fixtures', 'terraform', 'compliant');

  it("bin/sescheck leaves the HCL parser's wasm to the baseline compiler: no function is compiled with TurboFan, and the report is the same", () => {
    const args = ['config', configuration, '--format', 'json', '--quiet'];
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-hcl-'));
    try {
      const cli = wasmTraced([BIN, ...args], path.join(directory, 'cli.json'));
      const embedded = wasmTraced(['-e', `require(${JSON.stringify(BIN)}).loadCli().buildCli(process.argv.slice(1)).parseAsync()`, ...args], path.join(directory, 'embedded.json'));
      assert.ok(embedded.optimized > 0, "a program embedding the CLI keeps V8's flags: the Go runtime's start tiers some functions up");
      assert.equal(cli.optimized, 0);
      assert.deepEqual(cli.report, embedded.report);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('tunes only when allowed, for some HCL, and not past the size where optimized code pays', () => {
    const script = `
      const onePass = require('./src/cli/one-pass');
      const before = onePass.tuneForHcl(1000);
      onePass.allowOnePassTuning();
      const none = onePass.tuneForHcl(0);
      const large = onePass.tuneForHcl(onePass.HCL_BASELINE_MAX_BYTES + 1);
      const small = onePass.tuneForHcl(onePass.HCL_BASELINE_MAX_BYTES);
      process.stdout.write(JSON.stringify([before, none, large, small]));`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), [false, false, false, true]);
  });

  it('is told the bytes of the .tf files the configuration names, before the HCL parser is loaded', () => {
    // A process of its own: in the test process another test may have loaded the parser already.
    const script = `
      const { readConfigPath } = require('./src/inputs/config');
      const heard = [];
      const loaded = () => Object.keys(require.cache).some((file) => file.includes('hcl2json'));
      readConfigPath(process.argv[1], undefined, undefined, (bytes) => heard.push({ bytes, parserLoaded: loaded() })).then(() => {
        process.stdout.write(JSON.stringify({ heard, parserLoadedAfter: loaded() }));
      });`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script, configuration], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const expected = fs.readdirSync(configuration).filter((name) => name.endsWith('.tf')).reduce((sum, name) => sum + fs.statSync(path.join(configuration, name)).size, 0);
    assert.ok(expected > 0);
    assert.deepEqual(JSON.parse(run.stdout), { heard: [{ bytes: expected, parserLoaded: false }], parserLoadedAfter: true });
  });
});

