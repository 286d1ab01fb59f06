import assert from 'node:assert/strict';
import { Linker, linkPosture } from '../../src/posture/linker';
import * as objects from '../../src/posture/objects';
import { emptyPosture } from '../../src/posture/types';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';

describe('posture linker', () => {
  it('finds an object by name, ARN or the name inside an ARN, in its region', () => {
    const linker = new Linker();
    linker.add('log_group', 'lg-eu', 'eu-west-1', ['trail-logs', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:trail-logs`]);
    linker.add('log_group', 'lg-us', 'us-east-1', ['trail-logs']);
    assert.deepEqual(linker.find('log_group', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:trail-logs:*`, { region: 'eu-west-1' }), ['lg-eu']);
    assert.equal(linker.findOne('log_group', 'trail-logs', { region: 'us-east-1' }), 'lg-us');
    assert.equal(linker.findOne('log_group', 'trail-logs', { region: null }), null, 'two candidates: no link');
    assert.equal(linker.findOne('log_group', 'other', { region: 'eu-west-1' }), null);
    assert.ok(linker.has('log_group', 'lg-eu'));
    assert.ok(!linker.has('s3_bucket', 'lg-eu'));
    assert.equal(linker.regionOf('lg-us'), 'us-east-1');
  });

  it('finds buckets by name in any region, also from an ARN with a key prefix', () => {
    const linker = new Linker();
    linker.add('s3_bucket', 'b', 'eu-west-1', ['logs-bucket']);
    assert.equal(linker.findOne('s3_bucket', 'arn:aws:s3:::logs-bucket', { region: 'us-east-1' }), 'b');
    assert.equal(linker.findOne('s3_bucket', 'arn:aws:s3:::logs-bucket/workmail', { region: null }), 'b');
  });

  it('tells objects of two accounts apart when both accounts are known', () => {
    const linker = new Linker();
    const mine = `arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/events`;
    const theirs = `arn:aws:firehose:eu-west-1:${OTHER}:deliverystream/events`;
    linker.add('firehose_stream', mine, 'eu-west-1', ['events', mine], ACCOUNT);
    linker.add('firehose_stream', theirs, 'eu-west-1', ['events', theirs], OTHER);
    assert.equal(linker.findOne('firehose_stream', theirs, { region: 'eu-west-1', account: OTHER }), theirs);
    assert.equal(linker.findOne('firehose_stream', 'events', { region: 'eu-west-1' }), null);
  });

  it('links a live document: trail to bucket and log group, set to stream, stream to bucket, identity to set, delivery to source and destination', () => {
    const posture = emptyPosture({ kind: 'live', path: `aws://${ACCOUNT}` });
    const region = 'eu-west-1';
    const at = (id: string): objects.Place => ({ id, account: ACCOUNT, region });
    const streamArn = `arn:aws:firehose:${region}:${ACCOUNT}:deliverystream/ses-events`;
    const logGroupArn = `arn:aws:logs:${region}:${ACCOUNT}:log-group:trail-logs`;
    const destinationArn = `arn:aws:logs:${region}:${ACCOUNT}:delivery-destination:audit`;
    posture.trails.push(objects.trail(at('t'), 'trail', { s3_bucket_name: 'trail-bucket', log_group_arn: `${logGroupArn}:*` }));
    posture.s3_buckets.push(objects.s3Bucket({ id: 'arn:aws:s3:::trail-bucket', account: ACCOUNT, region }, { name: 'trail-bucket', arn: 'arn:aws:s3:::trail-bucket' }));
    posture.s3_buckets.push(objects.s3Bucket({ id: 'arn:aws:s3:::event-bucket', account: ACCOUNT, region }, { name: 'event-bucket', arn: 'arn:aws:s3:::event-bucket' }));
    posture.log_groups.push(objects.logGroup(at(logGroupArn), { name: 'trail-logs', arn: `${logGroupArn}:*` }));
    posture.firehose_streams.push(objects.firehoseStream(at(streamArn), { name: 'ses-events', arn: streamArn, s3_bucket_arn: 'arn:aws:s3:::event-bucket' }));
    const set = objects.configurationSet(at('cs'), { name: 'ses-logging' });
    set.event_destinations.push(objects.eventDestination('cs/d', { destination_type: 'kinesis_firehose', firehose_stream_arn: streamArn }));
    posture.configuration_sets.push(set);
    posture.identities.push(objects.identity(at('i'), { identity: 'example.com', default_configuration_set_name: 'ses-logging' }));
    posture.identities.push(objects.identity({ ...at('i2'), region: 'us-east-1' }, { identity: 'example.org', default_configuration_set_name: 'ses-logging' }));
    posture.delivery_sources.push(objects.deliverySource(at('src'), { name: 'workmail' }));
    posture.delivery_destinations.push(objects.deliveryDestination(at(destinationArn), { arn: destinationArn, destination_type: 's3', destination_resource_arn: 'arn:aws:s3:::event-bucket/workmail' }));
    posture.deliveries.push(objects.delivery(at('dl'), { delivery_source_name: 'workmail', delivery_destination_arn: destinationArn }));

    linkPosture(posture);

    assert.equal(posture.trails[0].s3_bucket, 'arn:aws:s3:::trail-bucket');
    assert.equal(posture.trails[0].log_group, logGroupArn);
    assert.equal(posture.configuration_sets[0].event_destinations[0].firehose_stream, streamArn);
    assert.equal(posture.firehose_streams[0].s3_bucket, 'arn:aws:s3:::event-bucket');
    assert.equal(posture.identities[0].default_configuration_set, 'cs');
    assert.equal(posture.identities[1].default_configuration_set, null, 'configuration sets are named per region');
    assert.equal(posture.deliveries[0].delivery_source, 'src');
    assert.equal(posture.deliveries[0].delivery_destination, destinationArn);
    assert.equal(posture.delivery_destinations[0].target, 'arn:aws:s3:::event-bucket');
  });
});
