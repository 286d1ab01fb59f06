import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Log } from 'sarif';
import { PROJECT_ROOT } from '../../src/engine/bundle';
import { snapshotBundle } from '../report/helpers';

/**
 * The GitHub Action (action.yml) without GitHub: its scripts run here as the runner would run
 * them, with the inputs as INPUT_* variables (as action.yml passes them), a temporary job summary,
 * step output file and runner temp, against the repository's built CLI (`npm run setup` first).
 */
const RUN = path.join(PROJECT_ROOT, 'action', 'run.js');
const SETUP = path.join(PROJECT_ROOT, 'action', 'setup.sh');
const SECURE_PLAN = 'examples/secure/plan.json';
const INSECURE_PLAN = 'examples/insecure/plan.json';

interface ActionYaml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; uses?: string; if?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }[] };
}

const action = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as ActionYaml;

let dir: string;

/** Runs a step script as the runner would: a clean environment but for PATH, HOME and what the step sets. */
function runStep(command: string[], env: Record<string, string>) {
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'), RUNNER_TEMP: path.join(dir, 'runner-temp') };
  fs.mkdirSync(files.RUNNER_TEMP, { recursive: true });
  const run = spawnSync(command[0], command.slice(1), {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...files, ...env },
  });
  return {
    code: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    outputs: readOutputs(files.GITHUB_OUTPUT),
    summary: fs.existsSync(files.GITHUB_STEP_SUMMARY) ? fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') : undefined,
  };
}

