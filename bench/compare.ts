/**
 * Benchmark (not a test): sescheck beside the JSON.parse floor, `opa eval` and conftest (the same
 * joins in Rego: bench/rego/ses_logging.rego) and Checkov, on plans of 1k, 10k and 50k resource
 * instances scaled from a real `terraform plan` (bench/base-plan.json, see bench/scale-plan.ts).
 * Every run is its own process; the tools run interleaved, in a rotating order, for several rounds
 * (paired runs), and the ratios are medians of the per-round ratios, so a machine shared with
 * other work moves both sides of a ratio alike. Peak RSS from /usr/bin/time -v. Node's own start
 * (`node -e 0`) is measured beside them, and the end says which of the speed goals these runs met.
 *
 *   npm run bench -- compare           1k, 10k and 50k (BENCH_SIZES=1000,10000), BENCH_ROUNDS (default 5; 3 at 50k)
 *   npm run bench -- stages            where the time goes in one process at 10k (BENCH_SIZES), median of BENCH_ROUNDS
 *
 * conftest and Checkov are measured when installed: `bash scripts/install-bench-tools.sh` puts
 * them in .tools/ (pinned; not part of CI). OPA is .tools/bin/opa (scripts/install-opa.sh).
 * Checkov runs once per size up to BENCH_CHECKOV_MAX instances (default 10000), stopped after
 * BENCH_CHECKOV_TIMEOUT seconds (default 900): it takes minutes. The case has no time limit of its
 * own unless BENCH_TIMEOUT is set (it takes about half an hour on a loaded 2-core machine).
 * sescheck runs as installed: `node bin/sescheck` (build it first: `npm run setup`).
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PolicyEngine } from '../src/engine/evaluate';
import { defaultSettings } from '../src/engine/settings';
import { readInputBytes } from '../src/inputs/read-input';
import { parsePlanBytes, planKind, readPlanFile } from '../src/inputs/plan';
import { planInstances } from '../src/inputs/terraform/plan-instances';
import { normalizeInstances } from '../src/inputs/terraform/resources';
import { postureProblems } from '../src/posture/validate';
import { jsonReporter } from '../src/report/json';
import { buildScanResult } from '../src/results/build';
import { benchEnv } from './env';
import { writeScaledPlan } from './scale-plan';

const ROOT = path.join(__dirname, '..');
const TOOLS = path.join(ROOT, '.tools', 'bin');
const POLICY = path.join(__dirname, 'rego');

interface Tool {
  name: string;
  /** The command for a plan file; undefined when the tool is not installed. */
  command(file: string): string[] | undefined;
  /** Exit codes that mean the run worked (findings may be an exit code of their own). */
  ok: number[];
  /** Whether it is run every round (false: once per size, it takes minutes). */
  paired: boolean;
}

const installed = (file: string): boolean => fs.existsSync(file);

const NODE_START = 'Node start';
const FLOOR = 'JSON.parse floor';

const TOOLS_MEASURED: Tool[] = [
  // What launching Node alone takes: no run of a Node program can take less.
  { name: NODE_START, command: () => [process.execPath, '-e', '0'], ok: [0], paired: true },
  {
    name: FLOOR,
    command: (file) => [process.execPath, '-e', 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))', file],
    ok: [0],
    paired: true,
  },
  { name: 'sescheck', command: (file) => [process.execPath, path.join(ROOT, 'bin', 'sescheck'), 'plan', file, '--format', 'json', '--quiet'], ok: [0, 1], paired: true },
  {
    name: 'opa eval',
    command: (file) => (installed(path.join(TOOLS, 'opa')) ? [path.join(TOOLS, 'opa'), 'eval', '-d', POLICY, '-i', file, 'data.main.deny', '-f', 'json'] : undefined),
    ok: [0],
    paired: true,
  },
  {
    name: 'conftest',
    command: (file) => (installed(path.join(TOOLS, 'conftest')) ? [path.join(TOOLS, 'conftest'), 'test', '--no-color', '-o', 'json', '-p', POLICY, file] : undefined),
    ok: [0, 1],
    paired: true,
  },
  {
    name: 'Checkov',
    // CloudTrail, S3 and CloudWatch Logs checks: the part of Checkov's catalog about logging.
    command: (file) =>
      installed(path.join(TOOLS, 'checkov'))
        ? [path.join(TOOLS, 'checkov'), '-f', file, '--framework', 'terraform_plan', '--quiet', '--compact', '-o', 'json', '--skip-download', '--check', CHECKOV_CHECKS.join(',')]
        : undefined,
    ok: [0, 1],
    paired: false,
  },
];

