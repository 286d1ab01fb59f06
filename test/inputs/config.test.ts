import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readConfigPath } from '../../src/inputs/config';
import type { Identity, S3Bucket, Trail } from '../../src/posture/types';
import { buildApp } from '../../stacks/app';
import { defaultStacksConfig } from '../../stacks/config';
import { assertValid, byId, fixture } from './helpers';

describe('inputs: Terraform JSON and HCL configuration', () => {
  describe('a directory of .tf.json files', () => {
    it('reads every file as one configuration and validates', async () => {
      const postures = await readConfigPath(fixture('tfjson'));
      assert.equal(postures.length, 1);
      assertValid(postures[0]);
      assert.equal(postures[0].source.kind, 'config');
      assert.equal(postures[0].source.stack, undefined);
    });

    it('resolves ${...} references, locals, variable defaults and a KMS alias to its key', async () => {
      const [posture] = await readConfigPath(fixture('tfjson'));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.audit') as Trail;
      assert.equal(trail.name, 'ses-audit', 'local.trail_name');
      assert.equal(trail.s3_bucket, 'aws_s3_bucket.trail');
      assert.equal(trail.kms_key, 'aws_kms_key.trail', 'kms_key_id is the alias ARN; the alias targets the key');
      assert.equal(trail.region, 'us-east-1', 'the default provider region is var.home_region, default us-east-1');
      assert.deepEqual(trail.location, { file: fixture('tfjson', 'main.tf.json'), line: 40 });
      const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.trail') as S3Bucket;
      assert.equal(bucket.lifecycle_rules[0].expiration_days, 400, 'var.retention_days default');
      assert.equal(bucket.lifecycle_rules[0].prefix, 'AWSLogs/', 'filter written as an object, not a list');
      assert.equal(bucket.public_access_block_source, 's3_default', 'a bucket this configuration creates gets S3 defaults');
    });

    it('keeps expressions it does not evaluate unknown and says so in a note', async () => {
      const [posture] = await readConfigPath(fixture('tfjson'));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.audit') as Trail;
      assert.equal(trail.multi_region, null);
      assert.equal(trail.unknown.multi_region, 'expression not evaluated: ${var.home_region == "us-east-1" ? true : false}');
      assert.ok(posture.notes.some((n) => n.id === 'aws_cloudtrail.audit' && n.message === 'multi_region unknown, expression not evaluated: ${var.home_region == "us-east-1" ? true : false}'));
      const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.trail') as S3Bucket;
      assert.equal(bucket.lifecycle_rules[1].tag_filter, true, 'a rule narrowed by tags is not a pass');
      const identity = byId(posture, 'identities', 'aws_sesv2_email_identity.domain') as Identity;
      assert.equal(identity.identity, null);
      assert.equal(identity.unknown.identity, 'variable var.sender_domain has no value');
      assert.equal(identity.region, 'eu-west-1', 'provider = "aws.euw1" from the provider list');
      assert.equal(identity.default_configuration_set, 'aws_sesv2_configuration_set.eu');
      assert.equal(identity.default_configuration_set_name, 'eu-sends', 'the referenced attribute is a literal in configuration');
      assert.equal(byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.eu').tls_policy, 'OPTIONAL', 'var.tls_policies["eu"]');
    });

    it('expands a literal count and evaluates count.index in templates', async () => {
      const [posture] = await readConfigPath(fixture('tfjson'));
      assert.deepEqual(
        posture.identities.filter((i) => i.id.startsWith('aws_sesv2_email_identity.alerts')).map((i) => [i.id, i.identity]),
        [['aws_sesv2_email_identity.alerts[0]', 'alerts-0@example.com'], ['aws_sesv2_email_identity.alerts[1]', 'alerts-1@example.com']],
      );
    });

    it('reads a single .tf.json file', async () => {
      const [posture] = await readConfigPath(fixture('tfjson', 'main.tf.json'));
      assertValid(posture);
      const trail = byId(posture, 'trails', 'aws_cloudtrail.audit');
      assert.equal(trail.region, null, 'the providers are in the other file');
      assert.match(trail.unknown.region, /no provider "aws" configuration/);
    });
  });

  describe('HCL (.tf)', () => {
    it('parses a directory of .tf files with hcl2json and finds the resource lines', async () => {
      const [posture] = await readConfigPath(fixture('hcl'));
      assertValid(posture);
      const primary = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.primary');
      assert.deepEqual(primary.location, { file: fixture('hcl', 'main.tf'), line: 3 });
      assert.equal(primary.tls_policy, 'REQUIRE');
      assert.equal(primary.event_destinations[0].location?.line, 16);
      assert.equal(byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.secondary').region, 'us-west-2', 'provider = aws.usw2');
      assert.equal(byId(posture, 'identities', 'aws_sesv2_email_identity.sender').region, 'eu-west-1', 'region argument');
    });

    it('reports variables without values and conditionals as unknown', async () => {
      const [posture] = await readConfigPath(fixture('hcl'));
      const secondary = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.secondary');
      const [destination] = secondary.event_destinations;
      assert.equal(destination.enabled, null);
      assert.equal(destination.unknown.enabled, 'expression not evaluated: ${var.environment == "prod"}');
      assert.equal(destination.sns_topic_arn, 'aws_sns_topic.feedback', 'the SNS topic resource, its ARN being known only after apply');
      assert.deepEqual(destination.event_types, ['BOUNCE', 'COMPLAINT']);
      const logGroup = byId(posture, 'log_groups', 'aws_cloudwatch_log_group.events');
      assert.equal(logGroup.unknown.name, 'variable var.environment has no value');
      assert.equal(logGroup.retention_in_days, 400);
    });

    it('does not expand dynamic blocks: the selectors are unknown, not absent', async () => {
      const [posture] = await readConfigPath(fixture('hcl'));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.dynamic_selectors') as Trail;
      assert.deepEqual(trail.advanced_event_selectors, []);
      assert.equal(trail.unknown.advanced_event_selectors, 'expression not evaluated: dynamic "advanced_event_selector" block');
      assert.ok(posture.notes.some((n) => n.id === trail.id && n.location?.line === 62));
      assert.equal(trail.s3_bucket_name, 'acme-trail-logs');
      assert.equal(trail.s3_bucket, null, 'a bucket outside the input');
    });

    it('reads a single .tf file', async () => {
      const [posture] = await readConfigPath(fixture('hcl', 'main.tf'));
      assertValid(posture);
      assert.equal(posture.configuration_sets.length, 2);
    });
  });

  describe('links that cannot be resolved', () => {
    async function readJson(configuration: object): Promise<Awaited<ReturnType<typeof readConfigPath>>[number]> {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-config-'));
      fs.writeFileSync(path.join(directory, 'main.tf.json'), JSON.stringify(configuration, null, 2));
      const [posture] = await readConfigPath(directory);
      assertValid(posture);
      return posture;
    }

    it('a reference to several count instances is unknown, not a guess', async () => {
      const posture = await readJson({
        provider: { aws: { region: 'eu-west-1' } },
        resource: {
          aws_s3_bucket: { logs: { count: 2, bucket_prefix: 'logs-' } },
          aws_cloudtrail: { main: { name: 'main', s3_bucket_name: '${aws_s3_bucket.logs.id}' }, pinned: { name: 'pinned', s3_bucket_name: '${aws_s3_bucket.logs[1].id}' } },
        },
      });
      const main = byId(posture, 'trails', 'aws_cloudtrail.main') as Trail;
      assert.equal(main.s3_bucket, null);
      assert.equal(main.unknown.s3_bucket_name, 'refers to several instances (aws_s3_bucket.logs[0], aws_s3_bucket.logs[1]); cannot tell which');
      assert.equal((byId(posture, 'trails', 'aws_cloudtrail.pinned') as Trail).s3_bucket, 'aws_s3_bucket.logs[1]');
    });

    it('children of resources not in the input become notes', async () => {
      const posture = await readJson({
        provider: { aws: { region: 'eu-west-1' } },
        resource: {
          aws_sesv2_configuration_set_event_destination: { orphan: { configuration_set_name: 'managed-elsewhere', event_destination_name: 'x', event_destination: { matching_event_types: ['SEND'], enabled: true } } },
          aws_s3_bucket_public_access_block: { orphan: { bucket: 'someone-elses-bucket', block_public_acls: true } },
        },
      });
      assert.deepEqual(posture.notes.map((n) => [n.id, n.message]), [
        ['aws_sesv2_configuration_set_event_destination.orphan', 'event destination for configuration set managed-elsewhere, which is not in the input; not checked'],
        ['aws_s3_bucket_public_access_block.orphan', 'public access block for bucket someone-elses-bucket, which is not in the input; not checked'],
      ]);
    });

    it('a reference to an SES identity, configuration set or log delivery source in another region does not link (they are named per region)', async () => {
      const posture = await readJson({
        provider: { aws: [{ region: 'eu-west-1' }, { alias: 'use1', region: 'us-east-1' }] },
        resource: {
          aws_sesv2_configuration_set: { use1: { provider: 'aws.use1', configuration_set_name: 'main' } },
          aws_sesv2_email_identity: { eu: { email_identity: 'example.com', configuration_set_name: '${aws_sesv2_configuration_set.use1.configuration_set_name}' } },
          aws_sns_topic: { feedback: { name: 'feedback' } },
          aws_ses_identity_notification_topic: {
            bounce: { provider: 'aws.use1', identity: '${aws_sesv2_email_identity.eu.email_identity}', notification_type: 'Bounce', topic_arn: '${aws_sns_topic.feedback.arn}' },
          },
          aws_cloudwatch_log_delivery_source: { eu: { name: 'audit', log_type: 'AUTHENTICATION_LOGS', resource_arn: 'arn:aws:workmail:eu-west-1:111122223333:organization/m-1' } },
          aws_cloudwatch_log_delivery: {
            use1: { provider: 'aws.use1', delivery_source_name: '${aws_cloudwatch_log_delivery_source.eu.name}', delivery_destination_arn: 'arn:aws:logs:us-east-1:111122223333:delivery-destination:x' },
          },
          aws_sesv2_configuration_set_event_destination: {
            use1: {
              configuration_set_name: '${aws_sesv2_configuration_set.use1.configuration_set_name}',
              event_destination_name: 'x',
              event_destination: { matching_event_types: ['SEND'], enabled: true, event_bridge_destination: { event_bus_arn: 'arn:aws:events:eu-west-1:1:event-bus/default' } },
            },
          },
        },
      });
      const identity = byId(posture, 'identities', 'aws_sesv2_email_identity.eu') as Identity;
      assert.equal(identity.default_configuration_set_name, 'main');
      assert.equal(identity.default_configuration_set, null, 'set "main" of us-east-1 is not the eu-west-1 identity\'s default set');
      assert.deepEqual(identity.notification_topics, [], 'the us-east-1 topic setting is for a us-east-1 identity');
      assert.deepEqual(byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.use1').event_destinations, [], 'the eu-west-1 destination is not on the us-east-1 set');
      assert.equal(byId(posture, 'deliveries', 'aws_cloudwatch_log_delivery.use1').delivery_source, null, 'delivery sources are named per region too');
    });

    it('reads bucket versioning (inline or aws_s3_bucket_versioning) and noncurrent version expiration', async () => {
      const posture = await readJson({
        provider: { aws: { region: 'eu-west-1' } },
        variable: { status: {} },
        resource: {
          aws_s3_bucket: { plain: { bucket: 'plain' }, inline: { bucket: 'inline', versioning: { enabled: true }, lifecycle_rule: { enabled: true, expiration: { days: 400 }, noncurrent_version_expiration: { days: 30 } } }, child: { bucket: 'child' }, unknown: { bucket: 'unknown' } },
          aws_s3_bucket_versioning: {
            child: { bucket: '${aws_s3_bucket.child.id}', versioning_configuration: { status: 'Suspended' } },
            unknown: { bucket: '${aws_s3_bucket.unknown.id}', versioning_configuration: { status: '${var.status}' } },
          },
          aws_s3_bucket_lifecycle_configuration: {
            child: { bucket: '${aws_s3_bucket.child.id}', rule: { id: 'r', status: 'Enabled', filter: {}, expiration: { days: 400 }, noncurrent_version_expiration: { noncurrent_days: 20 } } },
          },
        },
      });
      const bucket = (id: string): S3Bucket => byId(posture, 's3_buckets', id) as S3Bucket;
      assert.equal(bucket('aws_s3_bucket.plain').versioning, 'Disabled', 'a new bucket is not versioned unless told');
      assert.equal(bucket('aws_s3_bucket.inline').versioning, 'Enabled');
      assert.equal(bucket('aws_s3_bucket.inline').lifecycle_rules[0].noncurrent_expiration_days, 30);
      assert.equal(bucket('aws_s3_bucket.child').versioning, 'Suspended');
      assert.equal(bucket('aws_s3_bucket.child').lifecycle_rules[0].noncurrent_expiration_days, 20);
      assert.equal(bucket('aws_s3_bucket.unknown').versioning, null);
      assert.equal(bucket('aws_s3_bucket.unknown').unknown.versioning, 'variable var.status has no value');
    });

    it('a child whose parent name is unknown leaves the parents it may belong to unknown, not without it', async () => {
      const posture = await readJson({
        provider: { aws: { region: 'eu-west-1' } },
        variable: { set: {}, identity: {}, bucket: {} },
        resource: {
          aws_sesv2_configuration_set: { main: { configuration_set_name: 'main' } },
          aws_sesv2_configuration_set_event_destination: {
            d: { configuration_set_name: '${var.set}', event_destination_name: 'd', event_destination: { matching_event_types: ['SEND'], enabled: true, event_bridge_destination: { event_bus_arn: 'arn:aws:events:eu-west-1:1:event-bus/default' } } },
          },
          aws_sesv2_email_identity: { domain: { email_identity: 'example.com' } },
          aws_ses_identity_notification_topic: { bounce: { identity: '${var.identity}', notification_type: 'Bounce', topic_arn: 'arn:aws:sns:eu-west-1:1:t' } },
          aws_s3_bucket: { logs: { bucket: 'logs' }, other: { bucket: 'other' } },
          aws_s3_bucket_lifecycle_configuration: {
            unknown: { bucket: '${var.bucket}', rule: { id: 'r', status: 'Enabled', filter: {}, expiration: { days: 400 } } },
            other: { bucket: '${aws_s3_bucket.other.id}', rule: { id: 'r', status: 'Enabled', filter: {}, expiration: { days: 400 } } },
          },
          aws_s3_bucket_versioning: { unknown: { bucket: '${var.bucket}', versioning_configuration: { status: 'Enabled' } } },
          aws_s3_bucket_public_access_block: {
            unknown: { bucket: '${var.bucket}', block_public_acls: false },
            other: { bucket: '${aws_s3_bucket.other.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
          },
        },
      });
      const set = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.main');
      assert.deepEqual(set.event_destinations, []);
      assert.equal(set.unknown.event_destinations, 'event destination aws_sesv2_configuration_set_event_destination.d may belong to it: its configuration set name is unknown (variable var.set has no value)');
      const identity = byId(posture, 'identities', 'aws_sesv2_email_identity.domain') as Identity;
      assert.equal(identity.unknown.notification_topics, 'notification topic aws_ses_identity_notification_topic.bounce may belong to it: its identity is unknown (variable var.identity has no value)');
      const logs = byId(posture, 's3_buckets', 'aws_s3_bucket.logs') as S3Bucket;
      assert.equal(logs.unknown.lifecycle_rules, 'lifecycle configuration aws_s3_bucket_lifecycle_configuration.unknown may belong to it: its bucket is unknown (variable var.bucket has no value)');
      assert.equal((byId(posture, 's3_buckets', 'aws_s3_bucket.other') as S3Bucket).unknown.lifecycle_rules, undefined, 'a bucket with its own lifecycle configuration cannot have another');
      assert.equal(logs.versioning, null, 'a versioning resource of an unknown bucket may version it');
      assert.match(logs.unknown.versioning, /^versioning aws_s3_bucket_versioning.unknown may belong to it/);
      assert.equal(logs.public_access_block, null, 'not the S3 default: the unknown public access block may turn settings off');
      assert.equal(logs.public_access_block_source, null);
      assert.match(logs.unknown.public_access_block, /^public access block aws_s3_bucket_public_access_block.unknown may belong to it/);
      assert.equal((byId(posture, 's3_buckets', 'aws_s3_bucket.other') as S3Bucket).public_access_block_source, 'resource');
    });

    it('a module whose directory is missing is named in a note and in unread_modules, not silently skipped', async () => {
      const posture = await readJson({ module: { logs: { source: './modules/logs' } } });
      assert.equal(posture.notes.length, 1);
      assert.equal(posture.notes[0].id, 'module.logs');
      assert.match(posture.notes[0].message, /^module not read \(directory .*modules\/logs does not exist or cannot be read\)/);
      assert.deepEqual(posture.unread_modules?.map((m) => m.id), ['module.logs']);
    });
  });

  describe('cdktf synth output', () => {
    it('reads a cdktf.out directory as one posture per stack', async () => {
      const postures = await readConfigPath(fixture('cdktf-synth'));
      assert.deepEqual(postures.map((p) => p.source.stack), ['ses-event-publishing-eu-west-1', 'workmail-audit-logging-eu-west-1']);
      const [lone] = await readConfigPath(fixture('cdktf-synth', 'stacks', 'workmail-audit-logging-eu-west-1', 'cdk.tf.json'));
      assert.equal(lone.source.stack, 'workmail-audit-logging-eu-west-1', 'from the metadata cdktf writes');
      const posture = postures[1];
      assertValid(posture);
      assert.equal(posture.delivery_sources.length, 5, 'the five WorkMail log types');
      for (const delivery of posture.deliveries) {
        assert.ok(delivery.delivery_source, `${delivery.id} has its source`);
        assert.equal(delivery.delivery_destination, 'aws_cloudwatch_log_delivery_destination.workmail-audit-logging_destination_65A0B8A1');
      }
      const destination = posture.delivery_destinations[0];
      assert.equal(destination.target, 'aws_cloudwatch_log_group.workmail-audit-logging_log-group_76F7D45C');
      assert.equal(destination.destination_type, 'cwl');
      assert.ok(destination.location?.line && destination.location.line > 1);
    });

    it('reads the synthesized output of the repository stacks, every link resolved', async function () {
      this.timeout(120000);
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-synth-'));
      try {
        buildApp(defaultStacksConfig({}), outdir).synth();
        const postures = await readConfigPath(outdir);
        assert.ok(postures.length >= 2, 'one posture per stack');
        for (const posture of postures) {
          assertValid(posture);
          assert.ok(posture.source.stack);
          for (const trail of posture.trails) {
            assert.ok(trail.s3_bucket, `${trail.id} writes to a bucket of the stack`);
            assert.ok(trail.kms_key, `${trail.id} has its key`);
          }
          for (const identity of posture.identities) assert.ok(identity.default_configuration_set, `${identity.id} has its default set`);
          for (const configurationSet of posture.configuration_sets) {
            for (const destination of configurationSet.event_destinations) {
              if (destination.destination_type === 'kinesis_firehose') assert.ok(destination.firehose_stream, `${destination.id} -> stream`);
            }
          }
          for (const stream of posture.firehose_streams) {
            assert.ok(stream.s3_bucket, `${stream.id} -> bucket`);
            assert.ok(stream.cloudwatch_logging.log_group, `${stream.id} -> error log group`);
          }
          for (const delivery of posture.deliveries) assert.ok(delivery.delivery_source && delivery.delivery_destination, `${delivery.id} linked`);
          const unevaluated = posture.notes.filter((n) => n.message.includes('expression not evaluated'));
          assert.deepEqual(unevaluated, [], 'the stacks synthesize nothing the adapter cannot read');
        }
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    });
  });
});
