/**
 * The names AWS gives the things the posture speaks of, in each place a producer reads them
 * (SES v1 and v2, the AWS SDK, the AWS provider), and the one posture name each maps to.
 */
import { SES_EVENT_TYPES, type DeliveryDestination, type DestinationType, type NotificationTopic, type SesEventType } from './types';

const EVENT_TYPE_NAMES = new Map<string, SesEventType | null>();

/** SES v1 camelCase (renderingFailure) and v2 (RENDERING_FAILURE) event type names -> the v2 name; null when not an SES event type. */
export function sesEventType(name: string): SesEventType | null {
  // The same dozen names on every destination of a plan: each is worked out once.
  let type = EVENT_TYPE_NAMES.get(name);
  if (type === undefined) {
    const upper = name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
    type = (SES_EVENT_TYPES as readonly string[]).includes(upper) ? (upper as SesEventType) : null;
    if (EVENT_TYPE_NAMES.size < 1000) EVENT_TYPE_NAMES.set(name, type);
  }
  return type;
}

/** The SES v1 (camelCase) name of an event type: RENDERING_FAILURE -> renderingFailure. */
export function sesV1EventType(type: SesEventType): string {
  return type.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Where an SES event destination sends events, as each source names it (null: that API has none). */
export interface SesDestinationKind {
  type: DestinationType;
  /** The block of aws_ses_event_destination (SES v1). */
  terraformV1: string | null;
  /** The block of aws_sesv2_configuration_set_event_destination's event_destination. */
  terraformV2: string;
  /** The member of SES v2's EventDestination (GetConfigurationSetEventDestinations). */
  api: 'KinesisFirehoseDestination' | 'CloudWatchDestination' | 'SnsDestination' | 'EventBridgeDestination' | 'PinpointDestination';
}

/** Every SES destination kind; a destination has exactly one, the first present is taken. */
export const SES_DESTINATION_KINDS: readonly SesDestinationKind[] = [
  { type: 'kinesis_firehose', terraformV1: 'kinesis_destination', terraformV2: 'kinesis_firehose_destination', api: 'KinesisFirehoseDestination' },
  { type: 'cloud_watch', terraformV1: 'cloudwatch_destination', terraformV2: 'cloud_watch_destination', api: 'CloudWatchDestination' },
  { type: 'sns', terraformV1: 'sns_destination', terraformV2: 'sns_destination', api: 'SnsDestination' },
  { type: 'event_bridge', terraformV1: null, terraformV2: 'event_bridge_destination', api: 'EventBridgeDestination' },
  { type: 'pinpoint', terraformV1: null, terraformV2: 'pinpoint_destination', api: 'PinpointDestination' },
];

/** The kind of an event destination: the first kind `present` says the destination has, or null. */
export function sesDestinationType(present: (kind: SesDestinationKind) => boolean): DestinationType | null {
  return SES_DESTINATION_KINDS.find(present)?.type ?? null;
}

/** SES v1 notification types (aws_ses_identity_notification_topic) -> the posture's. */
const NOTIFICATION_TYPES: Record<string, NotificationTopic['type']> = { Bounce: 'BOUNCE', Complaint: 'COMPLAINT', Delivery: 'DELIVERY' };

export function notificationType(name: string | null): NotificationTopic['type'] | null {
  return name !== null && Object.hasOwn(NOTIFICATION_TYPES, name) ? NOTIFICATION_TYPES[name] : null;
}

export type DeliveryDestinationType = NonNullable<DeliveryDestination['destination_type']>;

/** CloudWatch Logs delivery destination types (CWL, S3, FH, XRAY; any case) -> the posture's. */
const DELIVERY_DESTINATION_TYPES: Record<string, DeliveryDestinationType> = { CWL: 'cwl', S3: 's3', FH: 'fh', XRAY: 'xray' };

export function deliveryDestinationType(name: string | null | undefined): DeliveryDestinationType | null {
  const upper = name?.toUpperCase();
  return upper && Object.hasOwn(DELIVERY_DESTINATION_TYPES, upper) ? DELIVERY_DESTINATION_TYPES[upper] : null;
}

/** The service of a delivery destination's resource ARN -> its type, for a destination that does not say. */
const DELIVERY_DESTINATION_SERVICES: Record<string, DeliveryDestinationType> = { logs: 'cwl', s3: 's3', firehose: 'fh' };

export function deliveryDestinationTypeOfService(service: string | null | undefined): DeliveryDestinationType | null {
  return service && Object.hasOwn(DELIVERY_DESTINATION_SERVICES, service) ? DELIVERY_DESTINATION_SERVICES[service] : null;
}

/** The posture objects a delivery destination of each type writes to (X-Ray keeps nothing sescheck reads). */
export const DELIVERY_DESTINATION_TARGETS = { cwl: 'log_group', s3: 's3_bucket', fh: 'firehose_stream' } as const;

/** The log types a WorkMail organization's delivery source can send (CloudWatch Logs vended logs). */
export const WORKMAIL_LOG_TYPES = [
  'ACCESS_CONTROL_LOGS',
  'AUTHENTICATION_LOGS',
  'WORKMAIL_MAILBOX_ACCESS_LOGS',
  'WORKMAIL_AVAILABILITY_PROVIDER_LOGS',
  'WORKMAIL_PERSONAL_ACCESS_TOKEN_LOGS',
] as const;
export type WorkmailLogType = (typeof WORKMAIL_LOG_TYPES)[number];

/** CloudTrail basic selectors' read/write types; anything else is not one. */
export function readWriteType(name: string): 'All' | 'ReadOnly' | 'WriteOnly' | null {
  return name === 'All' || name === 'ReadOnly' || name === 'WriteOnly' ? name : null;
}

/** An SES identity's kind: from SES v2's IdentityType when given, else from its name (an address has an @). */
export function identityKind(name: string, identityType?: string): 'email' | 'domain' {
  if (identityType) return identityType === 'EMAIL_ADDRESS' ? 'email' : 'domain';
  return name.includes('@') ? 'email' : 'domain';
}
