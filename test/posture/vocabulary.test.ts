import assert from 'node:assert/strict';
import fs from 'node:fs';
import yaml from 'js-yaml';
import { SES_EVENT_TYPES } from '../../src/posture/types';
import {
  SES_DESTINATION_KINDS,
  WORKMAIL_LOG_TYPES,
  deliveryDestinationType,
  deliveryDestinationTypeOfService,
  identityKind,
  notificationType,
  readWriteType,
  sesDestinationType,
  sesEventType,
  sesV1EventType,
} from '../../src/posture/vocabulary';

describe('posture vocabulary', () => {
  it('maps every SES event type between its v1 (camelCase) and v2 name', () => {
    for (const type of SES_EVENT_TYPES) {
      assert.equal(sesEventType(type), type);
      assert.equal(sesEventType(sesV1EventType(type)), type);
    }
    assert.equal(sesV1EventType('RENDERING_FAILURE'), 'renderingFailure');
    assert.equal(sesV1EventType('DELIVERY_DELAY'), 'deliveryDelay');
    assert.equal(sesEventType('sent'), null);
  });

  it('names each SES destination kind once, and takes the first a destination has', () => {
    assert.deepEqual(SES_DESTINATION_KINDS.map((kind) => kind.type), ['kinesis_firehose', 'cloud_watch', 'sns', 'event_bridge', 'pinpoint']);
    assert.equal(sesDestinationType((kind) => kind.api === 'SnsDestination'), 'sns');
    assert.equal(sesDestinationType((kind) => kind.terraformV1 === 'kinesis_destination'), 'kinesis_firehose');
    assert.equal(sesDestinationType(() => false), null);
    // SES v1 has no EventBridge or Pinpoint destination.
    assert.deepEqual(SES_DESTINATION_KINDS.filter((kind) => kind.terraformV1 === null).map((kind) => kind.type), ['event_bridge', 'pinpoint']);
  });

  it('maps CloudWatch Logs delivery destination types, from the type or from the resource ARN service', () => {
    assert.equal(deliveryDestinationType('CWL'), 'cwl');
    assert.equal(deliveryDestinationType('fh'), 'fh');
    assert.equal(deliveryDestinationType('XRAY'), 'xray');
    assert.equal(deliveryDestinationType('toString'), null);
    assert.equal(deliveryDestinationType(undefined), null);
    assert.equal(deliveryDestinationTypeOfService('firehose'), 'fh');
    assert.equal(deliveryDestinationTypeOfService('sqs'), null);
  });

  it('maps notification types, read/write types and identity kinds', () => {
    assert.equal(notificationType('Bounce'), 'BOUNCE');
    assert.equal(notificationType('constructor'), null);
    assert.equal(readWriteType('WriteOnly'), 'WriteOnly');
    assert.equal(readWriteType('Write'), null);
    assert.equal(identityKind('ops@example.com'), 'email');
    assert.equal(identityKind('example.com'), 'domain');
    assert.equal(identityKind('example.com', 'EMAIL_ADDRESS'), 'email');
    assert.equal(identityKind('a@b', 'DOMAIN'), 'domain');
  });

  it('knows every WorkMail log type the default settings require', () => {
    const defaults = yaml.load(fs.readFileSync('policies/settings/data.yaml', 'utf8')) as { workmail: { required_log_types: string[] } };
    for (const type of defaults.workmail.required_log_types) assert.ok((WORKMAIL_LOG_TYPES as readonly string[]).includes(type), type);
  });
});
