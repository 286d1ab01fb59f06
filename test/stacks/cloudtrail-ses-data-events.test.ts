import assert from 'node:assert/strict';
import { CloudTrailSesDataEvents, type CloudTrailSesDataEventsProps } from '../../stacks/constructs/cloudtrail-ses-data-events';
import { StackPropsError } from '../../stacks/constructs/props';
import { onlyResource, policyOf, referenceTo, resourcesOf, synthScope, type TerraformJson } from './synth';

function synth(props: CloudTrailSesDataEventsProps = {}): TerraformJson {
  return synthScope((scope) => new CloudTrailSesDataEvents(scope, 'trail', props));
}

/** A selector as "field=value,value; field=value" for compact comparisons. */
function describeSelector(selector: { field_selector: { field: string; equals?: string[] }[] }): string {
  return selector.field_selector.map((field) => `${field.field}=${(field.equals ?? []).join(',')}`).join('; ');
}

describe('CloudTrailSesDataEvents construct (seeds 000, 002)', () => {
  const json = synth();
  const trail = onlyResource(json, 'aws_cloudtrail');

  it('selects management events and the SES data events of identities, configuration sets and templates', () => {
    assert.deepEqual(trail.advanced_event_selector.map(describeSelector), [
      'eventCategory=Management',
      'eventCategory=Data; resources.type=AWS::SES::EmailIdentity',
      'eventCategory=Data; resources.type=AWS::SES::ConfigurationSet',
      'eventCategory=Data; resources.type=AWS::SES::Template',
    ]);
    assert.equal(trail.event_selector, undefined, 'no basic selectors: they cannot record SES data events');
  });

  it('is multi-region, logging, with log file validation and a KMS key, by default', () => {
    assert.equal(trail.is_multi_region_trail, true);
    assert.equal(trail.include_global_service_events, true);
    assert.equal(trail.enable_logging, true);
    assert.equal(trail.enable_log_file_validation, true);
    assert.equal(trail.kms_key_id, referenceTo(json, 'aws_kms_key', 'arn'));
    assert.equal(trail.s3_bucket_name, referenceTo(json, 'aws_s3_bucket', 'id'));
  });

  it('can be a single-region trail', () => {
    const single = onlyResource(synth({ multiRegion: false }), 'aws_cloudtrail');
    assert.equal(single.is_multi_region_trail, false);
  });

  it('rotates the key and lets CloudTrail encrypt with it only for this account\'s trails', () => {
    const key = onlyResource(json, 'aws_kms_key');
    assert.equal(key.enable_key_rotation, true);
    const statements = policyOf(key).Statement as { Sid: string; Action: string | string[]; Condition?: Record<string, Record<string, string>> }[];
    const encrypt = statements.find((statement) => statement.Sid === 'CloudTrailEncryptsLogs');
    assert.equal(encrypt?.Action, 'kms:GenerateDataKey*');
    assert.match(encrypt?.Condition?.StringLike['kms:EncryptionContext:aws:cloudtrail:arn'] ?? '', /:cloudtrail:\*:\$\{data\.aws_caller_identity\.[^}]+\}:trail\/\*$/);
    assert.match(encrypt?.Condition?.StringEquals['aws:SourceArn'] ?? '', /:trail\/sescheck-ses$/);
    const admin = statements.find((statement) => statement.Sid === 'AccountAdministersKey');
    assert.equal(admin?.Action, 'kms:*');
    assert.equal(onlyResource(json, 'aws_kms_alias').name, 'alias/cloudtrail-sescheck-ses');
  });

  it('writes to a private bucket whose policy admits CloudTrail only for this trail, expiring objects after the retention', () => {
    const statements = policyOf(onlyResource(json, 'aws_s3_bucket_policy')).Statement as { Sid: string; Action: string; Condition: Record<string, Record<string, string>> }[];
    for (const sid of ['CloudTrailAclCheck', 'CloudTrailWrite']) {
      const statement = statements.find((s) => s.Sid === sid);
      assert.match(statement?.Condition.StringEquals['aws:SourceArn'] ?? '', /^arn:\$\{data\.aws_partition\.[^}]+\}:cloudtrail:\$\{data\.aws_region\.[^}]+\}:\$\{data\.aws_caller_identity\.[^}]+\}:trail\/sescheck-ses$/, sid);
    }
    assert.deepEqual(statements.map((s) => s.Action), ['s3:GetBucketAcl', 's3:PutObject', 's3:*']);
    const block = onlyResource(json, 'aws_s3_bucket_public_access_block');
    assert.deepEqual([block.block_public_acls, block.block_public_policy, block.ignore_public_acls, block.restrict_public_buckets], [true, true, true, true]);
    assert.deepEqual(onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule[0].expiration, [{ days: 400 }]);
    assert.ok(trail.depends_on.some((dependency: string) => dependency.startsWith('aws_s3_bucket_policy.')));
  });

  it('delivers to CloudWatch Logs only when asked, with the retention', () => {
    assert.equal(Object.keys(resourcesOf(json, 'aws_cloudwatch_log_group')).length, 0);
    assert.equal(trail.cloud_watch_logs_group_arn, undefined);
    const withLogs = synth({ cloudWatchLogs: true, retentionDays: 90 });
    const logTrail = onlyResource(withLogs, 'aws_cloudtrail');
    assert.equal(onlyResource(withLogs, 'aws_cloudwatch_log_group').retention_in_days, 90);
    assert.equal(logTrail.cloud_watch_logs_group_arn, `${referenceTo(withLogs, 'aws_cloudwatch_log_group', 'arn')}:*`);
    assert.equal(logTrail.cloud_watch_logs_role_arn, referenceTo(withLogs, 'aws_iam_role', 'arn'));
    assert.deepEqual(onlyResource(withLogs, 'aws_s3_bucket_lifecycle_configuration').rule[0].expiration, [{ days: 90 }]);
  });

  it('rejects a retention outside 35-540 and an invalid trail name', () => {
    assert.throws(() => synth({ trailName: 'a b' }), /trailName must be 3-128 letters/);
    assert.throws(() => synth({ retentionDays: 600 }), (error: Error) =>
      error instanceof StackPropsError && error.message === 'CloudTrailSesDataEvents trail: retentionDays must be an integer between 35 and 540, got 600');
  });
});