/** Checkov's checks nearest to sescheck's rules (trails, their buckets and log groups, Firehose). */
const CHECKOV_CHECKS = ['CKV_AWS_35', 'CKV_AWS_36', 'CKV_AWS_67', 'CKV_AWS_252', 'CKV2_AWS_10', 'CKV_AWS_66', 'CKV_AWS_338', 'CKV_AWS_158', 'CKV2_AWS_61', 'CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56', 'CKV_AWS_240', 'CKV_AWS_241'];

interface Run {
  /** Wall time. */
  seconds: number;
  /** User + system CPU time: less moved by other work on a shared machine than wall time. */
  cpu: number;
  rssMB: number;
}

/** One run in its own process: wall time (ours) and peak RSS (GNU time's); undefined when it ran past `timeoutMs` (stopped). */
function runOnce(tool: Tool, file: string, timeoutMs?: number): Run | undefined {
  const command = tool.command(file) as string[];
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-v', ...command], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL', env: benchEnv() });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.signal) return undefined;
  const stderr = result.stderr ?? '';
  const status = Number(/Exit status: (\d+)/.exec(stderr)?.[1] ?? result.status);
  if (!tool.ok.includes(status)) throw new Error(`${tool.name} exited ${status}: ${command.join(' ')}\n${stderr.split('\n').slice(0, 5).join('\n')}`);
  const rssKB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN);
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN) + Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
  return { seconds, cpu, rssMB: rssKB / 1024 };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** Counts of what each tool found on the plan, so that a tool doing nothing is seen: all should be 0 findings on this compliant account. */
function sanity(file: string): string {
  const sescheck = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'sescheck'), 'plan', file, '--format', 'json', '--quiet'], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const report = JSON.parse(sescheck.stdout) as { summary: { passed: number; fail: number; unknown: number } };
  const parts = [`sescheck ${report.summary.passed} passed, ${report.summary.fail} failed, ${report.summary.unknown} unknown`];
  const opa = path.join(TOOLS, 'opa');
  if (installed(opa)) {
    const result = spawnSync(opa, ['eval', '-d', POLICY, '-i', file, 'data.main.deny', '-f', 'json'], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    const deny = (JSON.parse(result.stdout) as { result: { expressions: { value: unknown[] }[] }[] }).result[0].expressions[0].value;
    parts.push(`Rego deny ${deny.length}`);
  }
  return parts.join(', ');
}

