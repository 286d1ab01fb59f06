/**
 * One reference setup (test/posture/differential/reference-setup.ts), produced three ways: a real
 * `terraform show -json` plan of it, its Terraform JSON read by `sescheck config`, and moto seeded
 * with it through the AWS SDK and read by the live collectors. The three posture documents must
 * be equal, object by object and value by value, except for what differs by nature: ids (a
 * Terraform address, an ARN), locations, and the facts listed in BY_NATURE, each with its reason.
 *
 * What moto (5.2.5) cannot hold, answered from the same description in the shapes of the AWS API
 * references (differential/moto.ts): SES v2 event destinations (no GetConfigurationSetEventDestinations),
 * the WorkMail organization (no WorkMail API), CloudTrail Lake and SES multi-region endpoints (none
 * in the setup); and where moto answers otherwise than AWS: GetIdentityNotificationAttributes without
 * the topic ARNs, GetEventSelectors without CloudTrail's default selector. KMS is never read live.
 */
import assert from 'node:assert/strict';
import fs from 'fs';
import path from 'path';
import { readConfigPath } from '../../src/inputs/config';
import { readPlanFile } from '../../src/inputs/plan';
import { collectAccount } from '../../src/live/collect-account';
import type { Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';
import { startMoto, type MotoServer } from '../live/moto';
import { answerMotoGaps, seedMoto } from './differential/moto';
import { COLLECTIONS, canonical, type Item } from './differential/normalize';
import { ACCOUNT, REFERENCE_SETUP, REGION, type ReferenceSetup } from './differential/reference-setup';
import { terraformJsonText } from './differential/terraform';
import { CONFIG_FILE } from './differential/write-config';

const PLAN_FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'inputs', 'plan-differential-provider5.json');

type Producer = 'plan' | 'config' | 'live';
type Json = Item[keyof Item];
type Document = Record<string, Json>;

/** A fact whose value differs by nature between the producers named and the others. */
interface ByNature {
  /** collection, collection.field, or a nested path (configuration_sets.event_destinations.firehose_stream_arn). */
  path: string;
  /** The producers whose value cannot be the others'. */
  producers: Producer[];
  reason: string;
  /** Only these items of the array at path (the rest is compared). */
  where?: (item: Item) => boolean;
}

const TERRAFORM: Producer[] = ['plan', 'config'];
const AFTER_APPLY = 'an ARN is known only after apply: Terraform leaves it null and names it in unknown; live reads what apply made';
const BY_REFERENCE = 'the raw value is an attribute known only after apply: Terraform leaves it null and links the object by reference; the link, compared, names the same object';
const NO_KMS_READ = 'live reads no KMS key: a trail names its key by ARN (kms_key_id), which is what the rules need; Terraform links the aws_kms_key';

export const BY_NATURE: ByNature[] = [
  ...['trails', 's3_buckets', 'log_groups', 'firehose_streams', 'delivery_destinations'].map((collection) => ({ path: `${collection}.arn`, producers: TERRAFORM, reason: AFTER_APPLY })),
  ...[
    'trails.s3_bucket_name', 'trails.log_group_arn', 'trails.kms_key_id', 'firehose_streams.s3_bucket_arn',
    'configuration_sets.event_destinations.firehose_stream_arn', 'delivery_destinations.destination_resource_arn',
    'deliveries.delivery_destination_arn', 'event_buses.rules.targets.arn',
  ].map((field) => ({ path: field, producers: TERRAFORM, reason: BY_REFERENCE })),
  { path: 'kms_keys', producers: ['live'], reason: NO_KMS_READ },
  { path: 'trails.kms_key', producers: ['live'], reason: NO_KMS_READ },
  { path: 'configuration_sets.api', producers: ['live'], reason: 'live reads every configuration set through SES v2, whichever API created it' },
  { path: 'identities.api', producers: ['live'], reason: 'live reads every identity through SES v2, whichever API created it' },
  { path: 'identities.can_send', producers: TERRAFORM, reason: 'whether SES verified an identity (DNS, the mail link) is never in a Terraform input' },
  { path: 's3_buckets.public_access_block_source', producers: ['live'], reason: 'where the settings come from: an aws_s3_bucket_public_access_block (resource) or GetPublicAccessBlock (live)' },
  {
    path: 'event_buses.complete',
    producers: TERRAFORM,
    reason: 'Terraform does not own the default bus, so archives and rules may exist outside the input (false); live listed them all (true)',
  },
  {
    path: 'event_buses.rules',
    where: (rule) => typeof rule.name === 'string' && rule.name.startsWith('Events-Archive-'),
    producers: ['live'],
    reason: 'EventBridge creates a managed rule Events-Archive-<name> with each archive (EventBridge User Guide, "Deleting event archives"); no Terraform input declares it',
  },
  {
    path: 'workmail_organizations',
    producers: TERRAFORM,
    reason: 'AWS provider 5.100 has no aws_workmail_organization: the configuration names the organization by ARN only. Live lists it (moto has no WorkMail API: its answer comes from the description)',
  },
];