/** The action's main step, with its inputs (`fail-on` → INPUT_FAIL_ON) and the policy snapshot every test run uses. */
function runAction(inputs: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/-/g, '_').toUpperCase()}`] = value;
  const args = ['--bundle', snapshotBundle(), inputs.args ?? ''].join(' ');
  return runStep([process.execPath, RUN], { ...env, INPUT_ARGS: args, INPUT_SARIF_FILE: inputs['sarif-file'] ?? path.join(dir, 'sescheck.sarif') });
}

/** GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  if (!fs.existsSync(file)) return outputs;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[index]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], index + 1);
      assert.ok(end > index, `output ${heredoc[1]} ends with its delimiter`);
      outputs[heredoc[1]] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (lines[index].includes('=')) {
      const at = lines[index].indexOf('=');
      outputs[lines[index].slice(0, at)] = lines[index].slice(at + 1);
    }
  }
  return outputs;
}

function sarif(file: string): Log {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Log;
}

describe('GitHub Action', function () {
  // Each case runs the CLI in several processes; the HCL parser alone takes seconds on a busy machine.
  this.timeout(180000);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-action-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('run step (action/run.js)', () => {
    it('passes a clean plan: exit 0, SARIF without results, a summary with no failing findings', () => {
      const { code, outputs, summary, stdout } = runAction({ plan: SECURE_PLAN });
      assert.equal(code, 0);
      assert.equal(outputs['exit-code'], '0');
      assert.equal(outputs.fail, '0');
      assert.equal(outputs.unknown, '0');
      assert.ok(Number(outputs.passed) > 0);
      assert.deepEqual(sarif(outputs['sarif-file']).runs[0].results, []);
      assert.equal(outputs.category, `sescheck/${SECURE_PLAN}`);
      assert.match(summary ?? '', /^### sescheck: no failing findings\n/);
      assert.match(summary ?? '', /^plan <code>examples\/secure\/plan\.json<\/code> · sescheck \d+\.\d+\.\d+/m);
      assert.match(summary ?? '', /^No findings\.$/m);
      assert.doesNotMatch(stdout, /::error/);
    });

    it('fails on a failing plan: exit 1, every finding in SARIF, the findings by rule in the summary, an error annotation', () => {
      const { code, outputs, summary, stdout } = runAction({ plan: INSECURE_PLAN });
      assert.equal(code, 1);
      assert.equal(outputs['exit-code'], '1');
      const results = sarif(outputs['sarif-file']).runs[0].results ?? [];
      assert.equal(Number(outputs.fail), results.length);
      assert.ok(results.length > 5);
      assert.match(summary ?? '', new RegExp(`^### sescheck: ${outputs.fail} failing findings\\n`));
      for (const rule of new Set(results.map((result) => result.ruleId))) assert.match(summary ?? '', new RegExp(`^\\*\\*${rule}\\*\\* `, 'm'));
      assert.match(summary ?? '', /<details><summary>How to fix CT-001<\/summary>/);
      // The Markdown file (for a pull-request comment) is what the summary got.
      assert.equal(fs.readFileSync(outputs['markdown-file'], 'utf8'), summary);
      assert.match(stdout, /^::error title=sescheck::sescheck found findings at or above fail-on low in examples\/insecure\/plan\.json: /m);
    });

    it('follows fail-on, fail-on-unknown and extra args, and checks configuration with the config input', () => {
      assert.equal(runAction({ plan: INSECURE_PLAN, 'fail-on': 'none' }).code, 0);
      const onlyTls = runAction({ plan: INSECURE_PLAN, args: '--rule CS-004', 'fail-on': 'medium', 'fail-on-unknown': 'true' });
      assert.equal(onlyTls.code, 1);
      assert.equal(onlyTls.outputs.fail, '1');
      assert.equal(runAction({ plan: INSECURE_PLAN, args: '--rule CS-004', 'fail-on': 'high' }).code, 0);
      const config = runAction({ config: 'examples/insecure' });
      assert.equal(config.code, 1);
      assert.match(config.summary ?? '', /^config <code>examples\/insecure<\/code>/m);
      assert.match(config.summary ?? '', /<code>examples\/insecure\/main\.tf:\d+<\/code>/, 'configuration findings name file and line');
    });

    it('uses the settings file and its waivers', () => {
      const settings = path.join(dir, 'settings.yaml');
      fs.writeFileSync(settings, 'waivers:\n  - rule: CS-004\n    resource: aws_sesv2_configuration_set.main\n    reason: partner relay cannot do TLS until MAIL-142\n    expires: "2099-12-31"\n');
      const { code, outputs, summary } = runAction({ plan: INSECURE_PLAN, settings, args: '--rule CS-004' });
      assert.equal(code, 0);
      assert.equal(outputs.waived, '1');
      assert.match(summary ?? '', /^#### Waived \(1\)$/m);
    });

    it('keeps what the job summary already holds, and writes none when summary is false', () => {
      const summaryFile = path.join(dir, 'summary.md');
      fs.writeFileSync(summaryFile, '# Terraform plan\n');
      const { summary } = runAction({ plan: SECURE_PLAN });
      assert.match(summary ?? '', /^# Terraform plan\n\n### sescheck: no failing findings/);
      fs.rmSync(summaryFile);
      const quiet = runAction({ plan: SECURE_PLAN, summary: 'false' });
      assert.equal(quiet.code, 0);
      assert.equal(quiet.summary, undefined);
      assert.ok(fs.existsSync(quiet.outputs['markdown-file']), 'the Markdown report is still written');
    });

    it('exits 2 on bad input, with the reason in the summary and no SARIF to upload', () => {
      const missing = runAction({ plan: 'no-such-plan.json' });
      assert.equal(missing.code, 2);
      assert.equal(missing.outputs['exit-code'], '2');
      assert.equal(missing.outputs['sarif-file'], undefined, 'the upload step is skipped');
      assert.match(missing.summary ?? '', /^### sescheck could not check no-such-plan\.json\n\n<pre>sescheck: no-such-plan\.json: /);
      assert.match(missing.stdout, /^::error title=sescheck::sescheck could not check no-such-plan\.json: /m);

      const notAPlan = runAction({ plan: 'package.json' });
      assert.equal(notAPlan.code, 2);
      assert.match(notAPlan.summary ?? '', /<pre>sescheck: package\.json/);

      for (const inputs of [{}, { plan: SECURE_PLAN, config: 'examples/secure' }] as Record<string, string>[]) {
        const run = runAction(inputs);
        assert.equal(run.code, 2);
        assert.match(run.summary ?? '', /set exactly one of the inputs plan .* and config/);
      }
      const badBoolean = runAction({ plan: SECURE_PLAN, 'fail-on-unknown': 'yes' });
      assert.equal(badBoolean.code, 2);
      assert.match(badBoolean.stderr, /input fail-on-unknown: expected true or false, got "yes"/);
      const badSeverity = runAction({ plan: SECURE_PLAN, 'fail-on': 'severe' });
      assert.equal(badSeverity.code, 2);
      assert.match(badSeverity.summary ?? '', /fail-on/);
    });
    it('cuts a report larger than GitHub keeps (1 MiB) at a paragraph, and says so', () => {
      // A stand-in CLI: an empty SARIF report, and a Markdown report of 3 MiB in 30 000 paragraphs.
      const cli = path.join(dir, 'fake-sescheck.js');
      fs.writeFileSync(
        cli,
        `const fs = require('fs');
const args = process.argv.slice(2);
const output = args[args.indexOf('--output') + 1];
const summary = { rules: 1, passed: 0, fail: 30000, unknown: 0, waived: 0 };
if (args.includes('sarif')) fs.writeFileSync(output, JSON.stringify({ runs: [{ results: [], properties: { summary } }] }));
else fs.writeFileSync(output, Array.from({ length: 30000 }, (_, i) => 'paragraph ' + i + ' ' + 'x'.repeat(90)).join('\\n\\n') + '\\n');
process.exitCode = 1;
`,
      );
      const { code, summary, outputs } = runStep([process.execPath, RUN], { INPUT_PLAN: 'plan.json', INPUT_SARIF_FILE: path.join(dir, 'x.sarif'), SESCHECK_CLI: cli });
      assert.equal(code, 1);
      assert.equal(outputs.fail, '30000');
      assert.ok(Buffer.byteLength(summary ?? '') <= 1024 * 1024, `summary of ${Buffer.byteLength(summary ?? '')} bytes`);
      assert.ok(Buffer.byteLength(summary ?? '') > 1000 * 1024, 'it keeps as much as fits');
      assert.match(summary ?? '', /\d x{90}\n\n\*\*The report was cut here: GitHub keeps at most 1 MiB of job summary\. The SARIF report \(code scanning\) has every finding\.\*\*\n$/);
      assert.equal(fs.statSync(outputs['markdown-file']).size > 3 * 1000 * 1000, true, 'the Markdown file keeps all of it');
    });
  });

  describe('setup step (action/setup.sh)', () => {
    it('uses the action checkout when it is built, and names its CLI', () => {
      const { code, outputs } = runStep(['bash', SETUP], { INPUT_VERSION: '' });
      assert.equal(code, 0);
      assert.equal(outputs.cli, path.join(PROJECT_ROOT, 'bin', 'sescheck'));
    });

    it('installs a given version of the npm package into the runner temp directory', () => {
      // A stand-in npm records its arguments and installs a bin where npm would.
      const fakeBin = path.join(dir, 'bin');
      fs.mkdirSync(fakeBin);
      fs.writeFileSync(
        path.join(fakeBin, 'npm'),
        '#!/usr/bin/env bash\nset -e\necho "$@" > "$RUNNER_TEMP/npm-args"\nwhile [ "$1" != --prefix ]; do shift; done\nmkdir -p "$2/node_modules/.bin" && touch "$2/node_modules/.bin/sescheck"\n',
        { mode: 0o755 },
      );
      const { code, outputs } = runStep(['bash', SETUP], { INPUT_VERSION: '0.2.0', PATH: `${fakeBin}:${process.env.PATH}` });
      assert.equal(code, 0);
      const prefix = path.join(dir, 'runner-temp', 'sescheck-0.2.0');
      assert.equal(outputs.cli, path.join(prefix, 'node_modules', '.bin', 'sescheck'));
      assert.match(fs.readFileSync(path.join(dir, 'runner-temp', 'npm-args'), 'utf8'), new RegExp(`^install .*--prefix ${prefix} sescheck@0\\.2\\.0\\n$`));
    });

    it('refuses a version that is not one', () => {
      const { code, stderr, outputs } = runStep(['bash', SETUP], { INPUT_VERSION: '1.0; curl evil' });
      assert.equal(code, 2);
      assert.match(stderr, /input version: '1\.0; curl evil' is not a version/);
      assert.equal(outputs.cli, undefined);
    });
  });

  describe('action.yml', () => {
    const runStepOf = () => action.runs.steps.find((step) => step.id === 'sescheck');
    const readInputs = [...fs.readFileSync(RUN, 'utf8').matchAll(/(?:input|booleanInput)\('([a-z-]+)'/g)].map((match) => match[1]);

    it('is a composite action that sets up sescheck, runs action/run.js and uploads the SARIF even after findings', () => {
      assert.equal(action.runs.using, 'composite');
      assert.match(action.runs.steps[0].run ?? '', /action\/setup\.sh/);
      assert.match(runStepOf()?.run ?? '', /node "\$GITHUB_ACTION_PATH\/action\/run\.js"/);
      assert.equal(runStepOf()?.env?.SESCHECK_CLI, '${{ steps.setup.outputs.cli }}');
      const upload = action.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
      assert.ok(upload, 'uploads with codeql-action/upload-sarif');
      assert.match(upload.if ?? '', /!cancelled\(\)/, 'runs after the sescheck step failed on findings');
      assert.match(upload.if ?? '', /inputs\.upload-sarif == 'true'/);
      assert.equal(upload.with?.sarif_file, '${{ steps.sescheck.outputs.sarif-file }}');
    });

    it('declares every input the run script reads, and passes each as its INPUT_ variable', () => {
      assert.ok(readInputs.length >= 8, `the script reads its inputs through input(): ${readInputs.join(', ')}`);
      for (const name of new Set(readInputs)) {
        assert.ok(action.inputs[name], `input ${name} is declared in action.yml`);
        assert.ok(action.inputs[name].description, `input ${name} has a description`);
        const variable = `INPUT_${name.replace(/-/g, '_').toUpperCase()}`;
        assert.equal(runStepOf()?.env?.[variable], `\${{ inputs.${name} }}`, `the run step sets ${variable}`);
      }
    });

    it('uses every input it declares', () => {
      const text = JSON.stringify(action.runs.steps);
      for (const name of Object.keys(action.inputs)) assert.ok(text.includes(`inputs.${name}`), `input ${name} is used by a step`);
    });

    it('maps every output to one the run step writes', () => {
      const { outputs } = runAction({ plan: INSECURE_PLAN });
      for (const [name, output] of Object.entries(action.outputs)) {
        const step = /^\$\{\{ steps\.sescheck\.outputs\.([\w-]+) \}\}$/.exec(output.value);
        assert.ok(step, `output ${name} comes from the run step`);
        assert.ok(step[1] in outputs, `the run step writes ${step[1]}`);
      }
    });
  });
});
