import assert from 'node:assert/strict';
import {
  EVENT_DATA_STORE_DEFAULT_RETENTION_DAYS,
  basicEventSelector,
  eventArchive,
  eventDestination,
  eventRule,
  firehoseStream,
  identity,
  missingBucket,
  missingFirehoseStream,
  trail,
  unknownFields,
  unread,
} from '../../src/posture/objects';
import { postureProblems } from '../../src/posture/validate';
import { emptyPosture } from '../../src/posture/types';

const place = { id: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/main', account: '111122223333', region: 'eu-west-1' };

describe('posture object factories', () => {
  it('fill CloudTrail defaults per kind: a trail is single-region, an event data store multi-region without log file validation', () => {
    const single = trail(place, 'trail');
    assert.equal(single.multi_region, false);
    assert.equal(single.log_file_validation, false);
    assert.equal(single.logging, true);
    assert.equal(single.organization, false);
    assert.deepEqual(single.basic_event_selectors, []);
    assert.equal(single.location, null);
    assert.deepEqual(single.unknown, {});
    const store = trail(place, 'event_data_store');
    assert.equal(store.multi_region, true);
    assert.equal(store.log_file_validation, null);
    assert.ok(!('retention_days' in store), 'an optional field the producer does not give stays absent');
    assert.equal(EVENT_DATA_STORE_DEFAULT_RETENTION_DAYS, 2555);
  });

  it('take undefined as "not said" (the default) and null as a value', () => {
    const read = trail(place, 'trail', { multi_region: undefined, logging: null, kms_key_id: undefined, s3_key_prefix: null });
    assert.equal(read.multi_region, false);
    assert.equal(read.logging, null);
    assert.equal(read.kms_key_id, null);
    assert.equal(read.s3_key_prefix, null);
    assert.ok(!('organization_member_accounts' in trail(place, 'trail', { organization_member_accounts: undefined })));
  });

  it('give a basic selector CloudTrail defaults: all reads and writes, management events', () => {
    assert.deepEqual(basicEventSelector(), { read_write_type: 'All', include_management_events: true, exclude_management_event_sources: [], data_resources: [] });
    assert.equal(basicEventSelector({ read_write_type: null }).read_write_type, null);
    assert.equal(basicEventSelector({ include_management_events: false }).include_management_events, false);
  });

  it('leave an event destination disabled unless told, and give EventBridge destinations their bus fields', () => {
    const destination = eventDestination('d', { destination_type: 'sns' });
    assert.equal(destination.enabled, false);
    assert.ok(!('event_bus_arn' in destination));
    const bridge = eventDestination('d', { destination_type: 'event_bridge' });
    assert.equal(bridge.event_bus_arn, null);
    assert.equal(bridge.event_bus, null);
  });

  it('forward SES feedback by email unless told otherwise', () => {
    assert.equal(identity({ id: 'i', account: null, region: 'eu-west-1' }).feedback_forwarding_enabled, true);
  });

  it('make a stand-in of what could not be read: the fields null (lists empty, objects null inside), unknown naming why', () => {
    const stream = unread(firehoseStream({ id: 's', account: null, region: 'eu-west-1' }, { name: 'x' }), ['destination', 'cloudwatch_logging', 'prefix'], 'AccessDenied');
    assert.equal(stream.name, 'x');
    assert.equal(stream.destination, null);
    assert.deepEqual(stream.cloudwatch_logging, { enabled: null, log_group_name: null, log_group: null });
    // An object field is unknown member by member, as the schema spells it; its link (log_group) is only nulled.
    assert.deepEqual(stream.unknown, unknownFields(['destination', 'cloudwatch_logging.enabled', 'cloudwatch_logging.log_group_name', 'prefix'], 'AccessDenied'));
    const delivery = unread(firehoseStream({ id: 't', account: null, region: 'eu-west-1' }), ['s3_bucket', 's3_bucket_arn'], 'denied');
    assert.deepEqual(delivery.unknown, { s3_bucket_arn: 'denied' }, 'a link is never an unknown key: its raw field says why');
    const unlisted = unread(trail(place, 'trail'), ['multi_region', 'basic_event_selectors', 's3_key_prefix'], 'denied');
    assert.equal(unlisted.multi_region, null);
    assert.deepEqual(unlisted.basic_event_selectors, []);
    assert.equal(unlisted.s3_key_prefix, null);
    assert.equal(unlisted.logging, true, 'a field not listed keeps its value');
  });

  it('make storage that does not exist a stand-in saying so, and nothing else', () => {
    const bucket = missingBucket({ id: 'arn:aws:s3:::gone', account: '111122223333', region: null }, 'gone');
    assert.equal(bucket.exists, false);
    assert.equal(bucket.arn, 'arn:aws:s3:::gone');
    assert.deepEqual(bucket.lifecycle_rules, []);
    assert.deepEqual(bucket.unknown, {});
    const stream = missingFirehoseStream({ id: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/gone', account: '111122223333', region: 'eu-west-1' }, 'gone');
    assert.equal(stream.exists, false);
    assert.equal(stream.cloudwatch_logging.enabled, null);
  });

  it('build objects the posture schema accepts', () => {
    const posture = emptyPosture({ kind: 'live', path: 'aws://111122223333' });
    posture.trails.push(trail(place, 'trail'), unread(trail(place, 'event_data_store'), ['retention_days'], 'denied'));
    posture.identities.push(identity({ id: 'i', account: null, region: 'eu-west-1' }));
    posture.s3_buckets.push(missingBucket({ id: 'arn:aws:s3:::gone', account: null, region: null }, 'gone'));
    posture.firehose_streams.push(missingFirehoseStream({ id: 'f', account: null, region: 'eu-west-1' }, 'gone'));
    assert.deepEqual(postureProblems(posture), []);
  });

  describe('an event pattern (JSON text the rules parse with a recursive parser)', () => {
    const deep = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

    it('nested past MAX_NESTING (1000) levels is unknown, with why, in a rule and in an archive', () => {
      for (const object of [eventRule('r', { event_pattern: deep(1001), unknown: { state: 'known after apply' } }), eventArchive('a', { event_pattern: deep(100_000) })]) {
        assert.equal(object.event_pattern, null);
        assert.equal(object.unknown.event_pattern, 'nested deeper than 1000 levels, more than sescheck reads');
      }
      assert.equal(eventRule('r', { event_pattern: deep(1001), unknown: { state: 'known after apply' } }).unknown.state, 'known after apply', 'other reasons kept');
    });

    it('up to 1000 levels is kept; brackets in strings (escaped quotes included) are text, not nesting', () => {
      assert.equal(eventRule('r', { event_pattern: deep(1000) }).event_pattern, deep(1000));
      const brackets = JSON.stringify({ detail: { text: [`${'['.repeat(5000)}"${'{'.repeat(5000)}\\`] } });
      assert.equal(eventArchive('a', { event_pattern: brackets }).event_pattern, brackets);
      assert.deepEqual(eventArchive('a', { event_pattern: brackets }).unknown, {});
    });
  });
});
