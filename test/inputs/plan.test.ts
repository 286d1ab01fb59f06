import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readPlanFile } from '../../src/inputs/plan';
import type { Identity, S3Bucket, Trail } from '../../src/posture/types';
import { assertValid, byId, fixture } from './helpers';

describe('inputs: terraform show -json plans', () => {
  describe('a compliant SES logging plan (AWS provider 6)', () => {
    it('validates against the posture schema', async () => {
      const posture = await readPlanFile(fixture('plan-compliant.json'));
      assertValid(posture);
      assert.equal(posture.source.kind, 'plan');
      assert.deepEqual(posture.notes, []);
    });

    it('links a trail to the KMS key, bucket and log group created in the same plan (Checkov #800)', async () => {
      const posture = await readPlanFile(fixture('plan-compliant.json'));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.ses') as Trail;
      assert.equal(trail.kms_key, 'aws_kms_key.trail');
      assert.equal(trail.kms_key_id, null);
      assert.equal(trail.unknown.kms_key_id, undefined, 'linked by reference: not unknown');
      assert.equal(trail.s3_bucket, 'aws_s3_bucket.trail');
      assert.equal(trail.log_group, 'aws_cloudwatch_log_group.trail');
      assert.equal(trail.region, 'eu-west-1');
      assert.equal(trail.multi_region, true);
      assert.equal(trail.log_file_validation, true);
      assert.deepEqual(trail.advanced_event_selectors[1], {
        name: 'ses-identity-sends',
        field_selectors: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::SES::EmailIdentity'] },
        ],
      });
    });

    it('keeps a bucket name from bucket_prefix unknown, with its lifecycle and public access block attached by reference', async () => {
      const posture = await readPlanFile(fixture('plan-compliant.json'));
      const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.trail') as S3Bucket;
      assert.equal(bucket.name, null);
      assert.equal(bucket.unknown.name, 'known only after apply');
      assert.equal(bucket.public_access_block_source, 'resource');
      assert.deepEqual(bucket.lifecycle_rules, [{ id: 'expire-trail-logs', enabled: true, prefix: null, expiration_days: 400, unknown: {} }]);
    });

    it('nests the event destination under its configuration set and links the Firehose stream, its bucket and error log group', async () => {
      const posture = await readPlanFile(fixture('plan-compliant.json'));
      const configurationSet = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.main');
      assert.equal(configurationSet.tls_policy, 'REQUIRE');
      const [destination] = configurationSet.event_destinations;
      assert.equal(destination.id, 'aws_sesv2_configuration_set_event_destination.firehose');
      assert.equal(destination.enabled, true);
      assert.equal(destination.destination_type, 'kinesis_firehose');
      assert.equal(destination.firehose_stream, 'aws_kinesis_firehose_delivery_stream.ses_events');
      assert.ok(destination.event_types?.includes('RENDERING_FAILURE'));
      const stream = byId(posture, 'firehose_streams', destination.firehose_stream as string);
      assert.equal(stream.s3_bucket, 'aws_s3_bucket.events');
      assert.equal(stream.compression_format, 'GZIP');
      assert.deepEqual(stream.cloudwatch_logging, {
        enabled: true,
        log_group_name: '/aws/kinesisfirehose/ses-events',
        log_group: 'aws_cloudwatch_log_group.firehose_errors',
      });
    });

    it('gives the identity its default configuration set, notification topics (by SNS resource) and feedback setting', async () => {
      const posture = await readPlanFile(fixture('plan-compliant.json'));
      const identity = byId(posture, 'identities', 'aws_sesv2_email_identity.example') as Identity;
      assert.equal(identity.default_configuration_set, 'aws_sesv2_configuration_set.main');
      assert.equal(identity.default_configuration_set_name, 'ses-logging');
      assert.deepEqual(identity.notification_topics, [
        { type: 'BOUNCE', topic_arn: 'aws_sns_topic.feedback' },
        { type: 'COMPLAINT', topic_arn: 'aws_sns_topic.feedback' },
      ]);
      assert.equal(identity.feedback_forwarding_enabled, false);
      assert.equal(identity.kind, 'domain');
    });
  });

  describe('a non-compliant plan from AWS provider 5 (no region argument, provider aliases)', () => {
    it('takes regions from the provider configuration, an alias, and a variable value', async () => {
      const posture = await readPlanFile(fixture('plan-noncompliant-provider5.json'));
      assertValid(posture);
      assert.equal(byId(posture, 'trails', 'aws_cloudtrail.audit').region, 'us-east-1');
      // aws.euw1's region is var.ses_region, whose value the plan records.
      assert.equal(byId(posture, 'configuration_sets', 'aws_ses_configuration_set.legacy').region, 'eu-west-1');
      assert.equal(byId(posture, 'identities', 'aws_ses_domain_identity.legacy').region, 'eu-west-1');
      assert.equal(byId(posture, 'identities', 'aws_sesv2_email_identity.alerts').region, 'us-east-1');
    });

    it('leaves resources planned for deletion out of the future state', async () => {
      const posture = await readPlanFile(fixture('plan-noncompliant-provider5.json'));
      assert.deepEqual(posture.trails.map((t) => t.id), ['aws_cloudtrail.audit']);
    });

    it('reads legacy selectors, v1 names and defaults as they are', async () => {
      const posture = await readPlanFile(fixture('plan-noncompliant-provider5.json'));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.audit') as Trail;
      assert.deepEqual(trail.basic_event_selectors, [{
        read_write_type: 'All',
        include_management_events: true,
        exclude_management_event_sources: [],
        data_resources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }],
      }]);
      assert.equal(trail.kms_key_id, null, 'an empty kms_key_id in the state is no key');
      assert.deepEqual(trail.unknown, {});
      assert.equal(trail.s3_bucket, 'aws_s3_bucket.audit_logs');
      const configurationSet = byId(posture, 'configuration_sets', 'aws_ses_configuration_set.legacy');
      assert.equal(configurationSet.tls_policy, 'OPTIONAL');
      assert.deepEqual(configurationSet.event_destinations[0].event_types, ['BOUNCE', 'SEND', 'RENDERING_FAILURE']);
      assert.equal(configurationSet.event_destinations[0].enabled, false);
      assert.equal(byId(posture, 'log_groups', 'aws_cloudwatch_log_group.legacy').retention_in_days, null, 'retention 0 means never expire');
    });

    it('gives an existing bucket without a public access block none (not the S3 default of new buckets)', async () => {
      const posture = await readPlanFile(fixture('plan-noncompliant-provider5.json'));
      const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.audit_logs') as S3Bucket;
      assert.equal(bucket.public_access_block, null);
      assert.equal(bucket.public_access_block_source, null);
      assert.deepEqual(bucket.lifecycle_rules, [{ id: 'keep-ten-years', enabled: true, prefix: null, expiration_days: 3650, unknown: {} }]);
    });
  });

  describe('modules, for_each and count', () => {
    it('addresses every instance and follows references through module outputs', async () => {
      const posture = await readPlanFile(fixture('plan-modules.json'));
      assertValid(posture);
      assert.deepEqual(posture.configuration_sets.map((c) => [c.id, c.region]), [
        ['module.ses["eu"].aws_sesv2_configuration_set.this', 'eu-west-1'],
        ['module.ses["us"].aws_sesv2_configuration_set.this', 'us-west-2'],
      ]);
      const trail = byId(posture, 'trails', 'aws_cloudtrail.main') as Trail;
      assert.equal(trail.s3_bucket, 'module.logs.aws_s3_bucket.this[0]', 'module.logs.trail_bucket is aws_s3_bucket.this[0].id');
      assert.equal(trail.kms_key, 'module.logs.module.key.aws_kms_key.this', 'through two module outputs');
      assert.equal(trail.unknown.s3_bucket_name, undefined);
      assert.deepEqual(posture.log_groups.map((g) => g.id), ['aws_cloudwatch_log_group.by_team["billing"]', 'aws_cloudwatch_log_group.by_team["support"]']);
    });

    it('links each module instance to its own resources and count instances by count.index', async () => {
      const posture = await readPlanFile(fixture('plan-modules.json'));
      const identity = byId(posture, 'identities', 'module.ses["us"].aws_sesv2_email_identity.this') as Identity;
      assert.equal(identity.default_configuration_set, 'module.ses["us"].aws_sesv2_configuration_set.this');
      const us = byId(posture, 'configuration_sets', 'module.ses["us"].aws_sesv2_configuration_set.this');
      assert.deepEqual(us.event_destinations.map((d) => d.id), ['module.ses["us"].aws_sesv2_configuration_set_event_destination.events']);
      const second = byId(posture, 's3_buckets', 'module.logs.aws_s3_bucket.this[1]') as S3Bucket;
      assert.equal(second.public_access_block?.restrict_public_buckets, false, 'the block of this[1] is the one with count.index 1');
      assert.equal((byId(posture, 's3_buckets', 'module.logs.aws_s3_bucket.this[0]') as S3Bucket).public_access_block?.restrict_public_buckets, true);
    });

    it('takes the region of a provider passed into a module when resources have no region argument', async () => {
      const plan = JSON.parse(fs.readFileSync(fixture('plan-modules.json'), 'utf8'));
      const strip = (module: { resources?: { values: Record<string, unknown> }[]; child_modules?: unknown[] }): void => {
        for (const resource of module.resources ?? []) delete resource.values.region;
        for (const child of module.child_modules ?? []) strip(child as typeof module);
      };
      strip(plan.planned_values.root_module);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-')), 'plan.json');
      fs.writeFileSync(file, JSON.stringify(plan));
      const posture = await readPlanFile(file);
      // module.logs gets providers = { aws = aws.use1 }; Terraform normalizes its resources' provider_config_key.
      assert.equal(byId(posture, 'kms_keys', 'module.logs.module.key.aws_kms_key.this').region, 'us-east-1');
      assert.equal(byId(posture, 's3_buckets', 'module.logs.aws_s3_bucket.this[1]').region, 'us-east-1');
      assert.equal(byId(posture, 'log_groups', 'aws_cloudwatch_log_group.by_team["billing"]').region, 'eu-west-1');
    });

    it('says a region is unknown when the provider configuration does not give one', async () => {
      const plan = JSON.parse(fs.readFileSync(fixture('plan-noncompliant-provider5.json'), 'utf8'));
      delete plan.configuration.provider_config.aws.expressions;
      delete plan.variables;
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-')), 'plan.json');
      fs.writeFileSync(file, JSON.stringify(plan));
      const posture = await readPlanFile(file);
      assertValid(posture);
      const identity = byId(posture, 'identities', 'aws_sesv2_email_identity.alerts');
      assert.equal(identity.region, null);
      assert.match(identity.unknown.region, /provider configuration aws sets no region/);
      const legacy = byId(posture, 'identities', 'aws_ses_domain_identity.legacy');
      assert.equal(legacy.region, null);
      assert.match(legacy.unknown.region, /variable var\.ses_region has no value/);
      // The existing trail's ARN still tells its region.
      assert.equal(byId(posture, 'trails', 'aws_cloudtrail.audit').region, 'us-east-1');
    });
  });

  describe('unknown values', () => {
    it('carries an unknown without a reference as unknown, never as absent', async () => {
      const plan = JSON.parse(fs.readFileSync(fixture('plan-compliant.json'), 'utf8'));
      // kms_key_id from a data source: known only after apply, and no resource of the plan to link.
      const trailConfig = plan.configuration.root_module.resources.find((r: { address: string }) => r.address === 'aws_cloudtrail.ses');
      trailConfig.expressions.kms_key_id = { references: ['data.aws_kms_key.shared.arn', 'data.aws_kms_key.shared'] };
      trailConfig.expressions.is_multi_region_trail = { references: ['var.multi_region'] };
      const change = plan.resource_changes.find((r: { address: string }) => r.address === 'aws_cloudtrail.ses');
      change.change.after_unknown.is_multi_region_trail = true;
      const planned = plan.planned_values.root_module.resources.find((r: { address: string }) => r.address === 'aws_cloudtrail.ses');
      delete planned.values.is_multi_region_trail;
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-')), 'plan.json');
      fs.writeFileSync(file, JSON.stringify(plan));
      const trail = byId(await readPlanFile(file), 'trails', 'aws_cloudtrail.ses') as Trail;
      assert.equal(trail.kms_key, null);
      assert.equal(trail.kms_key_id, null);
      assert.equal(trail.unknown.kms_key_id, 'known only after apply');
      assert.equal(trail.multi_region, null);
      assert.equal(trail.unknown.multi_region, 'known only after apply');
    });
  });

  describe('dynamic blocks', () => {
    it('keeps selectors from a dynamic block with an unknown for_each unknown (plans leave dynamic blocks out of expressions)', async () => {
      const plan = JSON.parse(fs.readFileSync(fixture('plan-compliant.json'), 'utf8'));
      const trailConfig = plan.configuration.root_module.resources.find((r: { address: string }) => r.address === 'aws_cloudtrail.ses');
      delete trailConfig.expressions.advanced_event_selector;
      const change = plan.resource_changes.find((r: { address: string }) => r.address === 'aws_cloudtrail.ses');
      change.change.after_unknown.advanced_event_selector = true;
      delete change.change.after.advanced_event_selector;
      const planned = plan.planned_values.root_module.resources.find((r: { address: string }) => r.address === 'aws_cloudtrail.ses');
      delete planned.values.advanced_event_selector;
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-')), 'plan.json');
      fs.writeFileSync(file, JSON.stringify(plan));
      const trail = byId(await readPlanFile(file), 'trails', 'aws_cloudtrail.ses') as Trail;
      assert.deepEqual(trail.advanced_event_selectors, []);
      assert.equal(trail.unknown.advanced_event_selectors, 'known only after apply');
    });
  });

  describe('replacements', () => {
    it('keeps a resource replaced with create_before_destroy, whose deposed object is deleted', async () => {
      const plan = JSON.parse(fs.readFileSync(fixture('plan-compliant.json'), 'utf8'));
      const change = plan.resource_changes.find((r: { address: string }) => r.address === 'aws_cloudtrail.ses');
      change.change.actions = ['create', 'delete'];
      plan.resource_changes.push({ ...change, deposed: '8f2e5c1a', change: { ...change.change, actions: ['delete'], after: null } });
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-')), 'plan.json');
      fs.writeFileSync(file, JSON.stringify(plan));
      const posture = await readPlanFile(file);
      assert.deepEqual(posture.trails.map((t) => t.id), ['aws_cloudtrail.ses']);
      assert.equal((posture.trails[0] as Trail).kms_key, 'aws_kms_key.trail');
    });
  });

  describe('stdin', () => {
    it('reads a plan from stdin when the path is -', function () {
      this.timeout(60000);
      const script = "require('./src/inputs/plan').readPlanFile('-').then((p) => process.stdout.write(JSON.stringify([p.source, p.trails.map((t) => t.id)])))";
      const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
        cwd: path.join(__dirname, '..', '..'),
        input: fs.readFileSync(fixture('plan-compliant.json')),
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), [{ kind: 'plan', path: '-' }, ['aws_cloudtrail.ses']]);
    });
  });

  describe('states', () => {
    it('reads terraform show -json of a state as the current posture', async () => {
      const posture = await readPlanFile(fixture('state.json'));
      assertValid(posture);
      assert.equal(posture.source.kind, 'state');
      const store = byId(posture, 'trails', 'aws_cloudtrail_event_data_store.ses') as Trail;
      assert.equal(store.kind, 'event_data_store');
      assert.equal(store.log_file_validation, null);
      assert.equal(store.logging, true);
      assert.deepEqual(store.advanced_event_selectors[0].field_selectors[2], { field: 'eventName', not_equals: ['SendRawEmail'] });
    });

    it('links by value (names and ARNs) when the state has no configuration', async () => {
      const posture = await readPlanFile(fixture('state.json'));
      const identity = byId(posture, 'identities', 'aws_sesv2_email_identity.example') as Identity;
      assert.equal(identity.region, 'eu-west-1', 'from the ARN: provider 5 has no region attribute');
      assert.equal(identity.default_configuration_set, 'aws_sesv2_configuration_set.main');
      assert.deepEqual(identity.notification_topics, [{ type: 'BOUNCE', topic_arn: 'arn:aws:sns:eu-west-1:111122223333:ses-bounces' }]);
      const destination = byId(posture, 'delivery_destinations', 'aws_cloudwatch_log_delivery_destination.cwl');
      assert.equal(destination.target, 'aws_cloudwatch_log_group.workmail');
      assert.equal(destination.destination_type, 'cwl');
      const delivery = byId(posture, 'deliveries', 'aws_cloudwatch_log_delivery.workmail["AUTHENTICATION_LOGS"]');
      assert.equal(delivery.delivery_source, 'aws_cloudwatch_log_delivery_source.workmail["AUTHENTICATION_LOGS"]');
      assert.equal(delivery.delivery_destination, 'aws_cloudwatch_log_delivery_destination.cwl');
      const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.workmail_audit') as S3Bucket;
      assert.equal(bucket.public_access_block_source, null, 'an existing bucket without a block');
      assert.deepEqual(bucket.lifecycle_rules.map((r) => [r.prefix, r.expiration_days]), [['AWSLogs/', 30]]);
      assert.deepEqual(posture.account_public_access_blocks[0].settings.restrict_public_buckets, false);
    });
  });
});