async function compare(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
  const checkovMax = Number(process.env.BENCH_CHECKOV_MAX ?? 10_000);
  const checkovTimeoutMs = Number(process.env.BENCH_CHECKOV_TIMEOUT ?? 900) * 1000;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-bench-compare-'));
  const tools = TOOLS_MEASURED.filter((tool) => tool.command('x') !== undefined);
  const missing = TOOLS_MEASURED.filter((tool) => tool.command('x') === undefined).map((tool) => tool.name);
  console.log(`case compare: ${tools.map((t) => t.name).join(', ')}${missing.length ? ` (not installed: ${missing.join(', ')}; bash scripts/install-bench-tools.sh)` : ''}`);
  if (process.env.NODE_EXTRA_CA_CERTS && process.env.BENCH_KEEP_ENV !== '1') console.log('  (runs without NODE_EXTRA_CA_CERTS, which costs every Node process 0.1 s here; BENCH_KEEP_ENV=1 keeps it)');
  const sescheckSeconds = new Map<number, number>();
  const rows: string[] = [];
  const goals: string[] = [];
  try {
    for (const size of sizes) {
      const file = path.join(directory, `plan-${size}.json`);
      const { instances, tenants } = writeScaledPlan(file, { instances: size });
      const megabytes = fs.statSync(file).size / 1024 / 1024;
      console.log(`\n${instances} resource instances (${tenants} tenants), ${fixed(megabytes, 1)} MB: ${sanity(file)}`);
      const rounds = Number(process.env.BENCH_ROUNDS ?? (size >= 50_000 ? 3 : 5));
      const paired = tools.filter((tool) => tool.paired);
      const runs = new Map<string, Run[]>(tools.map((tool) => [tool.name, []]));
      for (let round = 0; round < rounds; round++) {
        // Rotate the order so that no tool always runs first (or right after the heaviest).
        const order = paired.map((_, i) => paired[(i + round) % paired.length]);
        const line: string[] = [];
        for (const tool of order) {
          const run = runOnce(tool, file) as Run;
          (runs.get(tool.name) as Run[]).push(run);
          line.push(`${tool.name} ${fixed(run.seconds)} s`);
        }
        console.log(`  round ${round + 1}: ${line.join(', ')}`);
      }
      for (const tool of tools.filter((t) => !t.paired && size <= checkovMax)) {
        const run = runOnce(tool, file, checkovTimeoutMs);
        if (run) (runs.get(tool.name) as Run[]).push(run);
        else console.log(`  ${tool.name}: stopped after ${checkovTimeoutMs / 1000} s (BENCH_CHECKOV_TIMEOUT)`);
      }
      const ours = runs.get('sescheck') as Run[];
      sescheckSeconds.set(size, median(ours.map((r) => r.cpu)));
      const floor = runs.get(FLOOR) as Run[];
      const ratio = (own: Run[], key: 'seconds' | 'cpu', paired: boolean): number =>
        paired ? median(own.map((r, i) => r[key] / ours[i][key])) : own[0][key] / median(ours.map((r) => r[key]));
      console.log(`  ${'tool'.padEnd(17)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)} ${'peak RSS MB'.padStart(12)}  ratio to sescheck, wall / CPU (median of paired rounds)`);
      for (const tool of tools) {
        const own = runs.get(tool.name) as Run[];
        if (own.length === 0) continue;
        const ratios = tool.name === 'sescheck' ? '1' : `${fixed(ratio(own, 'seconds', tool.paired))} / ${fixed(ratio(own, 'cpu', tool.paired))}`;
        console.log(`  ${tool.name.padEnd(17)} ${fixed(median(own.map((r) => r.seconds))).padStart(7)} ${fixed(median(own.map((r) => r.cpu))).padStart(7)} ${fixed(median(own.map((r) => r.rssMB)), 0).padStart(12)}  ${ratios}${tool.paired ? '' : ' (one run)'}`);
      }
      const toFloor = (key: 'seconds' | 'cpu'): number => median(ours.map((r, i) => r[key] / floor[i][key]));
      const memory = median(ours.map((r) => r.rssMB)) / median(floor.map((r) => r.rssMB));
      console.log(`  sescheck / floor: wall ${fixed(toFloor('seconds'))}x, CPU ${fixed(toFloor('cpu'))}x, peak RSS ${fixed(memory)}x`);
      const seconds = (name: string): number => median((runs.get(name) as Run[]).map((r) => r.seconds));
      const faster = ['opa eval', 'conftest'].filter((name) => (runs.get(name) ?? []).length > 0)
        .map((name) => ({ name, ratio: ratio(runs.get(name) as Run[], 'seconds', true), seconds: seconds(name) }));
      goals.push(...sizeGoals(instances, { faster, toFloor: toFloor('seconds'), memory, start: seconds(NODE_START), floor: seconds(FLOOR) }));
      rows.push(`| ${instances} (${fixed(megabytes, 1)} MB) | ${tools.map((tool) => { const own = runs.get(tool.name) as Run[]; return own.length ? `${fixed(median(own.map((r) => r.seconds)))} s (CPU ${fixed(median(own.map((r) => r.cpu)))} s), ${fixed(median(own.map((r) => r.rssMB)), 0)} MB` : '—'; }).join(' | ')} |`);
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
  if (sescheckSeconds.has(10_000) && sescheckSeconds.has(50_000)) {
    const growth = Number(fixed((sescheckSeconds.get(50_000) as number) / (sescheckSeconds.get(10_000) as number)));
    console.log(`\nsescheck CPU time(50k) / time(10k): ${fixed(growth)}`);
    goals.push(verdict('CPU time(50k) / time(10k) at most 5.5', growth <= 5.5, fixed(growth)));
  }
  console.log(`\nThe speed goals, as these runs measured them (wall time unless a line says CPU; medians of paired rounds; a small plan's start: npm run bench:startup):\n${goals.map((line) => `  ${line}`).join('\n')}`);
  console.log(`\n| plan | ${tools.map((t) => t.name).join(' | ')} |\n|${' --- |'.repeat(tools.length + 1)}\n${rows.join('\n')}`);
  console.log('\nTo reproduce one run (a plan is written by bench/scale-plan.ts):');
  for (const tool of tools) console.log(`  ${(tool.command('plan.json') as string[]).map((part) => (/[\s"(]/.test(part) ? `'${part}'` : part)).join(' ').split(`${ROOT}/`).join('')}`);
}

const verdict = (goal: string, met: boolean, measured: string): string => `${met ? 'met    ' : 'not met'}  ${goal}: ${measured}`;

/** What one plan size measured, as the table above prints it (medians; ratios of paired rounds). */
interface SizeMeasures {
  /** Each other tool's wall time over sescheck's, and its own wall time. */
  faster: { name: string; ratio: number; seconds: number }[];
  /** sescheck's wall time over the floor's, and its peak RSS over the floor's. */
  toFloor: number;
  memory: number;
  /** Wall seconds of Node's own start and of the floor. */
  start: number;
  floor: number;
}

/**
 * The speed goals for one plan size: sescheck at least 2x faster than `opa eval` and conftest, at
 * most 3x the JSON.parse floor at 10k, peak RSS at most 2x the floor's. Each is judged as printed
 * (1.996 is "2.00x", met). A speed goal not met says what it would take: half the other tool's
 * time, beside what Node's own start takes.
 */
function sizeGoals(instances: number, measured: SizeMeasures): string[] {
  const asPrinted = (value: number): number => Number(fixed(value));
  const lines = measured.faster.map(({ name, ratio, seconds }) => {
    const needs = asPrinted(ratio) >= 2 ? '' : ` (needs ${fixed(seconds / 2, 3)} s end to end; Node's own start takes ${fixed(measured.start, 3)} s, the floor ${fixed(measured.floor, 3)} s)`;
    return verdict(`${instances}: at least 2x faster than ${name}`, asPrinted(ratio) >= 2, `${fixed(ratio)}x${needs}`);
  });
  if (Math.round(instances / 1000) === 10) lines.push(verdict(`${instances}: at most 3x the JSON.parse floor`, asPrinted(measured.toFloor) <= 3, `${fixed(measured.toFloor)}x`));
  lines.push(verdict(`${instances}: peak RSS at most 2x the floor's`, asPrinted(measured.memory) <= 2, `${fixed(measured.memory)}x`));
  return lines;
}

/** Where the time of one `sescheck plan` goes, stage by stage, in one process (medians of BENCH_ROUNDS runs after a warm-up). */
async function stages(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? '10000').split(',').map(Number);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-bench-stages-'));
  try {
    for (const size of sizes) {
      const file = path.join(directory, `plan-${size}.json`);
      const { instances } = writeScaledPlan(file, { instances: size });
      const settings = defaultSettings();
      const engine = await PolicyEngine.load();
      const catalog = engine.catalog(settings);
      const times = new Map<string, number[]>();
      let last = '';
      for (let round = 0; round <= rounds; round++) {
        const split: [string, number][] = [];
        // CPU time of the process (user + system, GC threads included): less moved by other work than wall time.
        const cpu = (): number => {
          const { user, system } = process.cpuUsage();
          return (user + system) / 1000;
        };
        let started = cpu();
        const lap = (name: string): void => {
          const now = cpu();
          split.push([name, now - started]);
          started = now;
        };
        const bytes = await readInputBytes(file);
        lap('read the file');
        JSON.parse(bytes.toString('utf8'));
        lap('(JSON.parse alone, for reference)');
        const document = parsePlanBytes(bytes, file) as Record<string, unknown>;
        lap('parse (JSON.parse + nesting check)');
        const set = planInstances(document, planKind(document, file));
        lap('plan instances (references, regions)');
        const posture = normalizeInstances(set, { kind: 'plan', path: file });
        lap('map + link (posture)');
        if (postureProblems(posture).length) throw new Error('posture does not match the schema');
        lap('posture schema validation');
        const input = new TextEncoder().encode(JSON.stringify(posture));
        lap('posture to JSON bytes (the copy into wasm)');
        const evaluation = engine.evaluate(posture, settings);
        lap('evaluate (wasm, incl. the copy and the result JSON)');
        const result = buildScanResult([{ posture, evaluation }], { input: { kind: 'plan', path: file }, toolVersion: 'bench', catalog, ruleIds: new Set(catalog.map((rule) => rule.id)), waivers: [], now: new Date() });
        const text = jsonReporter.render(result, { color: false, width: 80, cwd: process.cwd() });
        lap('build + render the JSON report');
        last = `posture ${(input.byteLength / 1024 / 1024).toFixed(1)} MB, report ${(text.length / 1024 / 1024).toFixed(1)} MB, ${evaluation.findings.length} findings`;
        // The first round warms the JIT and the wasm instance up; it is not counted.
        if (round > 0) for (const [name, ms] of split) times.set(name, [...(times.get(name) ?? []), ms]);
      }
      console.log(`case stages: ${instances} resource instances, ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB (${last}); median CPU ms of ${rounds} rounds in one process`);
      for (const [name, ms] of times) console.log(`  ${name.padEnd(52)} ${median(ms).toFixed(0).padStart(6)}`);
      const total = [...times].filter(([name]) => !name.startsWith('(')).reduce((sum, [, ms]) => sum + median(ms), 0);
      console.log(`  ${'total (without the reference line)'.padEnd(52)} ${total.toFixed(0).padStart(6)}`);
      const started = process.hrtime.bigint();
      await readPlanFile(file);
      console.log(`  readPlanFile as the CLI calls it: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

export const CASES = { compare, stages } as const;
