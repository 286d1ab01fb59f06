import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DEFAULT_WASM, PROJECT_ROOT, readPolicyWasm } from '../../src/engine/bundle';

/**
 * Hostile input, end to end: bin/sescheck (→ dist/, built by `npm run build` as for cli.test.ts)
 * in a real process, one row per class of bad input: the command line and the files it reads,
 * the exit code, and the first line on stderr. Every error is one line and never a stack trace.
 */
const BIN = path.join(PROJECT_ROOT, 'bin', 'sescheck');
const INSECURE_PLAN = path.join(PROJECT_ROOT, 'examples/insecure/plan.json');
const SECURE_PLAN = path.join(PROJECT_ROOT, 'examples/secure/plan.json');
const SECURE_TF = path.join(PROJECT_ROOT, 'examples/secure/main.tf');

/** Runs as nobody when the tests run as root: root reads files whatever their mode. */
const UNPRIVILEGED: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

let dir: string;
let bundle: string;

function env(): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };
  delete copy.NO_COLOR;
  return copy;
}

/** bin/sescheck with the test's bundle (a world-readable copy of build/policy.wasm) unless args name one. */
function sescheck(args: string[], options: SpawnSyncOptions = {}) {
  const withBundle = args.some((arg) => arg.startsWith('--bundle')) ? args : [...args, '--bundle', bundle];
  const run = spawnSync(process.execPath, [BIN, ...withBundle], { cwd: dir, encoding: 'utf8', env: env(), timeout: 120_000, ...options });
  return { code: run.status, stdout: String(run.stdout ?? ''), stderr: String(run.stderr ?? '') };
}

