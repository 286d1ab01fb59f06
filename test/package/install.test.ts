/**
 * The package a user installs: `npm pack`, installed offline into an empty directory, runs every
 * command with nothing from the clone (no Go, OPA, Python, sources or tests).
 */
import assert from 'assert';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startMoto, type MotoServer } from '../live/moto';
import { apparentSize, installTarball, packTarball, ROOT } from './pack';

const MAX_INSTALLED_BYTES = 60 * 1024 * 1024;

describe('the npm package', function () {
  this.timeout(600_000);
  let tarball: string;
  let project: string;
  let work: string;
  let moto: MotoServer | undefined;

  before(() => {
    const packs = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-pack-'));
    tarball = packTarball(packs);
    project = installTarball(tarball);
    // Inputs are copied out of the clone, so nothing the installed CLI reads is in the repository.
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-'));
    for (const file of ['secure/plan.json', 'insecure/plan.json', 'secure/main.tf']) {
      fs.mkdirSync(path.join(work, path.dirname(file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'examples', file), path.join(work, file));
    }
  });

  after(async () => {
    await moto?.stop();
    for (const dir of [project, work, tarball && path.dirname(tarball)]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The installed CLI, run as a user runs it (no clone around it). */
  function sescheck(args: string[], env: NodeJS.ProcessEnv = {}) {
    return spawnSync(path.join(project, 'node_modules', '.bin', 'sescheck'), args, {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: work, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: path.join(work, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'none'), ...env },
      timeout: 120_000,
    });
  }

  it('carries the compiled CLI, the policy wasm, its Rego sources and the schema validators, the typings of sescheck/cdktf, and no TypeScript sources, tests or fixtures', () => {
    const listing = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const needed of ['package/bin/sescheck', 'package/cdktf.js', 'package/cdktf.d.ts', 'package/dist/src/cdktf/sescheck-checks.d.ts', 'package/dist/src/cli/main.js', 'package/dist/sescheck.js', 'package/dist/sescheck.cache', 'package/dist/sescheck.cache.sum', 'package/build/policy.wasm', 'package/policies/settings/data.yaml', 'package/npm-shrinkwrap.json']) {
      assert.ok(listing.includes(needed), `${needed} is in the package`);
    }
    assert.ok(listing.some((file) => file.startsWith('package/build/validators/')), 'compiled schema validators');
    const stray = listing.filter((file) => /^package\/(test|src|stacks|bench|examples)\/|^package\/scripts\/(?!policy-digest\.js$)|(?<!\.d)\.ts$|_test\.rego$|\.map$/.test(file));
    assert.deepStrictEqual(stray, []);
  });

  it(`installs without cdktf or the provider bindings, under ${MAX_INSTALLED_BYTES / 1024 / 1024} MB`, () => {
    const modules = path.join(project, 'node_modules');
    for (const absent of ['cdktf', '@cdktf/provider-aws', 'constructs', 'typescript', 'mocha']) {
      assert.ok(!fs.existsSync(path.join(modules, absent)), `${absent} is not installed`);
    }
    const size = apparentSize(modules);
    assert.ok(size < MAX_INSTALLED_BYTES, `installed size ${(size / 1024 / 1024).toFixed(1)} MB`);
  });

  it('rules: prints the catalog from the packaged bundle', () => {
    const run = sescheck(['rules', '--format', 'json']);
    assert.strictEqual(run.status, 0, run.stderr);
    const rules = JSON.parse(run.stdout) as { id: string }[];
    assert.ok(rules.some((rule) => rule.id === 'CT-001'));
  });

  it('plan: passes the secure example and fails the insecure one, from the bundle with its code cache, loading no AWS SDK', () => {
    const secure = sescheck(['plan', 'secure/plan.json', '--quiet']);
    assert.strictEqual(secure.status, 0, secure.stderr);
    const insecure = sescheck(['plan', 'insecure/plan.json', '--format', 'json']);
    assert.strictEqual(insecure.status, 1, insecure.stderr);
    assert.ok((JSON.parse(insecure.stdout) as { findings: { status: string }[] }).findings.some((f) => f.status === 'fail'));
    // Through the installed bin's loader, as the command runs: the bundle, whose code cache (made by prepack with this Node) V8 accepts.
    const bin = path.join(project, 'node_modules', 'sescheck', 'bin', 'sescheck');
    const probe = spawnSync(
      process.execPath,
      [
        '-e',
        `const loader = require(${JSON.stringify(bin)}); const { cacheRejected } = loader.loadBundle(); ` +
          `loader.loadCli().buildCli(['plan', 'secure/plan.json', '--quiet']).parseAsync().then(() => { const loaded = Object.keys(require.cache).filter((f) => /@aws-sdk|cdktf|hcl2json|yargs/.test(f)); console.log(JSON.stringify({ current: loader.bundleIsCurrent(), cacheRejected, loaded })); })`,
      ],
      { cwd: work, encoding: 'utf8' },
    );
    assert.strictEqual(probe.status, 0, probe.stderr);
    assert.deepStrictEqual(JSON.parse(probe.stdout.trim().split('\n').pop() as string), { current: true, cacheRejected: false, loaded: [] }, 'plan runs the bundle (yargs inside it) and loads no AWS SDK, cdktf or HCL parser');
  });

  it('config: reads HCL with the packaged parser', () => {
    const run = sescheck(['config', 'secure/main.tf', '--quiet']);
    assert.strictEqual(run.status, 0, run.stderr);
  });

  it('live: scans an account (moto on 127.0.0.1)', async () => {
    moto = await startMoto();
    const run = sescheck(['live', '--region', 'eu-west-1', '--endpoint-url', moto.endpoint, '--format', 'json', '--quiet', '--fail-on', 'none'], {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    assert.strictEqual(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: { rule_id: string }[] };
    assert.ok(report.findings.some((finding) => finding.rule_id === 'CT-001'), 'an empty account has no SES data-event trail');
  });
});

describe('custom rules with the installed package', function () {
  this.timeout(600_000);

  it("builds the README's custom rule beside the packaged policies and runs it with --bundle", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const rule = /1\. Write `my-rules\/org\/org_001\.rego`:\n\n {3}```rego\n([\s\S]*?)\n {3}```/.exec(readme);
    const recipe = /```sh\n( {3}policies=[\s\S]*?)\n {3}```/.exec(readme);
    assert.ok(rule && recipe, 'README shows the rule and the build recipe');
    const packs = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-pack-'));
    const project = installTarball(packTarball(packs));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-custom-'));
    try {
      fs.mkdirSync(path.join(work, 'my-rules', 'org'), { recursive: true });
      fs.writeFileSync(path.join(work, 'my-rules', 'org', 'org_001.rego'), `${rule[1].replace(/^ {3}/gm, '')}\n`);
      fs.copyFileSync(path.join(ROOT, 'examples', 'insecure', 'plan.json'), path.join(work, 'plan.json'));
      // The README's commands, with the project's pinned opa and the local install standing in for `npm root -g`.
      const script = recipe[1]
        .replace(/^ {3}/gm, '')
        .replace('"$(npm root -g)/sescheck/policies"', JSON.stringify(path.join(project, 'node_modules', 'sescheck', 'policies')))
        .replace(/^opa /m, `${JSON.stringify(path.join(ROOT, '.tools', 'bin', 'opa'))} `)
        .replace(/^sescheck /m, `${JSON.stringify(path.join(project, 'node_modules', '.bin', 'sescheck'))} `)
        .replace('plan plan.json', 'plan plan.json --format json --quiet --rule ORG-001');
      const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, encoding: 'utf8', timeout: 300_000 });
      assert.strictEqual(run.status, 1, `${run.stderr}\n${script}`);
      const findings = (JSON.parse(run.stdout) as { findings: { rule_id: string; status: string }[] }).findings;
      assert.ok(findings.length > 0 && findings.every((f) => f.rule_id === 'ORG-001' && f.status === 'fail'), run.stdout);
    } finally {
      for (const dir of [packs, project, work]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
