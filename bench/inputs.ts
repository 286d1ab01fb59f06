/**
 * Benchmark of the input shapes that used to blow up (not a test): each case writes its input to a
 * temp directory and times the stages, in its own process, with the peak RSS.
 *
 *   npm run bench:inputs                   every case
 *   npm run bench:inputs -- identities     30k SES identities in one plan (BENCH_COUNT), each with
 *                                          notification topics and feedback attributes: read, map, evaluate
 *   npm run bench:inputs -- hcl            100k resources in one .tf file (BENCH_COUNT): the line finder
 *   npm run bench:inputs -- tfjson         100k resources in one .tf.json file (BENCH_COUNT)
 *   npm run bench:inputs -- huge           a plan above V8's largest string (BENCH_MB, default 1024): parsed in parts
 *   BENCH_TIMEOUT=seconds (default 600)
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PolicyEngine } from '../src/engine/evaluate';
import { defaultSettings } from '../src/engine/settings';
import { readConfigPath } from '../src/inputs/config';
import { UNREAD, readPlanFile, walkedChange } from '../src/inputs/plan';
import { readInputBytes } from '../src/inputs/read-input';
import { parseJsonBytes } from '../src/inputs/read-json';
import { planInstances } from '../src/inputs/terraform/plan-instances';
import { normalizeInstances } from '../src/inputs/terraform/resources';
import { postureProblems } from '../src/posture/validate';
import { runCaseInChild } from './run-case';
import { writeScaledPlan } from './scale-plan';

type Json = Record<string, unknown>;

const CASES = ['identities', 'hcl', 'tfjson', 'huge'] as const;
const template = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'inputs', 'plan-compliant.json'), 'utf8')) as Json;
const planned = ((template.planned_values as Json).root_module as Json).resources as Json[];
const changes = template.resource_changes as Json[];
const configured = ((template.configuration as Json).root_module as Json).resources as Json[];
const IDENTITY = ['aws_sesv2_email_identity.example', 'aws_ses_identity_notification_topic.bounce', 'aws_ses_identity_notification_topic.complaint', 'aws_sesv2_email_identity_feedback_attributes.example'];

const seconds = (since: bigint): string => `${(Number(process.hrtime.bigint() - since) / 1e9).toFixed(1)} s`;
/** CPU time (user + system) since `since`: less moved by other work on a shared machine than wall time. */
const cpuSeconds = (since: NodeJS.CpuUsage): string => {
  const { user, system } = process.cpuUsage(since);
  return `${((user + system) / 1e6).toFixed(1)} s`;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function writer(file: string): { write: (text: string) => Promise<void>; end: () => Promise<void> } {
  const out = fs.createWriteStream(file);
  return {
    write: (text) => new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve))),
    end: () => new Promise((resolve) => out.end(resolve)),
  };
}

/** The compliant fixture with its identity (and the identity's topics and feedback attributes) copied `count` times. */
export async function writeIdentitiesPlan(file: string, count: number): Promise<void> {
  const out = writer(file);
  const copy = (item: Json, i: number): string =>
    JSON.stringify(item).replace(/(aws_sesv2_email_identity|aws_ses_identity_notification_topic|aws_sesv2_email_identity_feedback_attributes)\.(example|bounce|complaint)/g, `$1.$2_${i}`)
      .replace(/"name":"(example|bounce|complaint)"/, `"name":"$1_${i}"`).split('example.com').join(`mail${i}.example.com`);
  const section = async (items: Json[]): Promise<void> => {
    await out.write(items.map((item) => JSON.stringify(item)).join(','));
    const identity = items.filter((item) => IDENTITY.includes(String(item.address ?? `${String(item.type)}.${String(item.name)}`)));
    for (let i = 0; i < count; i++) await out.write(`,${identity.map((item) => copy(item, i)).join(',')}`);
  };
  await out.write('{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{"root_module":{"resources":[');
  await section(planned);
  await out.write(']}},"resource_changes":[');
  await section(changes);
  await out.write(`],"configuration":{"provider_config":${JSON.stringify((template.configuration as Json).provider_config)},"root_module":{"resources":[`);
  await section(configured);
  await out.write(']}},"errored":false}');
  await out.end();
}

/** Lines printed as they come (a stage that does not end still shows the ones before it). */
function progress(first: string): string[] {
  console.log(first);
  const lines: string[] = [];
  lines.push = (...items: string[]): number => {
    for (const item of items) console.log(item);
    return 0;
  };
  return lines;
}

async function identities(directory: string): Promise<string[]> {
  const count = Number(process.env.BENCH_COUNT ?? 30_000);
  const file = path.join(directory, 'plan.json');
  await writeIdentitiesPlan(file, count);
  const lines = progress(`case identities: ${count} identities, plan ${mb(fs.statSync(file).size)}`);
  let started = process.hrtime.bigint();
  const document = parseJsonBytes(await readInputBytes(file), file) as Json;
  lines.push(`  read + parse: ${seconds(started)}`);
  started = process.hrtime.bigint();
  const set = planInstances(document, 'plan');
  lines.push(`  plan instances (references, regions): ${seconds(started)}`);
  started = process.hrtime.bigint();
  const posture = normalizeInstances(set, { kind: 'plan', path: file });
  lines.push(`  map + link (posture): ${seconds(started)} (${posture.identities.length} identities)`);
  started = process.hrtime.bigint();
  const problems = postureProblems(posture);
  if (problems.length) throw new Error(problems.slice(0, 3).join('; '));
  lines.push(`  posture schema validation: ${seconds(started)}`);
  const engine = await PolicyEngine.load();
  started = process.hrtime.bigint();
  const evaluation = engine.evaluate(posture, defaultSettings());
  lines.push(`  evaluate (wasm): ${seconds(started)} (${evaluation.findings.length} findings)`);
  return lines;
}