/** Whether a fact is set aside when comparing two producers: exactly one of them cannot have the other's value. */
function appliesTo(fact: ByNature, a: Producer, b: Producer): boolean {
  return fact.producers.includes(a) !== fact.producers.includes(b);
}

/** Calls `leaf` with each object holding the last segment of the path. */
function visit(node: Json | Document, segments: string[], leaf: (parent: Document, key: string) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, segments, leaf);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const [head, ...rest] = segments;
  if (rest.length === 0) leaf(node as Document, head);
  else visit((node as Document)[head], rest, leaf);
}

/** The values a fact covers, with their unknown entries, in document order. */
function valuesOf(document: Document, fact: ByNature): string[] {
  const values: string[] = [];
  visit(document, fact.path.split('.'), (parent, key) => {
    const value = fact.where ? ((parent[key] ?? []) as Item[]).filter(fact.where) : parent[key];
    values.push(JSON.stringify([value, (parent.unknown as Document | undefined)?.[key] ?? null]));
  });
  return values;
}

function setAside(document: Document, fact: ByNature): void {
  visit(document, fact.path.split('.'), (parent, key) => {
    if (fact.where) {
      parent[key] = ((parent[key] ?? []) as Item[]).filter((item) => !(fact.where as (item: Item) => boolean)(item));
      return;
    }
    delete parent[key];
    const unknown = parent.unknown as Document | undefined;
    if (unknown && typeof unknown === 'object') delete unknown[key];
  });
}

/**
 * A Terraform input names no account: null is the account whose credentials apply it (unless
 * unknown.account says it may be another). The setup is applied in moto's account.
 */
function appliedIn(posture: Posture, account: string): Posture {
  const copy = JSON.parse(JSON.stringify(posture)) as Posture;
  for (const collection of COLLECTIONS) {
    for (const object of (copy[collection] ?? []) as { account: string | null; unknown: Record<string, string> }[]) {
      if (object.account === null && !object.unknown.account) object.account = account;
    }
  }
  return copy;
}

/** The two documents as compared: canonical, without the facts that differ by nature between these two producers. */
function comparable(documents: Record<Producer, Posture>, a: Producer, b: Producer): [Document, Document] {
  const [left, right] = [canonical(documents[a]), canonical(documents[b])] as unknown as [Document, Document];
  for (const fact of BY_NATURE.filter((f) => appliesTo(f, a, b))) {
    setAside(left, fact);
    setAside(right, fact);
  }
  return [left, right];
}

/** The names (normalize.ts) of the posture objects the description makes. */
function describedObjects(setup: ReferenceSetup): string[] {
  return [
    ...setup.trails.map((t) => `trail ${t.name}`),
    ...setup.configurationSets.map((c) => `configuration set ${c.name}`),
    ...setup.identities.map((i) => `identity ${i.identity}`),
    ...setup.buckets.map((b) => `bucket ${b.name}`),
    `account public access block ${ACCOUNT}`,
    ...setup.logGroups.map((g) => `log group ${REGION}/${g.name}`),
    ...setup.streams.map((s) => `Firehose stream ${REGION}/${s.name}`),
    ...setup.workmail.deliveries.map((d) => `delivery source ${d.sourceName}`),
    ...new Set(setup.workmail.deliveries.map((d) => `delivery destination ${d.destinationName}`)),
    ...setup.workmail.deliveries.map((d) => `delivery from delivery source ${d.sourceName}`),
    `event bus ${REGION}/default`,
  ].sort();
}

