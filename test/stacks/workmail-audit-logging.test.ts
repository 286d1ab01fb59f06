import assert from 'node:assert/strict';
import { StackPropsError } from '../../stacks/constructs/props';
import { WorkmailAuditLogging, type WorkmailAuditLoggingProps } from '../../stacks/constructs/workmail-audit-logging';
import { onlyResource, policyOf, referenceTo, resourcesOf, synthScope, type TerraformJson } from './synth';

const ORGANIZATION = 'arn:aws:workmail:eu-west-1:111122223333:organization/m-0123456789abcdef0123456789abcdef';

function synth(props: Partial<WorkmailAuditLoggingProps> = {}): TerraformJson {
  return synthScope((scope) => new WorkmailAuditLogging(scope, 'workmail', { organizationArn: ORGANIZATION, ...props }));
}

describe('WorkmailAuditLogging construct (seed 004)', () => {
  const json = synth();

  it('creates a delivery source for each of the five audit log types of the organization', () => {
    const sources = Object.values(resourcesOf(json, 'aws_cloudwatch_log_delivery_source'));
    assert.deepEqual(sources.map((source) => source.log_type).sort(), [
      'ACCESS_CONTROL_LOGS', 'AUTHENTICATION_LOGS', 'WORKMAIL_AVAILABILITY_PROVIDER_LOGS', 'WORKMAIL_MAILBOX_ACCESS_LOGS',
      'WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS',
    ]);
    for (const source of sources) assert.equal(source.resource_arn, ORGANIZATION);
  });

  it('delivers every source to one destination: a log group with the retention, by default', () => {
    const destinationArn = referenceTo(json, 'aws_cloudwatch_log_delivery_destination', 'arn');
    const deliveries = Object.values(resourcesOf(json, 'aws_cloudwatch_log_delivery'));
    const sourceNames = Object.keys(resourcesOf(json, 'aws_cloudwatch_log_delivery_source'))
      .map((name) => `\${aws_cloudwatch_log_delivery_source.${name}.name}`);
    assert.deepEqual(deliveries.map((delivery) => delivery.delivery_source_name).sort(), sourceNames.sort());
    for (const delivery of deliveries) assert.equal(delivery.delivery_destination_arn, destinationArn);
    const destination = onlyResource(json, 'aws_cloudwatch_log_delivery_destination');
    assert.deepEqual(destination.delivery_destination_configuration, [{ destination_resource_arn: referenceTo(json, 'aws_cloudwatch_log_group', 'arn') }]);
    assert.equal(onlyResource(json, 'aws_cloudwatch_log_group').retention_in_days, 400);
  });

  it('can deliver to S3: a private bucket with the lifecycle, writable by the log delivery service', () => {
    const s3 = synth({ destinationType: 's3', retentionDays: 100 });
    const destination = onlyResource(s3, 'aws_cloudwatch_log_delivery_destination');
    assert.deepEqual(destination.delivery_destination_configuration, [{ destination_resource_arn: referenceTo(s3, 'aws_s3_bucket', 'arn') }]);
    assert.deepEqual(onlyResource(s3, 'aws_s3_bucket_lifecycle_configuration').rule[0].expiration, [{ days: 100 }]);
    assert.equal(onlyResource(s3, 'aws_s3_bucket_public_access_block').restrict_public_buckets, true);
    const write = policyOf(onlyResource(s3, 'aws_s3_bucket_policy')).Statement[0];
    assert.equal(write.Principal.Service, 'delivery.logs.amazonaws.com');
    assert.equal(Object.keys(resourcesOf(s3, 'aws_cloudwatch_log_group')).length, 0);
  });

  it('can deliver to Firehose: a tagged stream into a bucket with the lifecycle, with error logging', () => {
    const firehose = synth({ destinationType: 'firehose' });
    const stream = onlyResource(firehose, 'aws_kinesis_firehose_delivery_stream');
    assert.equal(stream.tags.LogDeliveryEnabled, 'true');
    assert.equal(stream.extended_s3_configuration.bucket_arn, referenceTo(firehose, 'aws_s3_bucket', 'arn'));
    assert.equal(stream.extended_s3_configuration.compression_format, 'GZIP');
    assert.equal(stream.extended_s3_configuration.cloudwatch_logging_options.enabled, true);
    const destination = onlyResource(firehose, 'aws_cloudwatch_log_delivery_destination');
    assert.deepEqual(destination.delivery_destination_configuration, [{ destination_resource_arn: referenceTo(firehose, 'aws_kinesis_firehose_delivery_stream', 'arn') }]);
    assert.deepEqual(onlyResource(firehose, 'aws_s3_bucket_lifecycle_configuration').rule[0].expiration, [{ days: 400 }]);
    assert.equal(onlyResource(firehose, 'aws_cloudwatch_log_group').retention_in_days, 400);
  });

  it('rejects an ARN that is not a WorkMail organization, an unknown destination type and bad log types', () => {
    for (const organizationArn of ['arn:aws:ses:eu-west-1:111122223333:identity/example.com', 'm-0123456789abcdef0123456789abcdef', '']) {
      assert.throws(() => synth({ organizationArn }), (error: Error) =>
        error instanceof StackPropsError && /organizationArn must be a WorkMail organization ARN/.test(error.message));
    }
    assert.throws(() => synth({ destinationType: 'sqs' as never }), /destinationType must be one of cloudwatch_logs, s3, firehose/);
    assert.throws(() => synth({ logTypes: [] }), /logTypes must be a non-empty list/);
    assert.throws(() => synth({ logTypes: ['MAIL_LOGS' as never] }), /logTypes must be a non-empty list/);
    assert.throws(() => synth({ retentionDays: 0 }), /retentionDays must be an integer between 35 and 540, got 0/);
  });
});
