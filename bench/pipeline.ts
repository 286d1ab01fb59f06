/**
 * Benchmark (not a test): builds large Terraform plans in a temp directory from the compliant
 * fixture and times each stage of `sescheck plan` (read + normalize + validate, evaluate in wasm,
 * build + render the JSON report), with the peak RSS of each case (each case runs in its own
 * process).
 *
 *   npm run bench                  the realistic, stress and compare cases
 *   npm run bench -- realistic     (a) 200 MB plan, mostly resources sescheck ignores
 *   npm run bench -- stress        (b) 5 MB plan of fixture copies (many trails)
 *   npm run bench -- reporters     (c) every report format on BENCH_FINDINGS (default 6000) failing
 *                                  findings: each should take about as long as JSON (linear)
 *   npm run bench -- startup       start-up on the examples against Node's floor (bench/startup.ts)
 *   npm run bench -- compare       (d) sescheck beside the JSON.parse floor, opa eval, conftest and
 *                                  Checkov on plans of 1k, 10k and 50k resource instances (bench/compare.ts)
 *   npm run bench -- stages        (e) where the time of one run goes at 10k (bench/compare.ts)
 *   BENCH_MB=50 npm run bench -- stress   another size; BENCH_TIMEOUT=seconds (default 600);
 *   BENCH_WASM=path/policy.wasm           another policy bundle (e.g. one built before a change)
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PolicyEngine } from '../src/engine/evaluate';
import { defaultSettings } from '../src/engine/settings';
import { readPlanFile } from '../src/inputs/plan';
import { postureProblems } from '../src/posture/validate';
import { jsonReporter } from '../src/report/json';
import { buildScanResult } from '../src/results/build';
import { FORMATS, reporterFor } from '../src/report/reporter';
import { emptyPosture, type Posture } from '../src/posture/types';
import { CASES as COMPARE_CASES } from './compare';
import { runCaseInChild } from './run-case';
import { runStartupBench } from './startup';

type Json = Record<string, unknown>;

const template = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'inputs', 'plan-compliant.json'), 'utf8')) as Json;
const planned = ((template.planned_values as Json).root_module as Json).resources as Json[];
const changes = template.resource_changes as Json[];
const configured = ((template.configuration as Json).root_module as Json).resources as Json[];

/** A group of fixture resources copied together: addresses renamed, string literals made unique. */
interface Unit {
  addresses: string[];
  /** Address (type.name) -> new name, for the unit's own resources and those it references. */
  names: Map<string, string>;
  /** Literal substring replacements (bucket, log group, stream, configuration set names). */
  literals: [string, string][];
}

function copyOf(resource: Json, unit: Unit): string {
  let text = JSON.stringify(resource).replace(/"(aws_[a-z0-9_]+)\.([a-z0-9_]+)/g, (match, type: string, name: string) => {
    const renamed = unit.names.get(`${type}.${name}`);
    return renamed === undefined ? match : `"${type}.${renamed}`;
  });
  const own = unit.names.get(`${String(resource.type)}.${String(resource.name)}`);
  if (own !== undefined) text = text.replace(`"name":"${String(resource.name)}"`, `"name":"${own}"`);
  for (const [from, to] of unit.literals) text = text.split(from).join(to);
  return text;
}

function unit(addresses: string[], suffix: string, references: [string, string][], literals: [string, string][]): Unit {
  const names = new Map<string, string>(addresses.map((address) => [address, `${address.split('.')[1]}_${suffix}`]));
  for (const [address, name] of references) names.set(address, name);
  return { addresses, names, literals };
}

