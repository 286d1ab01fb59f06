import assert from 'node:assert/strict';
import { Testing } from 'cdktf';
import { StackPropsError } from '../../stacks/constructs/props';
import { SesEventPublishing, type SesEventPublishingProps } from '../../stacks/constructs/ses-event-publishing';
import { onlyResource, policyOf, referenceTo, resourcesOf, synthScope, type TerraformJson } from './synth';

function synth(props: SesEventPublishingProps = {}): TerraformJson {
  return synthScope((scope) => new SesEventPublishing(scope, 'ses', props));
}

describe('SesEventPublishing construct (seed 003)', () => {
  const json = synth({ identities: ['example.com', 'noreply@example.org'] });

  it('creates a configuration set that requires TLS', () => {
    const set = onlyResource(json, 'aws_sesv2_configuration_set');
    assert.equal(set.configuration_set_name, 'sescheck-ses-events');
    assert.deepEqual(set.delivery_options, { tls_policy: 'REQUIRE' });
  });

  it('publishes the eight event types to Firehose through an enabled destination', () => {
    const destination = onlyResource(json, 'aws_sesv2_configuration_set_event_destination');
    assert.equal(destination.configuration_set_name, referenceTo(json, 'aws_sesv2_configuration_set', 'configuration_set_name'));
    assert.equal(destination.event_destination.enabled, true);
    assert.deepEqual([...destination.event_destination.matching_event_types].sort(), [
      'BOUNCE', 'COMPLAINT', 'DELIVERY', 'DELIVERY_DELAY', 'REJECT', 'RENDERING_FAILURE', 'SEND', 'SUBSCRIPTION',
    ]);
    assert.equal(destination.event_destination.kinesis_firehose_destination.delivery_stream_arn, referenceTo(json, 'aws_kinesis_firehose_delivery_stream', 'arn'));
    assert.ok(Testing.toHaveResourceWithProperties(JSON.stringify(json), 'aws_sesv2_configuration_set_event_destination', {
      event_destination: { enabled: true },
    }));
  });

  it('lets SES assume its role only for this configuration set, and put records only into this stream', () => {
    const roles = Object.values(resourcesOf(json, 'aws_iam_role'));
    const sesRole = roles.find((role) => policyOf(role, 'assume_role_policy').Statement[0].Principal.Service === 'ses.amazonaws.com');
    assert.ok(sesRole, 'a role trusted by ses.amazonaws.com');
    const condition = policyOf(sesRole, 'assume_role_policy').Statement[0].Condition.StringEquals;
    assert.match(condition['aws:SourceArn'], /:configuration-set\/sescheck-ses-events$/);
    assert.match(condition['aws:SourceAccount'], /aws_caller_identity/);
    const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy'));
    const sesPolicy = policies.find((policy) => policy.name === 'put-ses-events');
    assert.deepEqual(policyOf(sesPolicy).Statement, [{
      Effect: 'Allow',
      Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
      Resource: referenceTo(json, 'aws_kinesis_firehose_delivery_stream', 'arn'),
    }]);
  });

  it('delivers to S3 compressed, buffered, partitioned by event type and day, with error output and error logging', () => {
    const stream = onlyResource(json, 'aws_kinesis_firehose_delivery_stream');
    const s3 = stream.extended_s3_configuration;
    assert.equal(stream.destination, 'extended_s3');
    assert.equal(s3.bucket_arn, referenceTo(json, 'aws_s3_bucket', 'arn'));
    assert.equal(s3.compression_format, 'GZIP');
    assert.equal(s3.buffering_interval, 300);
    assert.equal(s3.buffering_size, 128);
    assert.equal(s3.prefix, 'partitioned/!{partitionKeyFromQuery:EventType}/!{timestamp:yyyy/MM/dd}/');
    assert.match(s3.error_output_prefix, /^errorLog\/!\{firehose:error-output-type\}\//);
    assert.deepEqual(s3.dynamic_partitioning_configuration, { enabled: true, retry_duration: 300 });
    const processor = s3.processing_configuration.processors[0];
    assert.equal(processor.type, 'MetadataExtraction');
    assert.deepEqual(processor.parameters[0], { parameter_name: 'MetadataExtractionQuery', parameter_value: '{EventType: .eventType}' });
    assert.equal(s3.cloudwatch_logging_options.enabled, true);
    assert.equal(s3.cloudwatch_logging_options.log_group_name, referenceTo(json, 'aws_cloudwatch_log_group', 'name'));
    assert.equal(s3.cloudwatch_logging_options.log_stream_name, referenceTo(json, 'aws_cloudwatch_log_stream', 'name'));
  });

  it('keeps logs for the retention: bucket lifecycle and error log group both 400 days by default', () => {
    const lifecycle = onlyResource(json, 'aws_s3_bucket_lifecycle_configuration');
    assert.equal(lifecycle.rule[0].status, 'Enabled');
    assert.deepEqual(lifecycle.rule[0].expiration, [{ days: 400 }]);
    assert.equal(onlyResource(json, 'aws_cloudwatch_log_group').retention_in_days, 400);
  });

  it('blocks all public access and prefers bucket-owner object ownership', () => {
    const block = onlyResource(json, 'aws_s3_bucket_public_access_block');
    for (const setting of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
      assert.equal(block[setting], true, setting);
    }
    assert.equal(onlyResource(json, 'aws_s3_bucket_ownership_controls').rule.object_ownership, 'BucketOwnerPreferred');
  });

  it('makes the configuration set the default of every identity and sends their bounces and complaints to the topic', () => {
    const identities = Object.values(resourcesOf(json, 'aws_sesv2_email_identity'));
    assert.deepEqual(identities.map((identity) => identity.email_identity).sort(), ['example.com', 'noreply@example.org']);
    for (const identity of identities) {
      assert.equal(identity.configuration_set_name, referenceTo(json, 'aws_sesv2_configuration_set', 'configuration_set_name'));
    }
    const topics = Object.values(resourcesOf(json, 'aws_ses_identity_notification_topic'));
    const topicArn = referenceTo(json, 'aws_sns_topic', 'arn');
    const pairs = topics.map((topic) => {
      assert.equal(topic.topic_arn, topicArn);
      const identityName = Object.entries(resourcesOf(json, 'aws_sesv2_email_identity'))
        .find(([name]) => topic.identity === `\${aws_sesv2_email_identity.${name}.email_identity}`)?.[1].email_identity;
      return `${identityName} ${topic.notification_type}`;
    });
    assert.deepEqual(pairs.sort(), ['example.com Bounce', 'example.com Complaint', 'noreply@example.org Bounce', 'noreply@example.org Complaint']);
  });

  it('catalogs the events for Athena with partition projection (no crawler) and keeps results under athenaAdhocQueries/', () => {
    const table = onlyResource(json, 'aws_glue_catalog_table');
    assert.equal(table.name, 'seslogs');
    assert.equal(table.table_type, 'EXTERNAL_TABLE');
    assert.deepEqual(table.partition_keys.map((key: { name: string }) => key.name), ['event_type', 'day']);
    assert.equal(table.parameters['projection.enabled'], 'true');
    assert.equal(table.parameters['projection.event_type.values'], 'Send,Delivery,Reject,Bounce,Complaint,Rendering Failure,DeliveryDelay,Subscription');
    assert.equal(table.parameters['projection.day.format'], 'yyyy/MM/dd');
    assert.match(table.parameters['storage.location.template'], /\/partitioned\/\$\$\{event_type\}\/\$\$\{day\}\/$/);
    assert.equal(table.storage_descriptor.ser_de_info.serialization_library, 'org.openx.data.jsonserde.JsonSerDe');
    const columns = table.storage_descriptor.columns.map((column: { name: string }) => column.name);
    for (const column of ['eventtype', 'mail', 'send', 'delivery', 'bounce', 'complaint', 'reject', 'failure', 'deliverydelay', 'subscription']) {
      assert.ok(columns.includes(column), `column ${column}`);
    }
    assert.equal(Object.keys(resourcesOf(json, 'aws_glue_crawler')).length, 0);
    const workgroup = onlyResource(json, 'aws_athena_workgroup');
    assert.match(workgroup.configuration.result_configuration.output_location, /^s3:\/\/\$\{aws_s3_bucket\.[^}]+\.bucket\}\/athenaAdhocQueries\/$/);
  });

  it('saves the seed\'s two queries: one day\'s deliveries, and bounces over a range with their details', () => {
    const queries = Object.values(resourcesOf(json, 'aws_athena_named_query')).map((query) => query.query as string);
    assert.equal(queries.length, 2);
    assert.ok(queries.some((query) => /event_type = 'Delivery'/.test(query) && /day = '/.test(query)));
    const bounces = queries.find((query) => /event_type = 'Bounce'/.test(query));
    assert.ok(bounces);
    for (const field of ['bounceType', 'bounceSubType', 'feedbackId', 'reportingMTA', 'messageId', 'source', 'subject', 'commonHeaders.to', 'ses_source_ip', 'ses_outgoing_ip']) {
      assert.ok(bounces.includes(field), field);
    }
    assert.match(bounces, /day BETWEEN '/);
  });

  it('applies the retention given, rounding the log group to a value CloudWatch Logs accepts within 35-540', () => {
    const short = synth({ retentionDays: 35 });
    assert.deepEqual(onlyResource(short, 'aws_s3_bucket_lifecycle_configuration').rule[0].expiration, [{ days: 35 }]);
    assert.equal(onlyResource(short, 'aws_cloudwatch_log_group').retention_in_days, 60);
    const long = synth({ retentionDays: 540 });
    assert.deepEqual(onlyResource(long, 'aws_s3_bucket_lifecycle_configuration').rule[0].expiration, [{ days: 540 }]);
    assert.equal(onlyResource(long, 'aws_cloudwatch_log_group').retention_in_days, 400);
    assert.equal(onlyResource(synth({ retentionDays: 200 }), 'aws_cloudwatch_log_group').retention_in_days, 180);
  });

  it('rejects invalid props with a message naming the prop', () => {
    for (const retentionDays of [34, 541, 400.5, Number.NaN]) {
      assert.throws(() => synth({ retentionDays }), (error: Error) =>
        error instanceof StackPropsError && /retentionDays must be an integer between 35 and 540/.test(error.message));
    }
    assert.throws(() => synth({ namePrefix: 'Bad_Prefix' }), /namePrefix must be/);
    assert.throws(() => synth({ identities: ['not an identity'] }), /identities must be domain names or email addresses/);
    assert.throws(() => synth({ identities: ['example.com', 'EXAMPLE.com'] }), /listed twice/);
  });
});
