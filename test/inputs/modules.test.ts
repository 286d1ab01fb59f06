import assert from 'node:assert/strict';
import fs from 'fs';
import { readPlanFile } from '../../src/inputs/plan';
import type { FirehoseStream, Identity, Trail } from '../../src/posture/types';
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
  });
});
