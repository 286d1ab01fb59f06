import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readConfigPath } from '../../src/inputs/config';
import { readPlanFile } from '../../src/inputs/plan';
import type { FirehoseStream, Identity, Posture, S3Bucket, Trail } from '../../src/posture/types';
import { assertValid, byId, fixture } from './helpers';

type PlanJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function rawFixture(name: string): PlanJson {
  return JSON.parse(fs.readFileSync(fixture(name), 'utf8')) as PlanJson;
}

function rootResource(plan: PlanJson, address: string): PlanJson {
  const resource = (plan.configuration.root_module.resources as PlanJson[]).find((r) => r.address === address);
  assert.ok(resource, `${address} not in the configuration`);
  return resource;
}

// plan-module-references-provider5.json is real `terraform show -json` output of
// test/fixtures/terraform/module-references/ (scripts/fixtures/regen-plan-fixtures.sh).
describe('inputs: module references and values the plan knows', () => {
  const FIXTURE = 'plan-module-references-provider5.json';

  describe('a value the plan knows wins over the configuration\'s reference', () => {
    it('reads `var.encrypt_trail ? aws_kms_key.trail.arn : null`, planned as a known null, as no key', async () => {
      const plan = rawFixture(FIXTURE);
      // What the adapter is given: the reference is there, the planned value is a known null.
      assert.deepEqual(rootResource(plan, 'aws_cloudtrail.main').expressions.kms_key_id.references, ['var.encrypt_trail', 'aws_kms_key.trail.arn', 'aws_kms_key.trail']);
      const posture = await readPlanFile(fixture(FIXTURE));
      assertValid(posture);
      const trail = byId(posture, 'trails', 'aws_cloudtrail.main') as Trail;
      assert.equal(trail.kms_key_id, null);
      assert.equal(trail.kms_key, null, 'the reference sits in the branch the plan did not take');
      assert.equal(trail.unknown.kms_key_id, undefined, 'known to be absent, not unknown');
      assert.equal(trail.s3_bucket, 'aws_s3_bucket.logs', 'a known name still links (by value)');
    });

    it('reads a known-null configuration_set_name as no default configuration set', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const ops = byId(posture, 'identities', 'aws_sesv2_email_identity.ops') as Identity;
      assert.equal(ops.default_configuration_set_name, null);
      assert.equal(ops.default_configuration_set, null);
      assert.equal(ops.unknown.default_configuration_set_name, undefined);
      const billing = byId(posture, 'identities', 'aws_sesv2_email_identity.team["billing"]') as Identity;
      assert.equal(billing.default_configuration_set, 'aws_sesv2_configuration_set.team["billing"]');
    });

    it('links `aws_x.y[index(local.names, each.key)]` by the known name the plan gives, not the ambiguous reference', async () => {
      const plan = rawFixture(FIXTURE);
      // Terraform records only aws_sesv2_configuration_set.archive (two count instances) and each.key.
      assert.deepEqual(
        rootResource(plan, 'aws_sesv2_configuration_set_event_destination.archive').expressions.configuration_set_name.references,
        ['aws_sesv2_configuration_set.archive', 'local.archives', 'each.key'],
      );
      const posture = await readPlanFile(fixture(FIXTURE));
      for (const [index, key] of [[0, 'archive-a'], [1, 'archive-b']] as const) {
        const set = byId(posture, 'configuration_sets', `aws_sesv2_configuration_set.archive[${index}]`);
        assert.deepEqual(set.event_destinations.map((d) => d.id), [`aws_sesv2_configuration_set_event_destination.archive["${key}"]`]);
      }
      assert.deepEqual(posture.notes, []);
    });
  });

  describe('module.x[each.key].output, recorded by the plan as module.x and each.key', () => {
    it('links each event destination to the stream of the module instance with its own key', async () => {
      const plan = rawFixture(FIXTURE);
      const expressions = rootResource(plan, 'aws_sesv2_configuration_set_event_destination.team').expressions;
      assert.deepEqual(expressions.event_destination[0].kinesis_firehose_destination[0].delivery_stream_arn.references, ['module.events', 'each.key']);
      const posture = await readPlanFile(fixture(FIXTURE));
      for (const team of ['billing', 'support']) {
        const [destination] = byId(posture, 'configuration_sets', `aws_sesv2_configuration_set.team["${team}"]`).event_destinations;
        assert.equal(destination.firehose_stream, `module.events["${team}"].aws_kinesis_firehose_delivery_stream.this`);
        assert.equal(destination.unknown.firehose_stream_arn, undefined);
      }
      const support = byId(posture, 'firehose_streams', 'module.events["support"].aws_kinesis_firehose_delivery_stream.this') as FirehoseStream;
      assert.equal(support.compression_format, 'UNCOMPRESSED');
      assert.equal(support.s3_bucket, 'aws_s3_bucket.logs', 'through the module variable');
      assert.equal(support.cloudwatch_logging.log_group, 'module.events["support"].aws_cloudwatch_log_group.errors');
    });

    it('follows a constant key (module.events["billing"].stream_arn) to that instance', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const [destination] = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.archive[0]').event_destinations;
      assert.equal(destination.firehose_stream, 'module.events["billing"].aws_kinesis_firehose_delivery_stream.this');
    });

    it('with two streams behind the module\'s outputs, follows the named output and leaves module.x[each.key] unknown', async () => {
      // module.events["billing"] given a second stream and an output for it.
      const plan = rawFixture(FIXTURE);
      const billing = (plan.planned_values.root_module.child_modules as PlanJson[]).find((m) => m.address === 'module.events["billing"]') as PlanJson;
      const stream = (billing.resources as PlanJson[]).find((r) => r.type === 'aws_kinesis_firehose_delivery_stream') as PlanJson;
      billing.resources.push({ ...structuredClone(stream), address: 'module.events["billing"].aws_kinesis_firehose_delivery_stream.copy', name: 'copy' });
      plan.configuration.root_module.module_calls.events.module.outputs.copy_arn = {
        expression: { references: ['aws_kinesis_firehose_delivery_stream.copy.arn', 'aws_kinesis_firehose_delivery_stream.copy'] },
      };
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-modules-')), 'plan.json');
      fs.writeFileSync(file, JSON.stringify(plan));
      const posture = await readPlanFile(file);
      const [archive] = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.archive[0]').event_destinations;
      assert.equal(archive.firehose_stream, 'module.events["billing"].aws_kinesis_firehose_delivery_stream.this', 'module.events["billing"].stream_arn names its output');
      const [team] = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.team["billing"]').event_destinations;
      assert.equal(team.firehose_stream, null);
      assert.match(team.unknown.firehose_stream_arn, /^refers to several instances \(module\.events\["billing"\]\.aws_kinesis_firehose_delivery_stream\.(this|copy), /);
    });

    it('follows each instance an expression names: module.events["billing"] and module.events["support"] are two streams, not one reference', async () => {
      const plan = rawFixture(FIXTURE);
      const archive = rootResource(plan, 'aws_sesv2_configuration_set_event_destination.archive');
      // The reader resolves each reference an expression lists once per expression: references differing only in their key must both count.
      archive.expressions.event_destination[0].kinesis_firehose_destination[0].delivery_stream_arn.references = [
        'module.events["billing"].stream_arn', 'module.events["billing"]', 'module.events["support"].stream_arn', 'module.events["support"]',
      ];
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-modules-')), 'plan.json');
      fs.writeFileSync(file, JSON.stringify(plan));
      const posture = await readPlanFile(file);
      const [destination] = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.archive[0]').event_destinations;
      assert.equal(destination.firehose_stream, null);
      assert.equal(
        destination.unknown.firehose_stream_arn,
        'refers to several instances (module.events["billing"].aws_kinesis_firehose_delivery_stream.this, module.events["support"].aws_kinesis_firehose_delivery_stream.this); cannot tell which',
      );
    });
  });
});

