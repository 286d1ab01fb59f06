import assert from 'node:assert/strict';
import fs from 'fs';
import { InputError } from '../../src/errors';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { planPosture } from '../../src/inputs/plan';
import type { Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';
import { assertValid, byId, fixture } from './helpers';

/**
 * Values no provider writes, in a plan made by hand: a list or an object where the provider gives
 * a string or a number, KMS aliases that name aliases, an event pattern nested past what the rules
 * parse. Each is read as data (unknown, with why, or no link), never a crash.
 */
type Json = Record<string, unknown>;

const REGION = 'us-east-1';
const resource = (type: string, name: string, values: Json): Json => ({ address: `${type}.${name}`, mode: 'managed', type, name, values: { region: REGION, ...values } });
const posture = (resources: Json[]): Posture => {
  const plan = { format_version: '1.2', terraform_version: '1.11.4', planned_values: { root_module: { resources } }, resource_changes: [] };
  return planPosture(Buffer.from(JSON.stringify(plan)), 'plan.json');
};

/** `{"source":["aws.ses"],"detail":{"a":{"a":...1}}}`, the detail `depth` levels deep, built as text. */
const deepPattern = (depth: number): string => `{"source":["aws.ses"],"detail":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

/**
 * A configuration set publishing to a bus the plan creates (so the input holds all its rules),
 * whose one rule has `pattern` and sends to a log group that keeps events 400 days.
 */
function eventBridgePlan(pattern: string): Json[] {
  const bus = `arn:aws:events:${REGION}:123456789012:event-bus/ses`;
  const group = `arn:aws:logs:${REGION}:123456789012:log-group:/aws/events/ses`;
  return [
    resource('aws_cloudwatch_event_bus', 'ses', { name: 'ses', arn: bus }),
    resource('aws_sesv2_configuration_set', 'cs', { configuration_set_name: 'cs' }),
    resource('aws_sesv2_configuration_set_event_destination', 'd', {
      configuration_set_name: 'cs',
      event_destination_name: 'd',
      event_destination: [{ enabled: true, matching_event_types: ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT'], event_bridge_destination: [{ event_bus_arn: bus }] }],
    }),
    resource('aws_cloudwatch_event_rule', 'r', { name: 'r', event_bus_name: 'ses', event_pattern: pattern, state: 'ENABLED' }),
    resource('aws_cloudwatch_event_target', 'logs', { rule: 'r', event_bus_name: 'ses', target_id: 'logs', arn: group }),
    resource('aws_cloudwatch_log_group', 'g', { name: '/aws/events/ses', arn: group, retention_in_days: 400 }),
  ];
}

/** The plan of eventBridgePlan, its bus created by the plan: the input holds every rule of it. */
function eventBridgePosture(pattern: string): Posture {
  const plan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: { resources: eventBridgePlan(pattern) } },
    resource_changes: [{ address: 'aws_cloudwatch_event_bus.ses', mode: 'managed', type: 'aws_cloudwatch_event_bus', name: 'ses', change: { actions: ['create'], after_unknown: {} } }],
  };
  return planPosture(Buffer.from(JSON.stringify(plan)), 'plan.json');
}

/** CS-003's finding for the configuration set. */
async function cs003(read: Posture): Promise<string> {
  const engine = await PolicyEngine.load();
  const finding = engine.evaluate(read, defaultSettings()).findings.find((f) => f.rule_id === 'CS-003');
  return `${finding?.status} ${finding?.message}`;
}

describe('inputs: values of the wrong shape in a hand-made plan', () => {
  it('reads a list or an object where a string belongs as unknown, saying which (String() of one throws or says "[object Object]")', () => {
    const read = posture([
      resource('aws_s3_bucket', 'b', { bucket: { toString: 1 } }),
      resource('aws_cloudwatch_log_group', 'g', { name: ['a', 'b'], retention_in_days: 400 }),
    ]);
    assertValid(read);
    const bucket = byId(read, 's3_buckets', 'aws_s3_bucket.b');
    assert.equal(bucket.name, null);
    assert.equal(bucket.unknown.name, 'not a string: an object');
    const group = byId(read, 'log_groups', 'aws_cloudwatch_log_group.g');
    assert.equal(group.name, null);
    assert.equal(group.unknown.name, 'not a string: a list');
    assert.equal(group.retention_in_days, 400);
  });

  it('reads a list where a number belongs as unknown ([400] is not 400), and a list of strings with an object in it as unknown', () => {
    const read = posture([
      resource('aws_cloudwatch_log_group', 'g', { name: 'g', retention_in_days: [400] }),
      resource('aws_sesv2_configuration_set', 'cs', { configuration_set_name: 'cs' }),
      resource('aws_sesv2_configuration_set_event_destination', 'd', {
        configuration_set_name: 'cs',
        event_destination_name: 'd',
        event_destination: [{ enabled: true, matching_event_types: ['SEND', { toString: 1 }], sns_destination: [{ topic_arn: 'arn:aws:sns:us-east-1:123456789012:t' }] }],
      }),
    ]);
    assertValid(read);
    const group = byId(read, 'log_groups', 'aws_cloudwatch_log_group.g');
    assert.equal(group.retention_in_days, null);
    assert.equal(group.unknown.retention_in_days, 'not an integer: a list');
    const [destination] = byId(read, 'configuration_sets', 'aws_sesv2_configuration_set.cs').event_destinations;
    assert.equal(destination.event_types, null);
    assert.equal(destination.unknown.event_types, 'not a list of strings: an item is an object');
    const whole = posture([
      resource('aws_sesv2_configuration_set', 'cs', { configuration_set_name: 'cs' }),
      resource('aws_sesv2_configuration_set_event_destination', 'd', {
        configuration_set_name: 'cs',
        event_destination_name: 'd',
        event_destination: [{ enabled: true, matching_event_types: { SEND: true }, sns_destination: [{ topic_arn: 'arn:aws:sns:us-east-1:123456789012:t' }] }],
      }),
    ]);
    assert.equal(byId(whole, 'configuration_sets', 'aws_sesv2_configuration_set.cs').event_destinations[0].unknown.event_types, 'not a list of strings: an object');
  });

  it('takes a child whose parent is named by an object for one that may belong to any parent, with why (not as one naming nothing)', () => {
    const read = posture([
      resource('aws_s3_bucket', 'b', { bucket: 'logs' }),
      resource('aws_s3_bucket_public_access_block', 'p', { bucket: { toString: 1 }, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    ]);
    assertValid(read);
    const bucket = byId(read, 's3_buckets', 'aws_s3_bucket.b');
    assert.equal(bucket.public_access_block, null);
    assert.equal(bucket.unknown.public_access_block, 'public access block aws_s3_bucket_public_access_block.p may belong to it: its bucket is unknown (not a string: an object)');
  });

  it('takes an identity without its name (the provider requires one) as unknown, kind included', () => {
    for (const name of [null, '']) {
      const read = posture([resource('aws_sesv2_email_identity', 'i', { email_identity: name })]);
      assertValid(read);
      const identity = byId(read, 'identities', 'aws_sesv2_email_identity.i');
      assert.deepEqual([identity.identity, identity.kind], [null, null]);
      assert.deepEqual(identity.unknown, { identity: 'not given (the provider requires it)', kind: 'not given (the provider requires it)' });
    }
  });

  it('follows a KMS alias to its key; an alias naming an alias (itself, a loop, a chain) names no key, as KMS takes a key only', () => {
    const trail = (name: string, kmsKeyId: string): Json => resource('aws_cloudtrail', name, { name, s3_bucket_name: 'logs', kms_key_id: kmsKeyId });
    const read = posture([
      resource('aws_kms_key', 'k', { key_id: 'k-1', arn: 'arn:aws:kms:us-east-1:123456789012:key/k-1' }),
      resource('aws_kms_alias', 'good', { name: 'alias/good', target_key_id: 'k-1' }),
      resource('aws_kms_alias', 'self', { name: 'alias/self', target_key_id: 'alias/self' }),
      resource('aws_kms_alias', 'a', { name: 'alias/a', target_key_id: 'alias/b' }),
      resource('aws_kms_alias', 'b', { name: 'alias/b', target_key_id: 'alias/a' }),
      resource('aws_kms_alias', 'chained', { name: 'alias/chained', target_key_id: 'alias/good' }),
      trail('through-alias', 'alias/good'),
      trail('self', 'alias/self'),
      trail('loop', 'alias/a'),
      trail('chain', 'alias/chained'),
    ]);
    assertValid(read);
    assert.equal(byId(read, 'trails', 'aws_cloudtrail.through-alias').kms_key, 'aws_kms_key.k');
    assert.equal(byId(read, 'trails', 'aws_cloudtrail.self').kms_key, null);
    assert.equal(byId(read, 'trails', 'aws_cloudtrail.loop').kms_key, null);
    assert.equal(byId(read, 'trails', 'aws_cloudtrail.chain').kms_key, null);
  });

  it('reads every attribute of every resource of the compliant plan, given a value of the wrong shape, as data: a posture the schema accepts, then rules evaluated', async function () {
    this.timeout(120_000);
    const base = JSON.parse(fs.readFileSync(fixture('plan-compliant.json'), 'utf8')) as { planned_values: { root_module: { resources: { type: string; values: Json }[] } } };
    const shapes: unknown[] = [{ toString: 1, valueOf: 1 }, [{ toString: 1 }], [[['x']]], 12345, true, '', null, {}];
    const engine = await PolicyEngine.load();
    const settings = defaultSettings();
    const crashes: string[] = [];
    let runs = 0;
    base.planned_values.root_module.resources.forEach((original, index) => {
      for (const attribute of Object.keys(original.values)) {
        for (const shape of shapes) {
          const plan = structuredClone(base);
          plan.planned_values.root_module.resources[index].values[attribute] = shape;
          const what = `${original.type}.${attribute} = ${JSON.stringify(shape)}`;
          runs++;
          try {
            const read = planPosture(Buffer.from(JSON.stringify(plan)), 'plan.json');
            const problems = postureProblems(read);
            if (problems.length > 0) crashes.push(`${what}: posture ${JSON.stringify(problems[0])}`);
            else engine.evaluate(read, settings);
          } catch (error) {
            if (!(error instanceof InputError)) crashes.push(`${what}: ${(error as Error).message}`);
          }
        }
      }
    });
    assert.ok(runs > 1000, `${runs} runs`);
    assert.deepEqual(crashes, []);
  });

  describe('an EventBridge event pattern nested past 1000 levels', function () {
    this.timeout(60_000);

    it('is unknown, with why, and the rules judge it as an unknown pattern instead of overflowing the wasm parser', async () => {
      const read = eventBridgePosture(deepPattern(100_000));
      assertValid(read);
      const [rule] = (read.event_buses ?? []).flatMap((bus) => bus.rules);
      assert.equal(rule.event_pattern, null);
      assert.equal(rule.unknown.event_pattern, 'nested deeper than 1000 levels, more than sescheck reads');
      assert.match(await cs003(read), /^unknown .*rule r of bus .*: its event pattern is unknown \(nested deeper than 1000 levels, more than sescheck reads\)$/);
      // The rule may send SES events to its log group: RT-002 judges it (400 days: within the bounds).
      const engine = await PolicyEngine.load();
      const evaluation = engine.evaluate(read, defaultSettings());
      assert.ok(evaluation.checked.some((target) => target.rule_id === 'RT-002' && target.resource === 'aws_cloudwatch_log_group.g'));
      assert.equal(evaluation.findings.filter((f) => f.rule_id === 'RT-002').length, 0);
    });

    it('is kept, and parsed by the rules, at 1000 levels', async () => {
      // deepPattern(999): the pattern's own object and 999 levels below it.
      const read = eventBridgePosture(deepPattern(999));
      const [rule] = (read.event_buses ?? []).flatMap((bus) => bus.rules);
      assert.equal(rule.event_pattern, deepPattern(999));
      assert.deepEqual(rule.unknown, {});
      // Parsed: the rules see the detail filter sescheck does not evaluate.
      assert.match(await cs003(read), /^unknown .*rule r of bus .*: its event pattern also filters on detail, which sescheck does not evaluate$/);
    });
  });
});
