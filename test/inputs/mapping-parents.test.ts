import assert from 'node:assert/strict';
import { type AttributeValue, type ResourceInstance, Unknown } from '../../src/inputs/terraform/instance';
import { normalizeInstances } from '../../src/inputs/terraform/resources';
import { assertValid } from './helpers';

/** A resource instance as every reader makes one (no configuration: a state's). */
function instance(type: string, name: string, values: Record<string, AttributeValue>, references: Record<string, string[]> = {}): ResourceInstance {
  return {
    address: `${type}.${name}`,
    type,
    name,
    values,
    created: true,
    region: 'eu-west-1',
    location: null,
    referencesAt: (path) => references[path] ?? [],
    configured: () => undefined,
  };
}

describe('inputs: a child resource reads the name of its parent', () => {
  it('as Fields.string reads it: a number as its text, an empty name as no name', () => {
    const posture = normalizeInstances({
      instances: [
        instance('aws_s3_bucket', 'numbered', { bucket: '12345', arn: 'arn:aws:s3:::12345' }),
        instance('aws_s3_bucket_public_access_block', 'numbered', { bucket: 12345, block_public_acls: true }),
        instance('aws_s3_bucket_lifecycle_configuration', 'empty', { bucket: '', rule: [] }),
      ],
      notes: [],
    }, { kind: 'state', path: 'test' });
    assertValid(posture);
    assert.equal(posture.s3_buckets[0].public_access_block?.block_public_acls, true);
    assert.deepEqual(posture.notes, [
      { id: 'aws_s3_bucket_lifecycle_configuration.empty', message: 'lifecycle configuration for bucket (unknown name), which is not in the input; not checked', location: null },
    ]);
  });

  it('an unknown name: linked by reference, its reason neither on the child nor left on the parent', () => {
    const posture = normalizeInstances({
      instances: [
        instance('aws_sesv2_configuration_set', 'set', { configuration_set_name: 'logging' }),
        instance('aws_sesv2_configuration_set_event_destination', 'd', {
          configuration_set_name: new Unknown('known only after apply'),
          event_destination_name: 'd',
          event_destination: [{ enabled: true, matching_event_types: ['SEND'], sns_destination: [{ topic_arn: 'arn:aws:sns:eu-west-1:111122223333:t' }] }],
        }, { configuration_set_name: ['aws_sesv2_configuration_set.set'] }),
      ],
      notes: [],
    }, { kind: 'state', path: 'test' });
    assertValid(posture);
    const [set] = posture.configuration_sets;
    assert.equal(set.event_destinations.length, 1);
    assert.deepEqual(set.event_destinations[0].unknown, {});
    assert.deepEqual(set.unknown, {});
  });

  it('an unknown name with no reference: the child may belong to every parent of its kind', () => {
    const posture = normalizeInstances({
      instances: [
        instance('aws_sesv2_configuration_set', 'set', { configuration_set_name: 'logging' }),
        instance('aws_sesv2_configuration_set_event_destination', 'd', { configuration_set_name: new Unknown('variable var.set has no value'), event_destination_name: 'd' }),
      ],
      notes: [],
    }, { kind: 'state', path: 'test' });
    assertValid(posture);
    assert.equal(posture.configuration_sets[0].unknown.event_destinations, 'event destination aws_sesv2_configuration_set_event_destination.d may belong to it: its configuration set name is unknown (variable var.set has no value)');
    assert.deepEqual(posture.notes.map((note) => note.message), ['event destination for configuration set (unknown name), which is not in the input; not checked']);
  });
});

describe('inputs: an event destination and a notification topic read from their lists', () => {
  const set = instance('aws_sesv2_configuration_set', 'set', { configuration_set_name: 'logging' });
  const identity = instance('aws_sesv2_email_identity', 'id', { email_identity: 'example.com' });

  it('event types: each once, in canonical order; the names that are not SES types noted in their order, repeats included', () => {
    const posture = normalizeInstances({
      instances: [set, instance('aws_sesv2_configuration_set_event_destination', 'd', {
        configuration_set_name: 'logging',
        event_destination_name: 'd',
        event_destination: [{ enabled: true, matching_event_types: ['SEND', 'bogus', 'renderingFailure', 'BOUNCE', 'SEND', 'bogus', 'other'], cloud_watch_destination: [{}] }],
      })],
      notes: [],
    }, { kind: 'state', path: 'test' });
    assertValid(posture);
    assert.deepEqual(posture.configuration_sets[0].event_destinations[0].event_types, ['BOUNCE', 'RENDERING_FAILURE', 'SEND']);
    assert.deepEqual(posture.notes.map((note) => note.message), ['event types bogus, bogus, other are not SES event types; ignored']);
  });

  it('a topic ARN known only after apply: the one SNS topic referenced, none when several', () => {
    const topic = (name: string, references: string[]): ResourceInstance => instance('aws_ses_identity_notification_topic', name, {
      identity: 'example.com', notification_type: name === 'bounce' ? 'Bounce' : 'Complaint', topic_arn: new Unknown('known only after apply'),
    }, { topic_arn: references });
    const posture = normalizeInstances({
      instances: [identity, topic('bounce', ['aws_sqs_queue.q', 'module.m.aws_sns_topic.feedback']), topic('complaint', ['aws_sns_topic.a', 'aws_sns_topic.b'])],
      notes: [],
    }, { kind: 'state', path: 'test' });
    assertValid(posture);
    const [id] = posture.identities;
    assert.deepEqual(id.notification_topics, [{ type: 'BOUNCE', topic_arn: 'module.m.aws_sns_topic.feedback' }, { type: 'COMPLAINT', topic_arn: null }]);
    assert.equal(id.unknown['notification_topics.COMPLAINT'], 'known only after apply');
  });
});