describe('inputs: local modules of Terraform configuration', () => {
  const TERRAFORM = path.join(__dirname, '..', 'fixtures', 'terraform');

  it('reads local modules as Terraform addresses them: for_each, count, nested, with the plan\'s regions', async () => {
    const [config] = await readConfigPath(path.join(TERRAFORM, 'modules'));
    assertValid(config);
    const plan = await readPlanFile(fixture('plan-modules-provider5.json'));
    const ids = (posture: Posture): Record<string, string[]> => ({
      trails: posture.trails.map((t) => t.id),
      configuration_sets: posture.configuration_sets.map((c) => c.id),
      identities: posture.identities.map((i) => i.id),
      s3_buckets: posture.s3_buckets.map((b) => b.id),
      kms_keys: posture.kms_keys.map((k) => k.id),
      log_groups: posture.log_groups.map((g) => g.id),
    });
    assert.deepEqual(ids(config), ids(plan), 'the same instances as terraform plan (toset for_each, count from a module variable)');
    const regions = (posture: Posture): Record<string, string | null> =>
      Object.fromEntries([...posture.trails, ...posture.identities, ...posture.s3_buckets, ...posture.kms_keys].map((o) => [o.id, o.region]));
    assert.deepEqual(regions(config), regions(plan), 'providers passed in, inherited by a nested module, and a legacy module\'s own provider');
    assert.deepEqual(config.unread_modules, undefined);
  });

  it('follows module variables and outputs, and links each module instance to its own resources', async () => {
    const [posture] = await readConfigPath(path.join(TERRAFORM, 'modules'));
    const trail = byId(posture, 'trails', 'aws_cloudtrail.main') as Trail;
    assert.equal(trail.s3_bucket, 'module.logs.aws_s3_bucket.this[0]', 'module.logs.trail_bucket is aws_s3_bucket.this[0].id');
    assert.equal(trail.kms_key, 'module.logs.module.key.aws_kms_key.this', 'through two module outputs');
    for (const module of ['module.ses["billing"]', 'module.ses["support"]', 'module.archive[0]', 'module.ses_usw2']) {
      const identity = byId(posture, 'identities', `${module}.aws_sesv2_email_identity.this`) as Identity;
      assert.equal(identity.default_configuration_set, `${module}.aws_sesv2_configuration_set.this`);
    }
    assert.equal(byId(posture, 'identities', 'module.ses["billing"].aws_sesv2_email_identity.this').identity as string, 'billing.example.com', 'var.domain = "${each.key}.example.com"');
  });

  it('links module.events[each.key].stream_arn to the stream of the module instance with the same key', async () => {
    const [posture] = await readConfigPath(path.join(TERRAFORM, 'module-references'));
    assertValid(posture);
    for (const team of ['billing', 'support']) {
      const [destination] = byId(posture, 'configuration_sets', `aws_sesv2_configuration_set.team["${team}"]`).event_destinations;
      assert.equal(destination.firehose_stream, `module.events["${team}"].aws_kinesis_firehose_delivery_stream.this`);
    }
    const support = byId(posture, 'firehose_streams', 'module.events["support"].aws_kinesis_firehose_delivery_stream.this') as FirehoseStream;
    assert.equal(support.compression_format, 'UNCOMPRESSED', 'each.value of the module call');
    assert.equal(support.s3_bucket, 'aws_s3_bucket.logs', 'through the module variable');
    assert.equal(support.region, 'eu-west-1', 'the default provider, inherited');
  });

  it('does not let a reference stand in for a conditional it did not evaluate', async () => {
    const [posture] = await readConfigPath(path.join(TERRAFORM, 'module-references'));
    const trail = byId(posture, 'trails', 'aws_cloudtrail.main') as Trail;
    assert.equal(trail.kms_key, null, 'var.encrypt_trail ? aws_kms_key.trail.arn : null may be null');
    assert.match(trail.unknown.kms_key_id, /^expression not evaluated: /);
  });

  it('names modules it cannot read (remote source, missing directory, for_each from a data source) and what they receive', async () => {
    const [posture] = await readConfigPath(fixture('hcl-modules-unread'));
    assertValid(posture);
    assert.deepEqual(posture.unread_modules?.map((m) => [m.id, m.reason]).sort(), [
      ['module.audit_trail', 'source "terraform-aws-modules/cloudtrail/aws" is not a local directory'],
      ['module.regional_events', 'its instances are unknown: for_each is unknown (read from data.aws_regions.enabled when Terraform plans)'],
      ['module.workmail_logs', `directory ${fixture('hcl-modules-unread', 'modules', 'workmail-logs')} does not exist or cannot be read`],
    ]);
    // The trail bucket is passed to the registry module, which may give it a lifecycle, versioning or public access block.
    const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.trail') as S3Bucket;
    assert.match(bucket.unknown.lifecycle_rules, /^module\.audit_trail receives it and may declare a lifecycle configuration for it/);
    assert.equal(bucket.public_access_block, null, 'not the S3 default');
    assert.equal(bucket.versioning, null);
    assert.equal(posture.log_groups.length, 1, 'nothing of the module whose instances are unknown');
  });

  it('reads a module whose count comes from its caller, and none of a module with count 0', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-modules-'));
    fs.mkdirSync(path.join(directory, 'modules', 'set'), { recursive: true });
    fs.writeFileSync(path.join(directory, 'main.tf.json'), JSON.stringify({
      provider: { aws: { region: 'eu-west-1' } },
      variable: { enabled: { default: 0 } },
      module: {
        sets: { source: './modules/set', count: 2, prefix: 'team' },
        disabled: { source: './modules/set', count: '${var.enabled}', prefix: 'off' },
      },
    }));
    fs.writeFileSync(path.join(directory, 'modules', 'set', 'main.tf.json'), JSON.stringify({
      variable: { prefix: {} },
      resource: { aws_sesv2_configuration_set: { this: { configuration_set_name: '${var.prefix}-set' } } },
    }));
    const [posture] = await readConfigPath(directory);
    assert.deepEqual(posture.configuration_sets.map((c) => [c.id, c.name]), [
      ['module.sets[0].aws_sesv2_configuration_set.this', 'team-set'],
      ['module.sets[1].aws_sesv2_configuration_set.this', 'team-set'],
    ]);
    assert.deepEqual(posture.unread_modules, undefined);
  });

  it('reads a module that calls itself once, and names the cycle instead of expanding it', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-modules-'));
    fs.writeFileSync(path.join(directory, 'main.tf.json'), JSON.stringify({
      module: { again: { source: './' } },
      resource: { aws_sesv2_configuration_set: { main: { configuration_set_name: 'main' } } },
    }));
    const [posture] = await readConfigPath(directory);
    assert.deepEqual(posture.configuration_sets.map((c) => c.id), ['aws_sesv2_configuration_set.main']);
    assert.deepEqual(posture.unread_modules?.map((m) => [m.id, m.reason]), [['module.again', 'source ./ is a module that calls itself, which Terraform rejects']]);
  });
});
