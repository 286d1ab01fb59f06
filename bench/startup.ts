/**
 * Benchmark of start-up (not a test): sescheck on the bundled examples, each run a new process as
 * a user runs it, against Node's floor (a process that reads and parses the same plan). The cases
 * run in turn within each round, so a load change on the machine hits them alike; each case's
 * ratio is the median over rounds of its time divided by the floor's time in the same round.
 *
 *   npm run bench:startup              (or npm run bench -- startup)
 *   BENCH_RUNS=41 npm run bench:startup   rounds (default 21)
 *
 * Build first (npm run setup, or `npm run build` after tsc-only changes): bin/sescheck runs the
 * one-file bundle when it is current, and the compiled modules otherwise; the `modules` row runs
 * the compiled modules always, to show what the bundle and its code cache take off.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { benchEnv } from './env';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'sescheck');
const PLAN = 'examples/secure/plan.json';
/** The goal in issue #11: a small plan end to end under this, and within GOAL_RATIO of the floor. */
const GOAL_SECONDS = 0.3;
const GOAL_RATIO = 5;

interface Case {
  name: string;
  args: string[];
}

const FLOOR: Case = { name: 'node floor: read + JSON.parse of the plan', args: ['-e', "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))", PLAN] };
const CASES: Case[] = [
  FLOOR,
  { name: `sescheck plan ${PLAN}`, args: [BIN, 'plan', PLAN] },
  { name: 'sescheck plan examples/insecure/plan.json', args: [BIN, 'plan', 'examples/insecure/plan.json'] },
  { name: 'sescheck config (cdktf synth output, 2 stacks)', args: [BIN, 'config', 'test/fixtures/inputs/cdktf-synth'] },
  // HCL is parsed by a Go program compiled to wasm (@cdktf/hcl2json): its start dominates.
  { name: 'sescheck config examples/secure/main.tf (HCL)', args: [BIN, 'config', 'examples/secure/main.tf'] },
  {
    name: `modules (no bundle): sescheck plan ${PLAN}`,
    args: ['-e', "require('./dist/src/cli/main.js').buildCli(process.argv.slice(1)).parseAsync()", 'plan', PLAN],
  },
];

/** CPU time (user + system) of this process's waited-for children, in ms; undefined off Linux. */
function childrenCpuMs(): number | undefined {
  try {
    // /proc/self/stat: fields after the command's closing parenthesis; cutime and cstime are the 14th and 15th, in 1/100 s.
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function timeOnce(c: Case): { wallMs: number; cpuMs: number | undefined } {
  const cpuBefore = childrenCpuMs();
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, c.args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...benchEnv(), NO_COLOR: '1' } });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuAfter = childrenCpuMs();
  // 0 or 1 (findings) is a run that went through; 2 and 3 are errors, which are not timed.
  if (run.status !== 0 && run.status !== 1) throw new Error(`${c.name}: exit ${String(run.status)}: ${run.stderr.trim()}`);
  return { wallMs, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function bundleState(): string {
  const bundle = path.join(ROOT, 'dist', 'sescheck.js');
  if (!fs.existsSync(bundle)) return 'no bundle (dist/sescheck.js): bin/sescheck runs the compiled modules; run `npm run setup`';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loader = require(BIN) as { bundleIsCurrent(): boolean };
  if (!loader.bundleIsCurrent()) return 'the bundle is older than dist/: bin/sescheck runs the compiled modules; run `npm run build`';
  return `bundle ${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB, code cache ${fs.existsSync(path.join(ROOT, 'dist', 'sescheck.cache')) ? `${(fs.statSync(path.join(ROOT, 'dist', 'sescheck.cache')).size / 1024).toFixed(0)} KiB` : 'missing'}`;
}

export function runStartupBench(rounds = Number(process.env.BENCH_RUNS ?? 21)): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('sescheck is not built: run `npm run setup`');
  console.log(`start-up: ${rounds} rounds of ${CASES.length} processes each (Node ${process.version}); ${bundleState()}`);
  for (const c of CASES) timeOnce(c); // warm the file cache
  const wall = new Map<Case, number[]>(CASES.map((c) => [c, []]));
  const cpu = new Map<Case, number[]>(CASES.map((c) => [c, []]));
  const ratio = new Map<Case, number[]>(CASES.map((c) => [c, []]));
  for (let round = 0; round < rounds; round++) {
    // A different case goes first in each round.
    const order = CASES.map((_, i) => CASES[(i + round) % CASES.length]);
    const times = new Map(order.map((c) => [c, timeOnce(c)]));
    for (const [c, time] of times) {
      wall.get(c)?.push(time.wallMs);
      if (time.cpuMs !== undefined) cpu.get(c)?.push(time.cpuMs);
      ratio.get(c)?.push(time.wallMs / (times.get(FLOOR)?.wallMs ?? NaN));
    }
  }
  const rows = CASES.map((c) => [
    c.name,
    `${(median(wall.get(c) ?? []) / 1000).toFixed(3)} s`,
    `${(Math.min(...(wall.get(c) ?? [])) / 1000).toFixed(3)} s`,
    (cpu.get(c) ?? []).length > 0 ? `${(median(cpu.get(c) ?? []) / 1000).toFixed(2)} s` : '-',
    c === FLOOR ? '1' : `${median(ratio.get(c) ?? []).toFixed(2)}x`,
  ]);
  const header = ['case', 'wall median', 'min', 'cpu median', 'x floor (median)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  const plan = CASES[1];
  const planMedian = median(wall.get(plan) ?? []) / 1000;
  const planRatio = median(ratio.get(plan) ?? []);
  console.log(
    `goal (#11): a small plan under ${GOAL_SECONDS} s and within ${GOAL_RATIO}x the floor: ` +
      `${planMedian.toFixed(3)} s (${planMedian < GOAL_SECONDS ? 'met' : 'not met'}), ${planRatio.toFixed(2)}x (${planRatio <= GOAL_RATIO ? 'met' : 'not met'}); ` +
      'wall time on a busy machine says little: look at the ratio and the CPU time',
  );
  console.log(`reproduce one row: hyperfine -N -w 3 -r ${rounds} 'node bin/sescheck plan ${PLAN}' "node -e \\"JSON.parse(require('fs').readFileSync('${PLAN}', 'utf8'))\\""`);
}

if (require.main === module) {
  try {
    runStartupBench();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