const TRAIL = ['aws_iam_role.trail_logs', 'aws_kms_key.trail', 'aws_s3_bucket.trail', 'aws_s3_bucket_public_access_block.trail', 'aws_s3_bucket_lifecycle_configuration.trail', 'aws_cloudwatch_log_group.trail', 'aws_cloudtrail.ses'];
const STREAM = ['aws_s3_bucket.events', 'aws_s3_bucket_public_access_block.events', 'aws_s3_bucket_lifecycle_configuration.events', 'aws_cloudwatch_log_group.firehose_errors', 'aws_iam_role.firehose', 'aws_kinesis_firehose_delivery_stream.ses_events'];
const CONFIGURATION_SET = ['aws_sesv2_configuration_set.main', 'aws_sesv2_configuration_set_event_destination.firehose'];
const IDENTITY = ['aws_sesv2_email_identity.example', 'aws_ses_identity_notification_topic.bounce', 'aws_ses_identity_notification_topic.complaint', 'aws_sesv2_email_identity_feedback_attributes.example'];
const UNRELATED_STORAGE = ['aws_s3_bucket.events', 'aws_s3_bucket_public_access_block.events', 'aws_cloudwatch_log_group.firehose_errors'];

/** (a) What makes real plans large: 5 trails, 70 Firehose streams shared by 200 configuration sets, 2000 identities, 150 buckets and log groups outside the logging path, and ~200 MB of resources sescheck ignores. */
function realisticUnits(): Unit[] {
  const units: Unit[] = [unit(['aws_sns_topic.feedback'], 'shared', [], [])];
  for (let i = 0; i < 5; i++) units.push(unit(TRAIL, `t${i}`, [], [['ses-data-events', `ses-data-events-${i}`], ['ses-trail-', `ses-trail-${i}-`]]));
  for (let i = 0; i < 70; i++) units.push(unit(STREAM, `s${i}`, [], [['ses-events', `ses-events-${i}`]]));
  for (let i = 0; i < 200; i++) {
    units.push(unit(CONFIGURATION_SET, `cs${i}`, [['aws_kinesis_firehose_delivery_stream.ses_events', `ses_events_s${i % 70}`]], [['ses-logging', `ses-logging-${i}`]]));
  }
  for (let i = 0; i < 2000; i++) {
    units.push(unit(IDENTITY, `i${i}`, [['aws_sesv2_configuration_set.main', `main_cs${i % 200}`], ['aws_sns_topic.feedback', 'feedback_shared']], [['ses-logging', `ses-logging-${i % 200}`], ['example.com', `mail${i}.example.com`]]));
  }
  for (let i = 0; i < 150; i++) units.push(unit(UNRELATED_STORAGE, `u${i}`, [], [['ses-events', `app-data-${i}`]]));
  return units;
}

/** (b) The stress shape of test/inputs/bench-plan.ts: the whole fixture copied (a trail per copy). */
function stressUnits(megabytes: number): Unit[] {
  const all = planned.map((r) => `${String(r.type)}.${String(r.name)}`);
  const perCopy = JSON.stringify(planned).length + JSON.stringify(changes).length + JSON.stringify(configured).length;
  const copies = Math.max(1, Math.ceil((megabytes * 1024 * 1024) / perCopy));
  return Array.from({ length: copies }, (_, i) => unit(all, `c${i}`, [], [['ses-logging', `ses-logging-${i}`], ['example.com', `mail${i}.example.com`], ['ses-events', `ses-events-${i}`], ['ses-data-events', `ses-data-events-${i}`], ['ses-trail-', `ses-trail-${i}-`]]));
}

