import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { readPlanFile } from '../../src/inputs/plan';
import type { Identity, S3Bucket, Trail } from '../../src/posture/types';
import { assertValid, byId, fixture } from './helpers';

type PlanJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fixture's JSON, edited by `edit`, written to a temporary file: its path. */
function editedFixture(name: string, edit: (plan: PlanJson) => void): string {
  const plan = JSON.parse(fs.readFileSync(fixture(name), 'utf8')) as PlanJson;
  edit(plan);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-')), 'plan.json');
  fs.writeFileSync(file, JSON.stringify(plan));
  return file;
}

function rawFixture(name: string): PlanJson {
  return JSON.parse(fs.readFileSync(fixture(name), 'utf8')) as PlanJson;
}

/** The change Terraform planned for an address (the fixture's own record, to show what the adapter is given). */
function changeOf(plan: PlanJson, address: string): PlanJson {
  const change = (plan.resource_changes as PlanJson[]).find((r) => r.address === address);
  assert.ok(change, `${address} not in resource_changes`);
  return change;
}

// Fixtures named *-provider5.json and state.json are real `terraform show -json` output
// (test/fixtures/terraform/README.md); plan-compliant.json and plan-modules.json are hand-written
// in the same layout because AWS provider 6 (the `region` argument) cannot be planned here.
describe('inputs: terraform show -json plans', () => {
  describe('a compliant SES logging plan (AWS provider 6, hand-written)', () => {
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
      assert.deepEqual(bucket.lifecycle_rules, [{ id: 'expire-trail-logs', enabled: true, prefix: null, expiration_days: 400, expiration_date: null, noncurrent_expiration_days: null, noncurrent_newer_versions: null, tag_filter: false, object_size_greater_than: null, object_size_less_than: null, unknown: {} }]);
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

  describe('a compliant SES logging plan from AWS provider 5 (terraform output)', () => {
    const FIXTURE = 'plan-compliant-provider5.json';

    it('validates against the posture schema, with nothing it could not read', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      assertValid(posture);
      assert.equal(posture.source.kind, 'plan');
      assert.deepEqual(posture.notes, []);
    });

    it('links a trail to the KMS key, bucket and log group created in the same plan (Checkov #800)', async () => {
      const plan = rawFixture(FIXTURE);
      // What Terraform prints: the key ARN, bucket name and log group ARN are known only after apply.
      assert.deepEqual(
        ['kms_key_id', 's3_bucket_name', 'cloud_watch_logs_group_arn'].map((k) => changeOf(plan, 'aws_cloudtrail.ses').change.after_unknown[k]),
        [true, true, true],
      );
      const posture = await readPlanFile(fixture(FIXTURE));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.ses') as Trail;
      assert.equal(trail.kms_key, 'aws_kms_key.trail');
      assert.equal(trail.kms_key_id, null);
      assert.equal(trail.s3_bucket, 'aws_s3_bucket.trail');
      assert.equal(trail.s3_bucket_name, null);
      // cloud_watch_logs_group_arn is "${aws_cloudwatch_log_group.trail.arn}:*", a template.
      assert.equal(trail.log_group, 'aws_cloudwatch_log_group.trail');
      assert.deepEqual(trail.unknown, { arn: 'known only after apply' }, 'linked by reference: not unknown');
      assert.equal(trail.region, 'eu-west-1', 'from the provider configuration: provider 5 has no region argument');
      assert.equal(trail.multi_region, true);
      assert.equal(trail.logging, true);
      assert.equal(trail.log_file_validation, true);
      // field_selector is a set: the plan lists it in the provider's hash order (resources.type first), the posture by field.
      assert.deepEqual(trail.advanced_event_selectors.map((s) => [s.name, s.field_selectors]), [
        ['management', [{ field: 'eventCategory', equals: ['Management'] }]],
        ['ses-identity-sends', [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::SES::EmailIdentity'] }]],
        ['ses-configuration-set-sends', [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::SES::ConfigurationSet'] }]],
        ['ses-template-sends', [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::SES::Template'] }]],
      ]);
    });

    it('keeps a bucket name from bucket_prefix unknown, with its lifecycle and public access block attached by reference', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.trail') as S3Bucket;
      assert.equal(bucket.name, null);
      assert.equal(bucket.unknown.name, 'known only after apply');
      assert.equal(bucket.region, 'eu-west-1');
      assert.equal(bucket.public_access_block_source, 'resource');
      assert.deepEqual(bucket.public_access_block, { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
      assert.deepEqual(bucket.lifecycle_rules, [{ id: 'expire-trail-logs', enabled: true, prefix: null, expiration_days: 400, expiration_date: null, noncurrent_expiration_days: null, noncurrent_newer_versions: null, tag_filter: false, object_size_greater_than: null, object_size_less_than: null, unknown: {} }]);
      assert.equal(byId(posture, 'log_groups', 'aws_cloudwatch_log_group.trail').retention_in_days, 400);
    });

    it('nests the event destination under its configuration set and links the Firehose stream, its bucket and error log group', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const configurationSet = byId(posture, 'configuration_sets', 'aws_sesv2_configuration_set.main');
      assert.equal(configurationSet.api, 'v2');
      assert.equal(configurationSet.tls_policy, 'REQUIRE');
      assert.deepEqual(configurationSet.event_destinations.map((d) => [d.id, d.enabled, d.destination_type, d.firehose_stream]), [
        ['aws_sesv2_configuration_set_event_destination.firehose', true, 'kinesis_firehose', 'aws_kinesis_firehose_delivery_stream.ses_events'],
      ]);
      assert.deepEqual(configurationSet.event_destinations[0].event_types, [
        'BOUNCE', 'COMPLAINT', 'DELIVERY', 'DELIVERY_DELAY', 'REJECT', 'RENDERING_FAILURE', 'SEND', 'SUBSCRIPTION',
      ]);
      const stream = byId(posture, 'firehose_streams', 'aws_kinesis_firehose_delivery_stream.ses_events');
      assert.equal(stream.s3_bucket, 'aws_s3_bucket.events');
      assert.equal(stream.compression_format, 'GZIP');
      assert.equal(stream.error_output_prefix, 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/');
      assert.deepEqual(stream.cloudwatch_logging, {
        enabled: true,
        log_group_name: '/aws/kinesisfirehose/ses-events',
        log_group: 'aws_cloudwatch_log_group.firehose_errors',
      });
      assert.equal((byId(posture, 's3_buckets', 'aws_s3_bucket.events') as S3Bucket).lifecycle_rules[0].expiration_days, 400);
    });

    it('gives the identity its default configuration set, notification topics (by SNS resource) and feedback setting', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const identity = byId(posture, 'identities', 'aws_sesv2_email_identity.example') as Identity;
      assert.equal(identity.region, 'eu-west-1');
      assert.equal(identity.default_configuration_set, 'aws_sesv2_configuration_set.main');
      assert.equal(identity.default_configuration_set_name, 'ses-logging');
      assert.deepEqual(identity.notification_topics, [
        { type: 'BOUNCE', topic_arn: 'aws_sns_topic.feedback' },
        { type: 'COMPLAINT', topic_arn: 'aws_sns_topic.feedback' },
      ]);
      assert.equal(identity.feedback_forwarding_enabled, false);
      assert.equal(identity.kind, 'domain');
    });

    it('links WorkMail log deliveries (for_each over the sources) to their source, destination and log group', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const organization = 'arn:aws:workmail:eu-west-1:111122223333:organization/m-0123456789abcdef0123456789abcdef';
      assert.deepEqual(posture.delivery_sources.map((s) => [s.id, s.log_type, s.resource_arn]), [
        'ACCESS_CONTROL_LOGS', 'AUTHENTICATION_LOGS', 'WORKMAIL_AVAILABILITY_PROVIDER_LOGS', 'WORKMAIL_MAILBOX_ACCESS_LOGS', 'WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS',
      ].map((type) => [`aws_cloudwatch_log_delivery_source.workmail["${type}"]`, type, organization]), 'resource_arn from the variable default');
      const destination = byId(posture, 'delivery_destinations', 'aws_cloudwatch_log_delivery_destination.workmail');
      assert.equal(destination.destination_type, 'cwl');
      assert.equal(destination.target, 'aws_cloudwatch_log_group.workmail');
      // delivery_source_name = aws_cloudwatch_log_delivery_source.workmail[each.key].name: Terraform lists the resource without the key.
      const delivery = byId(posture, 'deliveries', 'aws_cloudwatch_log_delivery.workmail["AUTHENTICATION_LOGS"]');
      assert.equal(delivery.delivery_source, 'aws_cloudwatch_log_delivery_source.workmail["AUTHENTICATION_LOGS"]');
      assert.equal(delivery.delivery_destination, 'aws_cloudwatch_log_delivery_destination.workmail');
      assert.equal(delivery.region, 'eu-west-1');
      assert.equal(posture.deliveries.length, 5);
    });

    it('carries no offline credentials in the provider configuration (removed when the fixture was made)', () => {
      for (const name of [FIXTURE, 'plan-noncompliant-provider5.json', 'plan-modules-provider5.json']) {
        const text = fs.readFileSync(fixture(name), 'utf8');
        assert.doesNotMatch(text, /access_key|secret_key|skip_credentials_validation/, name);
      }
    });
  });

  describe('a non-compliant plan from AWS provider 5 (terraform output: no region argument, provider aliases, prior state)', () => {
    const FIXTURE = 'plan-noncompliant-provider5.json';

    it('takes regions from the provider configuration, an alias, and a variable value', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      assertValid(posture);
      assert.deepEqual(posture.notes, []);
      assert.equal(byId(posture, 'trails', 'aws_cloudtrail.audit').region, 'us-east-1');
      // aws.euw1's region is var.ses_region, whose value the plan records.
      assert.equal(byId(posture, 'trails', 'aws_cloudtrail.ses_writes').region, 'eu-west-1');
      assert.equal(byId(posture, 'configuration_sets', 'aws_ses_configuration_set.legacy').region, 'eu-west-1');
      assert.equal(byId(posture, 'identities', 'aws_ses_domain_identity.legacy').region, 'eu-west-1');
      assert.equal(byId(posture, 'log_groups', 'aws_cloudwatch_log_group.legacy').region, 'eu-west-1');
      assert.equal(byId(posture, 'identities', 'aws_sesv2_email_identity.alerts').region, 'us-east-1');
    });

    it("names the account of every resource whose provider credentials are the existing trail's, from that trail's ARN", async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      // Provider aliases that set no credentials of their own use the environment's: one account.
      for (const [collection, id] of [
        ['trails', 'aws_cloudtrail.audit'], ['trails', 'aws_cloudtrail.ses_writes'], ['identities', 'aws_sesv2_email_identity.alerts'],
        ['identities', 'aws_ses_domain_identity.legacy'], ['s3_buckets', 'aws_s3_bucket.ses_trail'],
      ] as const) {
        const object = byId(posture, collection, id);
        assert.equal(object.account, '111122223333', id);
        assert.equal(object.unknown.account, undefined, id);
      }
    });

    it('leaves resources planned for deletion (and forgotten by a removed block) out of the future state', async () => {
      const plan = rawFixture(FIXTURE);
      assert.deepEqual(changeOf(plan, 'aws_cloudtrail.old').change.actions, ['delete']);
      assert.deepEqual(changeOf(plan, 'aws_s3_bucket.old_audit').change.actions, ['forget']);
      // Terraform still lists the forgotten bucket in planned_values: the adapter must drop it itself.
      assert.ok(plan.planned_values.root_module.resources.some((r: PlanJson) => r.address === 'aws_s3_bucket.old_audit'));
      const posture = await readPlanFile(fixture(FIXTURE));
      assert.deepEqual(posture.trails.map((t) => t.id), ['aws_cloudtrail.audit', 'aws_cloudtrail.ses_writes']);
      assert.deepEqual(posture.s3_buckets.map((b) => b.id), ['aws_s3_bucket.audit_logs', 'aws_s3_bucket.ses_trail']);
    });

    it('reads legacy selectors, v1 names and defaults as they are', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.audit') as Trail;
      assert.deepEqual(trail.basic_event_selectors, [{
        read_write_type: 'All',
        include_management_events: true,
        exclude_management_event_sources: [],
        data_resources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }],
      }]);
      assert.deepEqual(trail.advanced_event_selectors, []);
      assert.equal(trail.multi_region, false);
      assert.equal(trail.log_file_validation, false);
      assert.equal(trail.kms_key_id, null, 'an empty kms_key_id in the state is no key');
      assert.equal(trail.kms_key, null);
      assert.deepEqual(trail.unknown, {});
      assert.equal(trail.s3_bucket, 'aws_s3_bucket.audit_logs');
      const configurationSet = byId(posture, 'configuration_sets', 'aws_ses_configuration_set.legacy');
      assert.equal(configurationSet.api, 'v1');
      assert.equal(configurationSet.tls_policy, 'OPTIONAL');
      assert.deepEqual(configurationSet.event_destinations.map((d) => [d.id, d.enabled, d.destination_type, d.event_types]), [
        ['aws_ses_event_destination.cloudwatch', false, 'cloud_watch', ['BOUNCE', 'RENDERING_FAILURE', 'SEND']],
      ]);
      const legacy = byId(posture, 'identities', 'aws_ses_domain_identity.legacy') as Identity;
      assert.deepEqual([legacy.api, legacy.default_configuration_set, legacy.feedback_forwarding_enabled], ['v1', null, true]);
      const alerts = byId(posture, 'identities', 'aws_sesv2_email_identity.alerts') as Identity;
      assert.deepEqual([alerts.kind, alerts.default_configuration_set_name, alerts.unknown], ['email', null, {}]);
      const logGroup = byId(posture, 'log_groups', 'aws_cloudwatch_log_group.legacy');
      assert.deepEqual(changeOf(rawFixture(FIXTURE), 'aws_cloudwatch_log_group.legacy').change.actions, ['update']);
      assert.equal(logGroup.retention_in_days, null, 'retention 0 means never expire');
    });

    it('keeps the selector that drops every send (readOnly Equals ["false"]) of a new trail', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.ses_writes') as Trail;
      assert.deepEqual(trail.advanced_event_selectors, [{
        name: 'ses-writes',
        field_selectors: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'readOnly', equals: ['false'] },
          { field: 'resources.type', equals: ['AWS::SES::EmailIdentity'] },
        ],
      }]);
      assert.equal(trail.s3_bucket, 'aws_s3_bucket.ses_trail');
      assert.equal(trail.kms_key, null);
      assert.equal(trail.unknown.kms_key_id, undefined, 'a new trail without kms_key_id has no key, it is not unknown');
    });

    it('gives an existing bucket without a public access block none, a new one the S3 default', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const existing = byId(posture, 's3_buckets', 'aws_s3_bucket.audit_logs') as S3Bucket;
      assert.equal(existing.public_access_block, null);
      assert.equal(existing.public_access_block_source, null);
      assert.deepEqual(existing.lifecycle_rules, [{ id: 'keep-ten-years', enabled: true, prefix: null, expiration_days: 3650, expiration_date: null, noncurrent_expiration_days: null, noncurrent_newer_versions: null, tag_filter: false, object_size_greater_than: null, object_size_less_than: null, unknown: {} }]);
      const created = byId(posture, 's3_buckets', 'aws_s3_bucket.ses_trail') as S3Bucket;
      assert.equal(created.public_access_block_source, 's3_default');
      assert.deepEqual(created.lifecycle_rules, [], 'no lifecycle configured');
      assert.equal(created.unknown.lifecycle_rules, undefined);
    });

    it('says a region is unknown when the provider configuration does not give one', async () => {
      const file = editedFixture(FIXTURE, (plan) => {
        delete plan.configuration.provider_config.aws.expressions;
        delete plan.variables;
      });
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

  describe('modules, for_each and count (AWS provider 6, hand-written)', () => {
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
  });

  describe('modules, for_each and count from AWS provider 5 (terraform output, with deleted instances)', () => {
    const FIXTURE = 'plan-modules-provider5.json';

    it('addresses every instance of for_each and count, in modules and nested modules', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      assertValid(posture);
      assert.deepEqual(posture.notes, []);
      assert.deepEqual(posture.configuration_sets.map((c) => c.id), [
        'module.archive[0].aws_sesv2_configuration_set.this',
        'module.ses["billing"].aws_sesv2_configuration_set.this',
        'module.ses["support"].aws_sesv2_configuration_set.this',
        'module.ses_usw2.aws_sesv2_configuration_set.this',
      ]);
      assert.deepEqual(posture.s3_buckets.map((b) => b.id), ['module.logs.aws_s3_bucket.this[0]', 'module.logs.aws_s3_bucket.this[1]']);
      assert.deepEqual(posture.kms_keys.map((k) => k.id), ['module.logs.module.key.aws_kms_key.this']);
      assert.deepEqual(posture.log_groups.map((g) => g.id), ['aws_cloudwatch_log_group.by_team["billing"]', 'aws_cloudwatch_log_group.by_team["support"]']);
    });

    it('leaves out instances whose module key, for_each key or count index the configuration no longer has', async () => {
      const plan = rawFixture(FIXTURE);
      assert.deepEqual(
        ['module.ses["legacy"].aws_sesv2_email_identity.this', 'aws_cloudwatch_log_group.by_team["archive"]', 'module.logs.aws_s3_bucket.this[2]']
          .map((address) => changeOf(plan, address).action_reason),
        ['delete_because_no_module', 'delete_because_each_key', 'delete_because_count_index'],
      );
      const posture = await readPlanFile(fixture(FIXTURE));
      const ids = Object.values(posture).flatMap((value) => (Array.isArray(value) ? value.map((o: { id?: string }) => o.id) : []));
      assert.deepEqual(ids.filter((id) => /\["legacy"\]|\["archive"\]|this\[2\]/.test(String(id))), []);
      assert.deepEqual(posture.identities.map((i) => i.identity).sort(), ['alerts@example.net', 'archive.example.com', 'billing.example.com', 'support.example.com', 'us.example.com']);
    });

    it('takes the region of a provider passed into a module, inherited by a nested module, or configured in a legacy module', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      // module.logs gets providers = { aws = aws.use1 }; Terraform gives its resources (and module.key's) provider_config_key aws.use1.
      assert.equal(byId(posture, 'kms_keys', 'module.logs.module.key.aws_kms_key.this').region, 'us-east-1');
      assert.equal(byId(posture, 's3_buckets', 'module.logs.aws_s3_bucket.this[1]').region, 'us-east-1');
      assert.equal(byId(posture, 'configuration_sets', 'module.ses["billing"].aws_sesv2_configuration_set.this').region, 'eu-west-1');
      assert.equal(byId(posture, 'identities', 'module.ses_usw2.aws_sesv2_email_identity.this').region, 'us-west-2');
      assert.equal(byId(posture, 'log_groups', 'aws_cloudwatch_log_group.by_team["billing"]').region, 'eu-west-1');
      assert.equal(byId(posture, 'trails', 'aws_cloudtrail.main').region, 'us-east-1');
      // The legacy module's own provider block: key module.legacy_regional:aws, region = var.region of the module call.
      assert.equal(byId(posture, 'identities', 'module.legacy_regional.aws_ses_email_identity.alerts').region, 'ap-southeast-2');
    });

    it('follows references through module outputs and links each module instance to its own resources', async () => {
      const posture = await readPlanFile(fixture(FIXTURE));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.main') as Trail;
      assert.equal(trail.s3_bucket, 'module.logs.aws_s3_bucket.this[0]', 'module.logs.trail_bucket is aws_s3_bucket.this[0].id');
      assert.equal(trail.kms_key, 'module.logs.module.key.aws_kms_key.this', 'through two module outputs');
      assert.deepEqual(trail.unknown, { arn: 'known only after apply' });
      for (const module of ['module.ses["billing"]', 'module.ses["support"]', 'module.archive[0]', 'module.ses_usw2']) {
        const identity = byId(posture, 'identities', `${module}.aws_sesv2_email_identity.this`) as Identity;
        assert.equal(identity.default_configuration_set, `${module}.aws_sesv2_configuration_set.this`);
        const configurationSet = byId(posture, 'configuration_sets', `${module}.aws_sesv2_configuration_set.this`);
        assert.deepEqual(configurationSet.event_destinations.map((d) => [d.id, d.destination_type]), [
          [`${module}.aws_sesv2_configuration_set_event_destination.events`, 'event_bridge'],
        ]);
      }
      const first = byId(posture, 's3_buckets', 'module.logs.aws_s3_bucket.this[0]') as S3Bucket;
      const second = byId(posture, 's3_buckets', 'module.logs.aws_s3_bucket.this[1]') as S3Bucket;
      assert.equal(first.public_access_block?.restrict_public_buckets, true);
      assert.equal(second.public_access_block?.restrict_public_buckets, false, 'the block of this[1] is the one with count.index 1');
      assert.equal(second.unknown.name, 'known only after apply');
    });

    it('keeps selectors from a dynamic block whose for_each is known only after apply unknown', async () => {
      const plan = rawFixture(FIXTURE);
      // Terraform leaves dynamic blocks out of the configuration expressions and marks the whole block unknown.
      assert.equal(changeOf(plan, 'aws_cloudtrail.selectors_after_apply').change.after_unknown.advanced_event_selector, true);
      const posture = await readPlanFile(fixture(FIXTURE));
      const trail = byId(posture, 'trails', 'aws_cloudtrail.selectors_after_apply') as Trail;
      assert.deepEqual(trail.advanced_event_selectors, []);
      assert.equal(trail.unknown.advanced_event_selectors, 'known only after apply');
      assert.deepEqual(trail.basic_event_selectors, [], 'no event_selector: none, and known');
      assert.equal(trail.s3_bucket, 'module.logs.aws_s3_bucket.this[0]');
    });
  });

  describe('unknown values', () => {
    it('carries an unknown without a reference as unknown, never as absent', async () => {
      const file = editedFixture('plan-compliant-provider5.json', (plan) => {
        // kms_key_id from a data source: known only after apply, and no resource of the plan to link.
        const trailConfig = plan.configuration.root_module.resources.find((r: PlanJson) => r.address === 'aws_cloudtrail.ses');
        trailConfig.expressions.kms_key_id = { references: ['data.aws_kms_key.shared.arn', 'data.aws_kms_key.shared'] };
        trailConfig.expressions.is_multi_region_trail = { references: ['var.multi_region'] };
        changeOf(plan, 'aws_cloudtrail.ses').change.after_unknown.is_multi_region_trail = true;
        const planned = plan.planned_values.root_module.resources.find((r: PlanJson) => r.address === 'aws_cloudtrail.ses');
        delete planned.values.is_multi_region_trail;
      });
      const trail = byId(await readPlanFile(file), 'trails', 'aws_cloudtrail.ses') as Trail;
      assert.equal(trail.kms_key, null);
      assert.equal(trail.kms_key_id, null);
      assert.equal(trail.unknown.kms_key_id, 'known only after apply');
      assert.equal(trail.multi_region, null);
      assert.equal(trail.unknown.multi_region, 'known only after apply');
    });
  });

  describe('replacements', () => {
    it('keeps a resource replaced with create_before_destroy, whose deposed object is deleted', async () => {
      const file = editedFixture('plan-compliant-provider5.json', (plan) => {
        const change = changeOf(plan, 'aws_cloudtrail.ses');
        change.change.actions = ['create', 'delete'];
        plan.resource_changes.push({ ...change, deposed: '8f2e5c1a', change: { ...change.change, actions: ['delete'], after: null } });
      });
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
        input: fs.readFileSync(fixture('plan-compliant-provider5.json')),
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), [{ kind: 'plan', path: '-' }, ['aws_cloudtrail.ses']]);
    });
  });

  describe('states (terraform output)', () => {
    it('reads terraform show -json of a state as the current posture', async () => {
      const state = rawFixture('state.json');
      assert.equal(state.configuration, undefined, 'a state has no configuration');
      const posture = await readPlanFile(fixture('state.json'));
      assertValid(posture);
      assert.equal(posture.source.kind, 'state');
      assert.deepEqual(posture.notes, []);
      const store = byId(posture, 'trails', 'aws_cloudtrail_event_data_store.ses') as Trail;
      assert.equal(store.kind, 'event_data_store');
      assert.equal(store.region, 'eu-west-1', 'from the ARN');
      assert.equal(store.log_file_validation, null);
      assert.equal(store.logging, true);
      assert.deepEqual(store.advanced_event_selectors[0].field_selectors, [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'eventName', not_equals: ['SendRawEmail'] },
        { field: 'resources.type', equals: ['AWS::SES::EmailIdentity'] },
      ]);
    });

    it('reads a trail without selectors in a state as the default or one selector without management events: CT-003 unknown, CT-001 still fails', async () => {
      // The AWS provider writes no event_selector for one selector {All, no data resources}, whatever its IncludeManagementEvents.
      const prior = rawFixture('plan-noncompliant-provider5.json').prior_state.values.root_module.resources as PlanJson[];
      const trail = structuredClone(prior.find((r) => r.address === 'aws_cloudtrail.audit')) as PlanJson;
      Object.assign(trail.values, { event_selector: [], advanced_event_selector: [], is_multi_region_trail: true });
      const file = editedFixture('state.json', (state) => {
        const resources = state.values.root_module.resources as PlanJson[];
        state.values.root_module.resources = [...resources.filter((r) => r.type !== 'aws_cloudtrail_event_data_store'), trail];
      });
      const posture = await readPlanFile(file);
      assertValid(posture);
      const read = byId(posture, 'trails', 'aws_cloudtrail.audit') as Trail;
      assert.equal(read.basic_event_selectors.length, 1);
      assert.equal(read.basic_event_selectors[0].include_management_events, null);
      assert.match(String(read.basic_event_selectors[0].unknown?.include_management_events), /whatever its IncludeManagementEvents/);
      const { findings } = (await PolicyEngine.load()).evaluate(posture, defaultSettings());
      const statuses = (rule: string) => new Set(findings.filter((f) => f.rule_id === rule).map((f) => f.status));
      assert.deepEqual(statuses('CT-003'), new Set(['unknown']), 'management events: the default, or a selector that drops them');
      assert.ok(statuses('CT-001').has('fail'), 'SES sends: recorded by neither');

      // A state whose trail has selectors, or a plan of a trail without them, is read as written.
      const planned = await readPlanFile(fixture('plan-compliant-provider5.json'));
      assert.ok(planned.trails.every((t) => t.basic_event_selectors.every((b) => b.include_management_events !== null)));
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
      assert.equal(delivery.region, 'eu-west-1', 'from the ARN');
      const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.workmail_audit') as S3Bucket;
      assert.equal(bucket.public_access_block_source, null, 'an existing bucket without a block');
      assert.deepEqual(bucket.lifecycle_rules.map((r) => [r.prefix, r.expiration_days]), [['AWSLogs/', 30]]);
      assert.deepEqual(posture.account_public_access_blocks[0].settings.restrict_public_buckets, false);
    });
  });
});