async function hcl(directory: string): Promise<string[]> {
  const count = Number(process.env.BENCH_COUNT ?? 100_000);
  const file = path.join(directory, 'main.tf');
  const out = writer(file);
  await out.write('provider "aws" {\n  region = "eu-west-1"\n}\n\n');
  for (let i = 0; i < count; i += 1000) {
    const chunk: string[] = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      chunk.push(j % 2 ? `resource "aws_cloudwatch_log_group" "group_${j}" {\n  name              = "group-${j}"\n  retention_in_days = 400\n}\n` : `resource "aws_instance" "app_${j}" {\n  ami           = "ami-0123456789abcdef0"\n  instance_type = "t3.micro"\n}\n`);
    }
    await out.write(chunk.join('\n'));
  }
  await out.end();
  const started = process.hrtime.bigint();
  const [posture] = await readConfigPath(file);
  const lastLine = posture.log_groups[posture.log_groups.length - 1]?.location?.line;
  return [`case hcl: ${count} resources, ${mb(fs.statSync(file).size)}`, `  read + convert + map (line finder included): ${seconds(started)} (${posture.log_groups.length} log groups, last at line ${lastLine})`];
}

async function tfjson(directory: string): Promise<string[]> {
  const count = Number(process.env.BENCH_COUNT ?? 100_000);
  const file = path.join(directory, 'main.tf.json');
  const groups: Json = {};
  for (let i = 0; i < count; i++) groups[`group_${i}`] = { name: `group-${i}`, retention_in_days: 400 };
  fs.writeFileSync(file, JSON.stringify({ provider: { aws: { region: 'eu-west-1' } }, resource: { aws_cloudwatch_log_group: groups } }, null, 2));
  const started = process.hrtime.bigint();
  const [posture] = await readConfigPath(file);
  const lastLine = posture.log_groups[posture.log_groups.length - 1]?.location?.line;
  return [`case tfjson: ${count} resources, ${mb(fs.statSync(file).size)}`, `  read + parse + map (line finder included): ${seconds(started)} (last at line ${lastLine})`];
}

/**
 * A plan above V8's largest string (BENCH_MB, default 1024): the benchmark's account
 * (bench/base-plan.json) scaled by tenants, so names are unique as in a real account. Read,
 * parsed in parts, mapped.
 */
async function huge(directory: string): Promise<string[]> {
  const megabytes = Number(process.env.BENCH_MB ?? 1024);
  const file = path.join(directory, 'plan.json');
  const { instances } = writeScaledPlan(file, { megabytes });
  const lines = progress(`case huge: plan ${mb(fs.statSync(file).size)}, ${instances} resource instances`);
  // First the CLI's own read, so that the peak RSS is the CLI's; then the stages one by one.
  let started = process.hrtime.bigint();
  let cpu = process.cpuUsage();
  await readPlanFile(file);
  lines.push(`  readPlanFile (read + parse in parts + nesting and shape checks + map), as the CLI calls it: ${seconds(started)}, CPU ${cpuSeconds(cpu)}, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
  started = process.hrtime.bigint();
  cpu = process.cpuUsage();
  const bytes = await readInputBytes(file);
  lines.push(`  read: ${seconds(started)}, CPU ${cpuSeconds(cpu)}`);
  started = process.hrtime.bigint();
  cpu = process.cpuUsage();
  const document = parseJsonBytes(bytes, file, { dropTopLevel: UNREAD, trimElements: { resource_changes: walkedChange } }) as Json;
  lines.push(`  parse in parts (no string of the whole plan): ${seconds(started)}, CPU ${cpuSeconds(cpu)}`);
  started = process.hrtime.bigint();
  cpu = process.cpuUsage();
  const set = planInstances(document, 'plan');
  lines.push(`  plan instances: ${seconds(started)}, CPU ${cpuSeconds(cpu)}`);
  started = process.hrtime.bigint();
  cpu = process.cpuUsage();
  const posture = normalizeInstances(set, { kind: 'plan', path: file });
  lines.push(`  map + link (posture): ${seconds(started)}, CPU ${cpuSeconds(cpu)} (${posture.identities.length} identities, ${posture.configuration_sets.length} configuration sets)`);
  return lines;
}

async function runCase(name: (typeof CASES)[number]): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-bench-inputs-'));
  try {
    const lines = await { identities, hcl, tfjson, huge }[name](directory);
    lines.push(`  peak RSS: ${mb(process.resourceUsage().maxRSS * 1024)}`);
    console.log(lines.join('\n'));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [, , role, name] = process.argv;
  if (role === '--case') return runCase(name as (typeof CASES)[number]);
  const cases = role ? [role] : [...CASES];
  const timeout = Number(process.env.BENCH_TIMEOUT ?? 600) * 1000;
  for (const name of cases) {
    if (!(CASES as readonly string[]).includes(name)) throw new Error(`unknown case ${name}: ${CASES.join(', ')}`);
    const started = process.hrtime.bigint();
    await runCaseInChild(__filename, name, timeout, [...process.execArgv, '--max-old-space-size=8192']);
    console.log(`  end to end (incl. writing the input): ${seconds(started)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