/** A resource sescheck ignores, with the large attribute values real ones carry (policies, user data, rules). */
function ignored(index: number): { planned: Json; change: Json; configured: Json } {
  const type = ['aws_instance', 'aws_security_group', 'aws_iam_role'][index % 3];
  const name = `app_${index}`;
  const statements = Array.from({ length: 40 }, (_, s) => ({ Sid: `S${s}`, Effect: 'Allow', Action: [`s3:GetObject`, `s3:PutObject`, `kms:Decrypt`], Resource: [`arn:aws:s3:::app-bucket-${index}-${s}/*`] }));
  const values: Json =
    type === 'aws_instance'
      ? { ami: 'ami-0123456789abcdef0', instance_type: 'm5.large', user_data: `#!/bin/bash\n${'echo configuring the application server; '.repeat(150)}`, tags: { Name: name, team: 'platform' }, root_block_device: [{ volume_size: 100, volume_type: 'gp3', encrypted: true }] }
      : type === 'aws_security_group'
        ? { name, description: 'application', ingress: Array.from({ length: 60 }, (_, r) => ({ from_port: 1000 + r, to_port: 1000 + r, protocol: 'tcp', cidr_blocks: [`10.${r}.0.0/16`, `172.16.${r}.0/24`], description: `service port ${r}` })), egress: [], tags: { Name: name } }
        : { name, assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }), inline_policy: [{ name: 'app', policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }], path: '/', tags: { Name: name } };
  const address = `${type}.${name}`;
  return {
    planned: { address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 1, values, sensitive_values: {} },
    change: { address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', change: { actions: ['create'], before: null, after: values, after_unknown: { id: true, arn: true }, before_sensitive: false, after_sensitive: {} } },
    configured: { address, mode: 'managed', type, name, provider_config_key: 'aws', expressions: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { constant_value: value }])), schema_version: 1 },
  };
}

async function writePlan(file: string, units: Unit[], totalMegabytes: number): Promise<void> {
  const out = fs.createWriteStream(file);
  let written = 0;
  const write = (text: string): Promise<void> => {
    written += text.length;
    return new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  };
  const byAddress = (items: Json[]) => new Map(items.map((item) => [String(item.address ?? `${String(item.type)}.${String(item.name)}`), item]));
  const sections: [string, Map<string, Json>, 'planned' | 'change' | 'configured'][] = [
    ['{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{"root_module":{"resources":[', byAddress(planned), 'planned'],
    [']}},"resource_changes":[', byAddress(changes), 'change'],
    [`],"configuration":{"provider_config":${JSON.stringify((template.configuration as Json).provider_config)},"root_module":{"resources":[`, byAddress(configured), 'configured'],
  ];
  // The ignored resources fill what the units leave of the target size, split over the three sections.
  const sample = ignored(0);
  const perIgnored = JSON.stringify(sample.planned).length + JSON.stringify(sample.change).length + JSON.stringify(sample.configured).length;
  let unitBytes = 0;
  for (const u of units) for (const [, items] of sections) for (const a of u.addresses) unitBytes += items.has(a) ? JSON.stringify(items.get(a)).length : 0;
  const ignoredCount = Math.max(0, Math.ceil((totalMegabytes * 1024 * 1024 - unitBytes) / perIgnored));
  for (const [opening, items, part] of sections) {
    await write(opening);
    let first = true;
    for (const u of units) {
      const chunk = u.addresses.filter((a) => items.has(a)).map((a) => copyOf(items.get(a) as Json, u));
      if (chunk.length === 0) continue;
      await write((first ? '' : ',') + chunk.join(','));
      first = false;
    }
    for (let i = 0; i < ignoredCount; i++) {
      await write((first ? '' : ',') + JSON.stringify(ignored(i)[part]));
      first = false;
    }
  }
  await write(']}},"errored":false}');
  await new Promise<void>((resolve) => out.end(resolve));
  void written;
}

const seconds = (since: bigint): string => `${(Number(process.hrtime.bigint() - since) / 1e9).toFixed(1)} s`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** (c) Many findings: configuration sets that let TLS be optional, each one failing finding or more. */
async function reportersCase(): Promise<void> {
  const count = Number(process.env.BENCH_FINDINGS ?? 6000);
  const posture: Posture = {
    ...emptyPosture({ kind: 'plan', path: 'bench-plan.json' }),
    configuration_sets: Array.from({ length: count }, (_, i) => ({
      id: `aws_sesv2_configuration_set.set_${i}`,
      account: null,
      region: 'eu-west-1',
      location: { file: 'ses.tf', line: i + 1 },
      unknown: {},
      name: `set-${i}`,
      api: 'v2' as const,
      tls_policy: 'OPTIONAL' as const,
      event_destinations: [],
    })),
  };
  const settings = defaultSettings();
  const engine = await PolicyEngine.load(process.env.BENCH_WASM);
  const catalog = engine.catalog(settings);
  const evaluation = engine.evaluate(posture, settings);
  const result = buildScanResult([{ posture, evaluation }], {
    input: { kind: 'plan', path: posture.source.path },
    toolVersion: 'bench',
    catalog,
    ruleIds: new Set(catalog.map((rule) => rule.id)),
    waivers: [],
    now: new Date(),
  });
  const lines = [`case reporters: ${result.report.findings.length} findings, ${result.checked.length} checked targets`];
  for (const format of FORMATS) {
    const started = process.hrtime.bigint();
    const text = (await reporterFor(format)).render(result, { color: false, width: 80, cwd: process.cwd() });
    lines.push(`  render ${format}: ${seconds(started)} (${mb(text.length)})`);
  }
  console.log(lines.join('\n'));
}

