/**
 * Benchmark (not a test): generates a large synthetic plan in a temp directory from the compliant
 * fixture (its resources copied under new names, references renamed to match) and reports how long
 * readPlanFile takes and the peak memory.
 *
 *   npx tsx test/inputs/bench-plan.ts [megabytes, default 200]   (KEEP=1 keeps the generated plan)
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readPlanFile } from '../../src/inputs/plan';
import { postureProblems } from '../../src/posture/validate';

type Json = Record<string, unknown>;

function renamed(resource: Json, copy: number, names: Set<string>): Json {
  // Every `type.name` of the fixture becomes `type.name_cN`, in addresses and in references.
  const text = JSON.stringify(resource).replace(/"(aws_[a-z0-9_]+)\.([a-z0-9_]+)/g, (match, type: string, name: string) =>
    names.has(`${type}.${name}`) ? `"${type}.${name}_c${copy}` : match,
  ).replace(/"name":"([a-z0-9_]+)"/, (match, name: string) => (names.has(`${String(resource.type)}.${name}`) ? `"name":"${name}_c${copy}"` : match));
  return JSON.parse(text) as Json;
}

async function writeLargePlan(file: string, megabytes: number): Promise<number> {
  const template = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'inputs', 'plan-compliant.json'), 'utf8')) as Json;
  const planned = ((template.planned_values as Json).root_module as Json).resources as Json[];
  const changes = template.resource_changes as Json[];
  const configured = ((template.configuration as Json).root_module as Json).resources as Json[];
  const names = new Set(planned.map((r) => `${String(r.type)}.${String(r.name)}`));
  const perCopy = JSON.stringify(planned).length + JSON.stringify(changes).length + JSON.stringify(configured).length;
  const copies = Math.max(1, Math.ceil((megabytes * 1024 * 1024) / perCopy));
  const out = fs.createWriteStream(file);
  const write = (text: string): Promise<void> => new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  const section = async (items: Json[]): Promise<void> => {
    for (let copy = 0; copy < copies; copy++) {
      const chunk = items.map((item) => JSON.stringify(renamed(item, copy, names))).join(',');
      await write((copy ? ',' : '') + chunk);
    }
  };
  await write(`{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{"root_module":{"resources":[`);
  await section(planned);
  await write(']}},"resource_changes":[');
  await section(changes);
  await write(`],"configuration":{"provider_config":${JSON.stringify((template.configuration as Json).provider_config)},"root_module":{"resources":[`);
  await section(configured);
  await write(']}},"errored":false}');
  await new Promise<void>((resolve) => out.end(resolve));
  return copies * planned.length;
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 200);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-bench-'));
  const file = path.join(directory, 'plan.json');
  try {
    const resources = await writeLargePlan(file, megabytes);
    const size = fs.statSync(file).size;
    const started = process.hrtime.bigint();
    const posture = await readPlanFile(file);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const heapAfter = process.memoryUsage().heapUsed;
    const validated = process.hrtime.bigint();
    const problems = postureProblems(posture);
    const validateSeconds = Number(process.hrtime.bigint() - validated) / 1e9;
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    console.log(`plan: ${mb(size)}, ${resources} resources`);
    console.log(`read + parse + normalize: ${seconds.toFixed(1)} s; schema validation: ${validateSeconds.toFixed(1)} s (${problems.length} problems)`);
    console.log(`posture: ${posture.trails.length} trails, ${posture.s3_buckets.length} buckets, ${posture.configuration_sets.length} configuration sets`);
    console.log(`peak memory: rss ${mb(process.resourceUsage().maxRSS * 1024)}, heap in use after normalizing ${mb(heapAfter)}`);
  } finally {
    if (!process.env.KEEP) fs.rmSync(directory, { recursive: true, force: true }); else console.log(file);
  }
}

void main();