const PAIRS: [Producer, Producer][] = [['plan', 'config'], ['plan', 'live'], ['config', 'live']];

describe('posture: one setup produced three ways (plan, Terraform JSON, moto) gives equal posture documents', function () {
  this.timeout(120_000);
  let moto: MotoServer | undefined;
  const documents = {} as Record<Producer, Posture>;

  before(async () => {
    documents.plan = appliedIn(await readPlanFile(PLAN_FIXTURE), ACCOUNT);
    documents.config = appliedIn((await readConfigPath(CONFIG_FILE))[0], ACCOUNT);
    moto = await startMoto();
    await seedMoto(moto.endpoint, REFERENCE_SETUP);
    documents.live = await collectAccount({
      regions: [REGION],
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      endpointUrl: moto.endpoint,
      maxAttempts: 1,
      hooks: { onClient: answerMotoGaps(REFERENCE_SETUP) },
    });
  });

  after(async () => {
    await moto?.stop();
  });

  it('reads the Terraform JSON generated from the description, and the plan terraform made of it', () => {
    assert.equal(fs.readFileSync(CONFIG_FILE, 'utf8'), terraformJsonText(REFERENCE_SETUP), 'run: node --import tsx test/posture/differential/write-config.ts');
    const plan = JSON.parse(fs.readFileSync(PLAN_FIXTURE, 'utf8')) as { resource_changes: { address: string }[] };
    const config = JSON.parse(terraformJsonText(REFERENCE_SETUP)) as { resource: Record<string, Record<string, unknown>> };
    const configured = Object.entries(config.resource).flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`));
    assert.deepEqual(plan.resource_changes.map((c) => c.address).sort(), configured.sort(), 'run: scripts/fixtures/regen-plan-fixtures.sh differential');
  });

  it('gives three schema-valid documents with nothing noted', () => {
    for (const producer of ['plan', 'config', 'live'] as const) {
      assert.deepEqual(postureProblems(documents[producer]), [], producer);
      assert.deepEqual(documents[producer].notes, [], `${producer}: every value read, every call answered`);
    }
  });

  for (const [a, b] of PAIRS) {
    it(`${a} and ${b}: equal posture documents, but for the facts that differ by nature`, () => {
      const [left, right] = comparable(documents, a, b);
      assert.deepStrictEqual(left, right);
      // Not vacuous: every object the description holds is compared.
      const compared = COLLECTIONS.filter((c) => c !== 'kms_keys' && c !== 'workmail_organizations').flatMap((c) => ((left[c] ?? []) as Item[]).map((o) => o.id));
      assert.deepEqual(compared.sort(), describedObjects(REFERENCE_SETUP));
    });
  }

  it('lists no fact that does not differ (each one is needed)', () => {
    const unneeded = BY_NATURE.filter((fact) => {
      return !PAIRS.some(([a, b]) => {
        if (!appliesTo(fact, a, b)) return false;
        const [left, right] = [canonical(documents[a]), canonical(documents[b])] as unknown as [Document, Document];
        return JSON.stringify(valuesOf(left, fact)) !== JSON.stringify(valuesOf(right, fact));
      });
    });
    assert.deepEqual(unneeded.map((fact) => fact.path), []);
  });

  it('notices one changed value anywhere: a selector default, a lifecycle rule, a link', () => {
    const changes: [Producer, (posture: Posture) => void][] = [
      ['config', (p) => { p.trails.find((t) => t.name === 'sescheck-diff-management')!.basic_event_selectors[0].read_write_type = 'ReadOnly'; }],
      ['live', (p) => { p.s3_buckets.find((b) => b.name === 'sescheck-diff-ses-events')!.lifecycle_rules[1].expiration_days = 36; }],
      ['plan', (p) => { p.deliveries[0].delivery_destination = null; }],
    ];
    for (const [producer, change] of changes) {
      const changed = { ...documents, [producer]: JSON.parse(JSON.stringify(documents[producer])) as Posture };
      change(changed[producer]);
      const other = producer === 'live' ? 'plan' : 'live';
      const [left, right] = comparable(changed, producer, other);
      assert.throws(() => assert.deepStrictEqual(left, right), `${producer} changed, ${other} not`);
    }
  });
});
