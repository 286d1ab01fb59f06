/**
 * The reference setup as Terraform JSON (AWS provider 5.x): what `sescheck config` reads, and the
 * configuration scripts/fixtures/regen-plan-fixtures.sh plans into the plan fixture.
 */
import { ACCOUNT, DEFAULT_BUS_ARN, REGION, byKey, organizationArn, type FieldSelectorSpec, type PublicAccessBlockSpec, type ReferenceSetup } from './reference-setup';

type Block = Record<string, unknown>;

/** SES v1 resources spell event types in camelCase (renderingFailure). */
function v1EventType(type: string): string {
  return type.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function publicAccessBlock(block: PublicAccessBlockSpec): Block {
  return {
    block_public_acls: block.blockPublicAcls,
    block_public_policy: block.blockPublicPolicy,
    ignore_public_acls: block.ignorePublicAcls,
    restrict_public_buckets: block.restrictPublicBuckets,
  };
}

function fieldSelector(condition: FieldSelectorSpec): Block {
  return { field: condition.field, ...(condition.equals ? { equals: condition.equals } : {}), ...(condition.startsWith ? { starts_with: condition.startsWith } : {}) };
}

export function terraformJson(setup: ReferenceSetup): Block {
  const resource: Record<string, Record<string, Block>> = {};
  const add = (type: string, name: string, body: Block): void => {
    (resource[type] ??= {})[name] = body;
  };

  add('aws_kms_key', setup.kmsKey.key, { description: setup.kmsKey.description, deletion_window_in_days: 7 });
  add('aws_s3_account_public_access_block', 'account', publicAccessBlock(setup.accountPublicAccessBlock));
  for (const bucket of setup.buckets) {
    const ref = `aws_s3_bucket.${bucket.key}.id`;
    add('aws_s3_bucket', bucket.key, { bucket: bucket.name });
    add('aws_s3_bucket_public_access_block', bucket.key, { bucket: `\${${ref}}`, ...publicAccessBlock(bucket.publicAccessBlock) });
    if (bucket.versioning) add('aws_s3_bucket_versioning', bucket.key, { bucket: `\${${ref}}`, versioning_configuration: [{ status: bucket.versioning }] });
    add('aws_s3_bucket_lifecycle_configuration', bucket.key, {
      bucket: `\${${ref}}`,
      rule: bucket.lifecycle.map((rule) => ({
        id: rule.id,
        status: 'Enabled',
        filter: [rule.prefix === null ? {} : { prefix: rule.prefix }],
        expiration: [{ days: rule.expirationDays }],
        ...(rule.noncurrentDays ? { noncurrent_version_expiration: [{ noncurrent_days: rule.noncurrentDays }] } : {}),
      })),
    });
  }
  for (const group of setup.logGroups) {
    add('aws_cloudwatch_log_group', group.key, { name: group.name, ...(group.retentionDays ? { retention_in_days: group.retentionDays } : {}) });
  }
  for (const trail of setup.trails) {
    add('aws_cloudtrail', trail.key, {
      name: trail.name,
      s3_bucket_name: `\${aws_s3_bucket.${byKey(setup.buckets, trail.bucket).key}.id}`,
      ...(trail.s3KeyPrefix ? { s3_key_prefix: trail.s3KeyPrefix } : {}),
      is_multi_region_trail: trail.multiRegion,
      enable_log_file_validation: trail.logFileValidation,
      ...(trail.encrypted ? { kms_key_id: `\${aws_kms_key.${setup.kmsKey.key}.arn}` } : {}),
      ...(trail.logGroup
        ? {
            cloud_watch_logs_group_arn: `\${aws_cloudwatch_log_group.${byKey(setup.logGroups, trail.logGroup).key}.arn}:*`,
            cloud_watch_logs_role_arn: `arn:aws:iam::${ACCOUNT}:role/sescheck-diff-cloudtrail-logs`,
          }
        : {}),
      ...(trail.advancedSelectors
        ? { advanced_event_selector: trail.advancedSelectors.map((s) => ({ name: s.name, field_selector: s.fieldSelectors.map(fieldSelector) })) }
        : {}),
      ...(trail.basicSelectors
        ? {
            event_selector: trail.basicSelectors.map((s) => ({
              include_management_events: s.includeManagementEvents,
              exclude_management_event_sources: s.excludeManagementEventSources,
              ...(s.dataResources.length ? { data_resource: s.dataResources } : {}),
            })),
          }
        : {}),
    });
  }
  for (const stream of setup.streams) {
    add('aws_kinesis_firehose_delivery_stream', stream.key, {
      name: stream.name,
      destination: 'extended_s3',
      extended_s3_configuration: [{
        role_arn: `arn:aws:iam::${ACCOUNT}:role/sescheck-diff-firehose`,
        bucket_arn: `\${aws_s3_bucket.${byKey(setup.buckets, stream.bucket).key}.arn}`,
        ...(stream.prefix ? { prefix: stream.prefix } : {}),
        ...(stream.errorOutputPrefix ? { error_output_prefix: stream.errorOutputPrefix } : {}),
        ...(stream.compression ? { compression_format: stream.compression } : {}),
        ...(stream.logging
          ? {
              cloudwatch_logging_options: [{
                enabled: true,
                log_group_name: `\${aws_cloudwatch_log_group.${byKey(setup.logGroups, stream.logging.logGroup).key}.name}`,
                log_stream_name: stream.logging.logStream,
              }],
            }
          : {}),
      }],
    });
  }
  for (const set of setup.configurationSets) {
    if (set.api === 'v2') {
      add('aws_sesv2_configuration_set', set.key, { configuration_set_name: set.name, ...(set.tlsPolicy ? { delivery_options: [{ tls_policy: set.tlsPolicy }] } : {}) });
    } else {
      add('aws_ses_configuration_set', set.key, { name: set.name, ...(set.tlsPolicy ? { delivery_options: [{ tls_policy: set.tlsPolicy === 'REQUIRE' ? 'Require' : 'Optional' }] } : {}) });
    }
    for (const destination of set.destinations) {
      const streamArn = destination.stream ? `\${aws_kinesis_firehose_delivery_stream.${byKey(setup.streams, destination.stream).key}.arn}` : null;
      const cloudWatchDimension = { dimension_name: 'ses:configuration-set', default_value: set.name, value_source: 'messageTag' };
      if (set.api === 'v2') {
        add('aws_sesv2_configuration_set_event_destination', destination.key, {
          configuration_set_name: `\${aws_sesv2_configuration_set.${set.key}.configuration_set_name}`,
          event_destination_name: destination.name,
          event_destination: [{
            enabled: destination.enabled,
            matching_event_types: destination.eventTypes,
            ...(destination.kind === 'firehose'
              ? { kinesis_firehose_destination: [{ delivery_stream_arn: streamArn, iam_role_arn: destination.roleArn }] }
              : destination.kind === 'event_bridge'
                ? { event_bridge_destination: [{ event_bus_arn: DEFAULT_BUS_ARN }] }
                : { cloud_watch_destination: [{ dimension_configuration: [cloudWatchDimension] }] }),
          }],
        });
      } else {
        add('aws_ses_event_destination', destination.key, {
          configuration_set_name: `\${aws_ses_configuration_set.${set.key}.name}`,
          name: destination.name,
          enabled: destination.enabled,
          matching_types: destination.eventTypes.map(v1EventType),
          ...(destination.kind === 'firehose'
            ? { kinesis_destination: [{ stream_arn: streamArn, role_arn: destination.roleArn }] }
            : { cloudwatch_destination: [cloudWatchDimension] }),
        });
      }
    }
  }
  for (const identity of setup.identities) {
    if (identity.api === 'v2') {
      const set = identity.defaultConfigurationSet ? byKey(setup.configurationSets, identity.defaultConfigurationSet) : null;
      const setName = set ? (set.api === 'v2' ? `\${aws_sesv2_configuration_set.${set.key}.configuration_set_name}` : `\${aws_ses_configuration_set.${set.key}.name}`) : null;
      add('aws_sesv2_email_identity', identity.key, { email_identity: identity.identity, ...(setName ? { configuration_set_name: setName } : {}) });
    } else if (identity.identity.includes('@')) {
      add('aws_ses_email_identity', identity.key, { email: identity.identity });
    } else {
      add('aws_ses_domain_identity', identity.key, { domain: identity.identity });
    }
    if (identity.bounceTopicArn) {
      const type = identity.api === 'v2' ? 'aws_sesv2_email_identity' : identity.identity.includes('@') ? 'aws_ses_email_identity' : 'aws_ses_domain_identity';
      const attribute = identity.api === 'v2' ? 'email_identity' : identity.identity.includes('@') ? 'email' : 'domain';
      add('aws_ses_identity_notification_topic', `${identity.key}_bounce`, {
        identity: `\${${type}.${identity.key}.${attribute}}`,
        notification_type: 'Bounce',
        topic_arn: identity.bounceTopicArn,
      });
    }
  }
  for (const archive of setup.defaultBus.archives) {
    add('aws_cloudwatch_event_archive', archive.key, { name: archive.name, event_source_arn: DEFAULT_BUS_ARN, event_pattern: archive.eventPattern, retention_days: archive.retentionDays });
  }
  for (const rule of setup.defaultBus.rules) {
    add('aws_cloudwatch_event_rule', rule.key, { name: rule.name, event_pattern: rule.eventPattern });
    add('aws_cloudwatch_event_target', rule.key, {
      rule: `\${aws_cloudwatch_event_rule.${rule.key}.name}`,
      arn: `\${aws_cloudwatch_log_group.${byKey(setup.logGroups, rule.logGroup).key}.arn}`,
    });
  }
  const destinations = new Map<string, string>();
  for (const delivery of setup.workmail.deliveries) {
    add('aws_cloudwatch_log_delivery_source', delivery.key, { name: delivery.sourceName, log_type: delivery.logType, resource_arn: organizationArn(setup) });
    let destination = destinations.get(delivery.destinationName);
    if (!destination) {
      destination = delivery.destinationName.replace(/[^a-z0-9]+/g, '_');
      destinations.set(delivery.destinationName, destination);
      add('aws_cloudwatch_log_delivery_destination', destination, {
        name: delivery.destinationName,
        delivery_destination_configuration: [{ destination_resource_arn: `\${aws_cloudwatch_log_group.${byKey(setup.logGroups, delivery.logGroup).key}.arn}` }],
      });
    }
    add('aws_cloudwatch_log_delivery', delivery.key, {
      delivery_source_name: `\${aws_cloudwatch_log_delivery_source.${delivery.key}.name}`,
      delivery_destination_arn: `\${aws_cloudwatch_log_delivery_destination.${destination}.arn}`,
    });
  }
  return {
    '//': 'Generated from test/posture/differential/reference-setup.ts by test/posture/differential/write-config.ts; do not edit.',
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '~> 5.100' } } },
    provider: { aws: [{ region: REGION }] },
    resource,
  };
}

/** The file as committed: indented JSON and a final newline. */
export function terraformJsonText(setup: ReferenceSetup): string {
  return `${JSON.stringify(terraformJson(setup), null, 2)}\n`;
}
