import assert from 'node:assert/strict';
import {
  PARTITION_NAMES,
  accountOfArn,
  bucketNameOfArn,
  buildArn,
  isRoleArn,
  parseArn,
  parseFirehoseStreamArn,
  parseLogGroupArn,
  partitionHomeRegion,
  partitionOfRegion,
  regionOfArn,
} from '../../src/posture/arn';

describe('ARN module', () => {
  it('parses and builds an ARN, keeping the colons of the resource', () => {
    const text = 'arn:aws:logs:eu-west-1:111122223333:log-group:ses-events:*';
    const arn = parseArn(text);
    assert.deepEqual(arn, { partition: 'aws', service: 'logs', region: 'eu-west-1', account: '111122223333', resource: 'log-group:ses-events:*' });
    assert.equal(buildArn(arn!), text);
    assert.equal(parseArn('logs-bucket'), null);
    assert.equal(parseArn('arn:aws:s3'), null);
    assert.equal(parseArn(42), null);
  });

  it('knows the partition of a region in every AWS partition, and its home region', () => {
    const cases: [string, string][] = [
      ['eu-west-1', 'aws'], ['cn-northwest-1', 'aws-cn'], ['us-gov-east-1', 'aws-us-gov'], ['us-iso-east-1', 'aws-iso'],
      ['us-isob-east-1', 'aws-iso-b'], ['eu-isoe-west-1', 'aws-iso-e'], ['us-isof-south-1', 'aws-iso-f'], ['eusc-de-east-1', 'aws-eusc'],
    ];
    for (const [region, partition] of cases) assert.equal(partitionOfRegion(region), partition, region);
    assert.deepEqual([...PARTITION_NAMES].sort(), cases.map(([, partition]) => partition).sort());
    for (const partition of PARTITION_NAMES) assert.equal(partitionOfRegion(partitionHomeRegion(partition)), partition, partition);
  });

  it('reads regions, accounts, buckets, log groups and streams from ARNs of any partition', () => {
    assert.equal(regionOfArn('arn:aws-us-gov:ses:us-gov-west-1:111122223333:identity/example.com'), 'us-gov-west-1');
    assert.equal(regionOfArn('arn:aws:s3:::logs'), null);
    assert.equal(accountOfArn('arn:aws-eusc:cloudtrail:eusc-de-east-1:111122223333:trail/main'), '111122223333');
    assert.equal(accountOfArn('arn:aws:s3:::logs'), null);
    assert.equal(bucketNameOfArn('arn:aws-iso-b:s3:::logs/AWSLogs/'), 'logs');
    assert.equal(bucketNameOfArn('arn:aws:logs:eu-west-1:111122223333:log-group:x'), null);
    assert.deepEqual(parseLogGroupArn('arn:aws-cn:logs:cn-north-1:111122223333:log-group:/ses/events:*'), {
      partition: 'aws-cn', region: 'cn-north-1', account: '111122223333', name: '/ses/events',
    });
    assert.deepEqual(parseFirehoseStreamArn('arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses'), { region: 'eu-west-1', account: '111122223333', name: 'ses' });
    assert.equal(parseFirehoseStreamArn('arn:aws:kinesis:eu-west-1:111122223333:stream/ses'), null);
  });

  it('tells an IAM role ARN in a known partition', () => {
    assert.ok(isRoleArn('arn:aws-us-gov:iam::111122223333:role/audit/sescheck'));
    assert.ok(!isRoleArn('arn:aws:iam::111122223333:user/me'));
    assert.ok(!isRoleArn('arn:aws:iam::1111:role/x'));
    assert.ok(!isRoleArn('arn:example:iam::111122223333:role/x'));
  });
});