async function runCase(name: string): Promise<void> {
  if (name === 'reporters') return reportersCase();
  if (Object.hasOwn(COMPARE_CASES, name)) return COMPARE_CASES[name as keyof typeof COMPARE_CASES]();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-bench-'));
  const file = path.join(directory, 'plan.json');
  try {
    const megabytes = Number(process.env.BENCH_MB ?? (name === 'realistic' ? 200 : 5));
    await writePlan(file, name === 'realistic' ? realisticUnits() : stressUnits(megabytes), name === 'realistic' ? megabytes : 0);
    const lines = [`case ${name}: plan ${mb(fs.statSync(file).size)}`];
    let started = process.hrtime.bigint();
    const posture = await readPlanFile(file);
    const problems = postureProblems(posture);
    if (problems.length > 0) throw new Error(`posture does not match the schema: ${problems.slice(0, 3).join('; ')}`);
    lines.push(`  posture: ${posture.trails.length} trails, ${posture.identities.length} identities, ${posture.configuration_sets.length} configuration sets, ${posture.s3_buckets.length} buckets, ${posture.log_groups.length} log groups, ${posture.firehose_streams.length} Firehose streams`);
    lines.push(`  read + normalize + validate: ${seconds(started)}`);
    const settings = defaultSettings();
    const engine = await PolicyEngine.load(process.env.BENCH_WASM);
    const catalog = engine.catalog(settings);
    started = process.hrtime.bigint();
    const evaluation = engine.evaluate(posture, settings);
    lines.push(`  evaluate (wasm): ${seconds(started)} (${evaluation.findings.length} findings, ${evaluation.checked.length} checked targets)`);
    started = process.hrtime.bigint();
    const result = buildScanResult([{ posture, evaluation }], {
      input: { kind: posture.source.kind, path: posture.source.path },
      toolVersion: 'bench',
      catalog,
      ruleIds: new Set(catalog.map((rule) => rule.id)),
      waivers: [],
      now: new Date(),
    });
    const text = jsonReporter.render(result, { color: false, width: 80, cwd: process.cwd() });
    lines.push(`  build + render JSON report: ${seconds(started)} (${mb(text.length)})`);
    lines.push(`  peak RSS: ${mb(process.resourceUsage().maxRSS * 1024)}`);
    console.log(lines.join('\n'));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [, , role, name] = process.argv;
  if (role === '--case' && name) return runCase(name);
  if (role === 'startup') return runStartupBench();
  const cases = role ? [role] : ['realistic', 'stress', 'compare'];
  const timeout = Number(process.env.BENCH_TIMEOUT ?? 600) * 1000;
  for (const name of cases) {
    if (!['realistic', 'stress', 'reporters', ...Object.keys(COMPARE_CASES)].includes(name)) throw new Error(`unknown case ${name}: realistic, stress, reporters, compare or stages`);
    const started = process.hrtime.bigint();
    // The comparison runs other tools for minutes: no limit of its own unless BENCH_TIMEOUT says.
    await runCaseInChild(__filename, name, name === 'compare' && process.env.BENCH_TIMEOUT === undefined ? 24 * 3600 * 1000 : timeout);
    console.log(`  end to end (incl. generating the plan): ${seconds(started)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