function write(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function settings(text: string): string {
  return write('settings.yaml', text);
}

/** Makes what a row locked readable again so it can be removed; never follows a symlink (one points at /dev/null). */
function unlock(file: string): void {
  const stat = fs.lstatSync(file);
  if (stat.isSymbolicLink()) return;
  fs.chmodSync(file, 0o755);
  if (stat.isDirectory()) for (const entry of fs.readdirSync(file)) unlock(path.join(file, entry));
}

interface Row {
  what: string;
  /** Writes the files the command reads; returns the command line. */
  given: () => string[];
  code: number;
  /** The first line on stderr. */
  first: RegExp;
  options?: () => SpawnSyncOptions;
  /** What must hold afterwards (files untouched...). */
  after?: () => void;
}

const waiver = (reason: string) => `waivers:\n  - rule: CS-004\n    resource: x\n    reason: ${JSON.stringify(reason)}\n    expires: "2099-01-01"\n`;

const ROWS: Row[] = [
  // Options that take one value: repeated, they used to become an array (--fail-on turned off: exit 0).
  { what: '--fail-on repeated', given: () => ['plan', INSECURE_PLAN, '--fail-on', 'high', '--fail-on', 'high'], code: 2, first: /^sescheck: --fail-on is given 2 times; it takes one value, give it once$/ },
  { what: '--format repeated', given: () => ['plan', INSECURE_PLAN, '--format', 'json', '--format=text'], code: 2, first: /^sescheck: --format is given 2 times/ },
  { what: '--output repeated', given: () => ['plan', INSECURE_PLAN, '--output', 'a.json', '--output', 'b.json'], code: 2, first: /^sescheck: --output is given 2 times/, after: () => assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.json')), []) },
  { what: '--config repeated', given: () => ['plan', INSECURE_PLAN, '--config', settings('{}'), '--config', settings('{}')], code: 2, first: /^sescheck: --config is given 2 times/ },
  { what: '--bundle repeated', given: () => ['rules', '--bundle', bundle, '--bundle', bundle], code: 2, first: /^sescheck: --bundle is given 2 times/ },
  { what: 'live --baseline repeated', given: () => ['live', '--region', 'eu-west-1', '--baseline', 'a.json', '--baseline', 'a.json'], code: 2, first: /^sescheck: --baseline is given 2 times/ },
  { what: 'live --concurrency repeated with the same number (yargs would add them up)', given: () => ['live', '--region', 'eu-west-1', '--concurrency', '1', '--concurrency', '1'], code: 2, first: /^sescheck: --concurrency is given 2 times/ },
  { what: 'an option without its value', given: () => ['plan', INSECURE_PLAN, '--fail-on'], code: 2, first: /^sescheck: --fail-on needs a value$/ },
  { what: 'an option negated', given: () => ['plan', INSECURE_PLAN, '--no-output'], code: 2, first: /^sescheck: --no-output: --output takes a value and cannot be negated/ },
  { what: 'a number option that is not a number', given: () => ['live', '--region', 'eu-west-1', '--concurrency', 'many'], code: 2, first: /^sescheck: --concurrency many: not a number$/ },
  { what: 'an --endpoint-url that is not a URL', given: () => ['live', '--region', 'eu-west-1', '--endpoint-url', 'http://[::1'], code: 2, first: /^sescheck: --endpoint-url http:\/\/\[::1: not an http\(s\) URL$/ },
  { what: 'an empty --rule', given: () => ['plan', INSECURE_PLAN, '--rule', ''], code: 2, first: /^sescheck: --rule needs a value$/ },
  { what: 'an empty input path', given: () => ['plan', ''], code: 2, first: /^sescheck: the plan file name is empty/ },
  { what: 'an empty config path', given: () => ['config', ''], code: 2, first: /^sescheck: the configuration path is empty/ },
  // ASFF findings need an account, which only a live scan knows: refused before the input is read (it does not exist here).
  { what: 'plan --format asff', given: () => ['plan', 'no-such-plan.json', '--format', 'asff'], code: 2, first: /^sescheck: --format asff needs the AWS account of each finding: use it with `sescheck live`, not `sescheck plan`$/ },
  { what: 'config --format asff', given: () => ['config', 'no-such-dir', '--format', 'asff'], code: 2, first: /^sescheck: --format asff needs the AWS account of each finding: use it with `sescheck live`, not `sescheck config`$/ },

  // Settings: bounds, reasons, hostile YAML.
  { what: 'settings min_days .inf', given: () => ['plan', SECURE_PLAN, '--config', settings('retention:\n  min_days: .inf\n')], code: 2, first: /^sescheck: settings file .*settings\.yaml: key retention\.min_days: must be a whole number of days from 1 to 36500$/ },
  { what: 'settings min_days 1e400', given: () => ['plan', SECURE_PLAN, '--config', settings('retention:\n  min_days: 1e400\n')], code: 2, first: /key retention\.min_days: must be a whole number of days from 1 to 36500$/ },
  { what: 'settings max_days fractional', given: () => ['plan', SECURE_PLAN, '--config', settings('retention:\n  max_days: 90.5\n')], code: 2, first: /key retention\.max_days: must be a whole number of days from 1 to 36500, or null$/ },
  { what: 'settings min_days above max_days', given: () => ['plan', SECURE_PLAN, '--config', settings('retention:\n  min_days: 90\n  max_days: 30\n')], code: 2, first: /key retention\.min_days: 90 is above retention\.max_days 30$/ },
  { what: 'a waiver reason of blanks', given: () => ['plan', INSECURE_PLAN, '--config', settings(waiver(' '.repeat(30)))], code: 2, first: /key waivers\[0\]\.reason: give a reason of at least 10 characters \(blanks do not count\)$/ },
  { what: 'settings YAML nested 100 000 levels', given: () => ['plan', SECURE_PLAN, '--config', settings(`severities: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)], code: 2, first: /^sescheck: settings file .*settings\.yaml nests too deeply to be settings$/ },
  { what: 'settings with a __proto__ key', given: () => ['plan', SECURE_PLAN, '--config', settings('__proto__:\n  retention: {min_days: 1}\n')], code: 2, first: /unknown key __proto__$/ },
  { what: 'settings with a constructor key under severities', given: () => ['plan', SECURE_PLAN, '--config', settings('severities:\n  constructor: high\n')], code: 2, first: /key severities\.constructor: not a rule id/ },
  { what: 'settings that are not UTF-8', given: () => ['plan', SECURE_PLAN, '--config', write('settings.yaml', Buffer.from([0x73, 0x3a, 0x20, 0xff, 0x0a]))], code: 2, first: /settings\.yaml is not UTF-8 text$/ },
  {
    what: 'a dangling ./.sescheck.yaml symlink',
    given: () => {
      fs.symlinkSync('missing-settings.yaml', path.join(dir, '.sescheck.yaml'));
      return ['plan', SECURE_PLAN];
    },
    code: 2,
    first: /^sescheck: settings file .*\.sescheck\.yaml is a symbolic link to missing-settings\.yaml, which does not exist$/,
  },

  // Output files: nothing the scan reads is replaced; a bad --output is found before the scan.
  {
    what: 'config DIR --output DIR/main.tf with several files in DIR',
    given: () => {
      write('infra/main.tf', fs.readFileSync(SECURE_TF, 'utf8'));
      write('infra/variables.tf', 'variable "region" {\n  default = "eu-west-1"\n}\n');
      return ['config', 'infra', '--output', 'infra/main.tf'];
    },
    code: 2,
    first: /^sescheck: --output infra\/main\.tf is the input file .*infra\/main\.tf: refusing to overwrite it$/,
    after: () => assert.equal(fs.readFileSync(path.join(dir, 'infra/main.tf'), 'utf8'), fs.readFileSync(SECURE_TF, 'utf8')),
  },
  {
    what: 'config DIR --output DIR/modules/logs/main.tf, a file of a local module the scan reads',
    given: () => {
      write('infra/main.tf', `${fs.readFileSync(SECURE_TF, 'utf8')}\nmodule "logs" {\n  source = "./modules/logs"\n}\n`);
      write('infra/modules/logs/main.tf', '# the module\n');
      return ['config', 'infra', '--output', 'infra/modules/logs/main.tf'];
    },
    code: 2,
    first: /^sescheck: --output infra\/modules\/logs\/main\.tf is the input file .*infra\/modules\/logs\/main\.tf: refusing to overwrite it$/,
    after: () => assert.equal(fs.readFileSync(path.join(dir, 'infra/modules/logs/main.tf'), 'utf8'), '# the module\n'),
  },
  {
    what: 'config DIR --output through a symlink to one of its files',
    given: () => {
      write('infra/main.tf', fs.readFileSync(SECURE_TF, 'utf8'));
      write('infra/variables.tf', '# variables\n');
      fs.symlinkSync('infra/variables.tf', path.join(dir, 'report.txt'));
      return ['config', 'infra', '--output', 'report.txt'];
    },
    code: 2,
    first: /^sescheck: --output report\.txt is the input file .*infra\/variables\.tf: refusing to overwrite it$/,
    after: () => assert.equal(fs.readFileSync(path.join(dir, 'infra/variables.tf'), 'utf8'), '# variables\n'),
  },
  {
    what: 'config of a cdktf.out --output onto a stack\'s cdk.tf.json',
    given: () => {
      fs.cpSync(path.join(PROJECT_ROOT, 'test/fixtures/inputs/cdktf-synth'), path.join(dir, 'cdktf.out'), { recursive: true });
      const stack = fs.readdirSync(path.join(dir, 'cdktf.out/stacks'))[0];
      return ['config', 'cdktf.out', '--output', `cdktf.out/stacks/${stack}/cdk.tf.json`];
    },
    code: 2,
    first: /^sescheck: --output cdktf\.out\/stacks\/.*\/cdk\.tf\.json is the input file .*cdk\.tf\.json: refusing to overwrite it$/,
  },
  { what: '--output onto the settings file', given: () => ['plan', SECURE_PLAN, '--config', settings('{}\n'), '--output', 'settings.yaml'], code: 2, first: /^sescheck: --output settings\.yaml is the input file .*settings\.yaml: refusing to overwrite it$/ },
  { what: '--output in a directory that does not exist', given: () => ['plan', SECURE_PLAN, '--output', 'missing/report.json'], code: 2, first: /^sescheck: --output missing\/report\.json: the directory .*missing does not exist$/ },
  {
    what: 'live --output in a directory that does not exist: found before any AWS call',
    // Nothing listens on port 9: had the scan run first, its notes would come before the error.
    given: () => ['live', '--region', 'eu-west-1', '--endpoint-url', 'http://127.0.0.1:9', '--output', 'missing/today.json'],
    code: 2,
    first: /^sescheck: --output missing\/today\.json: the directory .*missing does not exist$/,
  },
  { what: '--output under a file', given: () => ['plan', SECURE_PLAN, '--output', `${path.relative(dir, write('file.txt', 'x'))}/report.json`], code: 2, first: /^sescheck: --output file\.txt\/report\.json: .*not a directory$/ },
  { what: '--output /dev/full (a full disk)', given: () => ['plan', SECURE_PLAN, '--output', '/dev/full'], code: 2, first: /^sescheck: cannot write --output \/dev\/full: no space left on device$/ },
  { what: 'stdout on a full disk (> /dev/full)', given: () => ['plan', SECURE_PLAN], options: () => ({ stdio: ['ignore', fs.openSync('/dev/full', 'w'), 'pipe'] }), code: 2, first: /^sescheck: cannot write the report to stdout: no space left on device$/ },

  // The policy bundle.
  { what: '--bundle that is a directory', given: () => ['rules', '--bundle', dir], code: 2, first: /^sescheck: cannot read policy bundle .*: is a directory, expected a file$/ },
  { what: '--bundle that is not wasm', given: () => ['rules', '--bundle', SECURE_PLAN], code: 2, first: /^sescheck: policy bundle .*plan\.json is not a policy wasm built by scripts\/build-policies\.sh/ },
  {
    what: 'an unreadable --bundle',
    given: () => {
      const file = write('private.wasm', fs.readFileSync(bundle));
      fs.chmodSync(file, 0o000);
      return ['rules', '--bundle', file];
    },
    options: () => UNPRIVILEGED,
    code: 2,
    first: /^sescheck: cannot read policy bundle .*private\.wasm: permission denied$/,
  },

  // Unreadable parts of a configuration path.
  {
    what: 'an unreadable .tf file in a config directory',
    given: () => {
      write('infra/main.tf', fs.readFileSync(SECURE_TF, 'utf8'));
      fs.chmodSync(write('infra/secret.tf', '# private\n'), 0o000);
      return ['config', 'infra'];
    },
    options: () => UNPRIVILEGED,
    code: 2,
    first: /^sescheck: infra\/secret\.tf: permission denied$/,
  },
  {
    what: 'an unreadable stack directory in a cdktf.out (never silently skipped)',
    given: () => {
      fs.cpSync(path.join(PROJECT_ROOT, 'test/fixtures/inputs/cdktf-synth'), path.join(dir, 'cdktf.out'), { recursive: true });
      const stack = fs.readdirSync(path.join(dir, 'cdktf.out/stacks'))[0];
      fs.chmodSync(path.join(dir, 'cdktf.out/stacks', stack), 0o000);
      return ['config', 'cdktf.out'];
    },
    options: () => UNPRIVILEGED,
    code: 2,
    first: /^sescheck: cdktf\.out\/stacks\/.*\/cdk\.tf\.json: permission denied$/,
  },
  {
    what: 'an unreadable config directory',
    given: () => {
      write('infra/main.tf', fs.readFileSync(SECURE_TF, 'utf8'));
      fs.chmodSync(path.join(dir, 'infra'), 0o311);
      return ['config', 'infra'];
    },
    options: () => UNPRIVILEGED,
    code: 2,
    first: /^sescheck: infra: permission denied$/,
  },

  // A baseline that is not a report.
  { what: 'a baseline finding that is null', given: () => ['live', '--region', 'eu-west-1', '--baseline', write('old.json', '{"version":1,"findings":[null]}')], code: 2, first: /^sescheck: --baseline .*old\.json: finding 1 has no rule_id, resource or status$/ },
  { what: 'a baseline nested 200 000 levels deep that is not JSON', given: () => ['live', '--region', 'eu-west-1', '--baseline', write('old.json', `{"version":1,"findings":[${'['.repeat(200_000)}${']'.repeat(199_999)}}`)], code: 2, first: /^sescheck: --baseline .*old\.json is not JSON \(line 1, column 400025\); write it with --format json$/ },
  { what: 'a baseline that is not JSON', given: () => ['live', '--region', 'eu-west-1', '--baseline', write('old.json', '{"version":1,"findings":[')], code: 2, first: /^sescheck: --baseline .*old\.json is not JSON \(it ends early\); write it with --format json$/ },
];

describe('hostile input (bin/sescheck in a child process)', () => {
  before(() => {
    // A copy every user can read: some rows run as nobody.
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-hostile-bundle-'));
    fs.chmodSync(shared, 0o755);
    bundle = path.join(shared, 'policy.wasm');
    fs.writeFileSync(bundle, readPolicyWasm(), { mode: 0o644 });
    process.on('exit', () => fs.rmSync(shared, { recursive: true, force: true }));
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-hostile-'));
    fs.chmodSync(dir, 0o777);
  });
  afterEach(() => {
    unlock(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const row of ROWS) {
    it(`${row.what}: exit ${row.code}, ${row.first.source}`, () => {
      const args = row.given();
      const { code, stdout, stderr } = sescheck(args, row.options?.() ?? {});
      assert.equal(code, row.code, `${args.join(' ')}\n${stderr}`);
      assert.match(stderr.split('\n')[0], row.first);
      assert.equal(stderr.trimEnd().split('\n').length, 1, `one line on stderr:\n${stderr}`);
      assert.doesNotMatch(stderr, /\n\s+at |RangeError|ERR_[A-Z_]+|undefined|NaN/, 'a sentence, no internals');
      assert.equal(stdout, '', 'no report');
      row.after?.();
    });
  }

  it('the default bundle (scripts/build-policies.sh) is readable by every user', () => {
    assert.equal(fs.statSync(DEFAULT_WASM).mode & 0o444, 0o444);
  });

  describe('writing the report to a reader that went away', () => {
    /** The child's stdout is a pipe whose reading end is closed before the child starts. */
    function closedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args, '--bundle', bundle], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.destroy();
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    }

    it('ends quietly with the verdict: 1 for findings, 0 for none, no stack trace', async () => {
      for (const [plan, verdict] of [[INSECURE_PLAN, 1], [SECURE_PLAN, 0]] as const) {
        const { code, stderr } = await closedPipe(['plan', plan, '--format', 'json']);
        assert.equal(code, verdict, stderr);
        assert.doesNotMatch(stderr, /EPIPE|\n\s+at |internal error/, stderr);
      }
      const rules = await closedPipe(['rules']);
      assert.equal(rules.code, 0, rules.stderr);
      assert.equal(rules.stderr, '');
    });

    it('`| head -1` and `| true` in a shell: the verdict, no stack trace', () => {
      for (const reader of ['head -1', 'true']) {
        const script = `"${process.execPath}" "${BIN}" plan "${INSECURE_PLAN}" --format json --bundle "${bundle}" | ${reader} >/dev/null; exit \${PIPESTATUS[0]}`;
        const run = spawnSync('bash', ['-c', script], { cwd: dir, env: env(), encoding: 'utf8' });
        assert.equal(run.status, 1, run.stderr);
        assert.doesNotMatch(run.stderr, /EPIPE|\n\s+at |internal error/);
      }
    });
  });

  describe('--output that is not a regular file is written to, not renamed over', () => {
    it('a symlink to /dev/null stays a symlink to /dev/null', () => {
      fs.symlinkSync('/dev/null', path.join(dir, 'discard'));
      const { code, stderr } = sescheck(['plan', SECURE_PLAN, '--output', 'discard', '--quiet']);
      assert.equal(code, 0, stderr);
      assert.equal(fs.readlinkSync(path.join(dir, 'discard')), '/dev/null');
      assert.ok(fs.statSync('/dev/null').isCharacterDevice());
    });

    it('/dev/stdout: the report arrives on stdout', () => {
      // As nobody when root: had the report been renamed over /dev/stdout, that would fail instead of replacing it.
      const out = path.join(dir, 'stdout.txt');
      fs.writeFileSync(out, '');
      fs.chmodSync(out, 0o666);
      const fd = fs.openSync(out, 'w');
      const { code, stderr } = sescheck(['plan', SECURE_PLAN, '--format', 'json', '--output', '/dev/stdout', '--quiet'], { ...UNPRIVILEGED, stdio: ['ignore', fd, 'pipe'] });
      fs.closeSync(fd);
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).version, 1);
      assert.ok(fs.lstatSync('/dev/stdout').isSymbolicLink());
    });

    it('a FIFO: the reader gets the report', async () => {
      const fifo = path.join(dir, 'report.fifo');
      const made = spawnSync('mkfifo', [fifo]);
      assert.equal(made.status, 0, String(made.stderr));
      const reader = new Promise<string>((resolve) => {
        const cat = spawn('cat', [fifo]);
        let text = '';
        cat.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        cat.on('close', () => resolve(text));
      });
      const child = spawn(process.execPath, [BIN, 'plan', SECURE_PLAN, '--format', 'json', '--output', fifo, '--quiet', '--bundle', bundle], { cwd: dir, env: env() });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0);
      assert.equal(JSON.parse(await reader).version, 1);
      assert.ok(fs.statSync(fifo).isFIFO());
    });

    it('a symlink to a regular file: the file gets the report, the link stays', () => {
      fs.writeFileSync(path.join(dir, 'real.json'), 'old');
      fs.symlinkSync('real.json', path.join(dir, 'report.json'));
      const { code } = sescheck(['plan', SECURE_PLAN, '--format', 'json', '--output', 'report.json', '--quiet']);
      assert.equal(code, 0);
      assert.equal(fs.readlinkSync(path.join(dir, 'report.json')), 'real.json');
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'real.json'), 'utf8')).version, 1);
    });
  });
});
