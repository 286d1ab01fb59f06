import { GetIdentityNotificationAttributesCommand, SESClient } from '@aws-sdk/client-ses';
import {
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetEmailIdentityCommand,
  SESv2Client,
  paginateListConfigurationSets,
  paginateListEmailIdentities,
  type EventDestination as SdkEventDestination,
  type IdentityInfo,
} from '@aws-sdk/client-sesv2';
import {
  SES_EVENT_TYPES,
  type ConfigurationSet,
  type EventDestination,
  type Identity,
  type NotificationTopic,
  type SesEventType,
  type Unknowns,
} from '../posture/types';
import { mapLimit, unknownFields, type ScanContext } from './scan-context';

/** Identities or configuration sets read at the same time in one region (adaptive retry absorbs throttling). */
const PER_REGION_CONCURRENCY = 4;

/** GetIdentityNotificationAttributes takes at most 100 identities a call. */
const NOTIFICATION_BATCH = 100;

function sesv2(ctx: ScanContext, region: string): SESv2Client {
  return ctx.client('sesv2', region, (settings) => new SESv2Client(settings));
}

/** SES email identities and configuration sets of one region, with their event destinations. */
export async function collectSes(ctx: ScanContext, region: string): Promise<void> {
  ctx.progress(region, 'ses', 'start');
  const sets = await collectConfigurationSets(ctx, region);
  const identities = await collectIdentities(ctx, region);
  for (const identity of identities) {
    const set = sets.find((s) => s.name !== null && s.name === identity.default_configuration_set_name);
    identity.default_configuration_set = set ? set.id : null;
  }
  ctx.posture.configuration_sets.push(...sets);
  ctx.posture.identities.push(...identities);
  ctx.progress(region, 'ses', 'done');
}

async function collectIdentities(ctx: ScanContext, region: string): Promise<Identity[]> {
  const listed = await ctx.attempt(
    { action: 'ses:ListEmailIdentities', region, consequence: `the SES identities of ${region} are unknown` },
    async () => {
      const names: { name: string; type: string | undefined; listed: IdentityInfo }[] = [];
      for await (const page of paginateListEmailIdentities({ client: sesv2(ctx, region) }, {})) {
        for (const identity of page.EmailIdentities ?? []) {
          if (identity.IdentityName) names.push({ name: identity.IdentityName, type: identity.IdentityType, listed: identity });
        }
      }
      return names;
    },
  );
  if (!listed.ok) return [unlistedIdentity(ctx, region, listed.reason)];

  const identities = await mapLimit(listed.value, PER_REGION_CONCURRENCY, async ({ name, type, listed: info }): Promise<Identity> => {
    const id = ctx.arn('ses', region, `identity/${name}`);
    const unknown: Unknowns = {};
    const read = await ctx.attempt(
      { action: 'ses:GetEmailIdentity', region, id, consequence: `the default configuration set of identity ${name} is unknown` },
      () => sesv2(ctx, region).send(new GetEmailIdentityCommand({ EmailIdentity: name })),
    );
    if (!read.ok) unknown.default_configuration_set_name = read.reason;
    const identityType = (read.ok ? read.value.IdentityType : undefined) ?? type;
    const cannotSend = cannotSendReason(info, read.ok ? read.value.VerifiedForSendingStatus : undefined);
    if (cannotSend) ctx.note(`identity ${name} cannot send (${cannotSend}); ID-001 and ID-002 do not judge it`, { region, id });
    return {
      ...ctx.postureObject(id, region, unknown),
      ...(cannotSend ? { can_send: false, cannot_send_reason: cannotSend } : info.SendingEnabled === true && info.VerificationStatus === 'SUCCESS' ? { can_send: true } : {}),
      identity: name,
      kind: identityType === 'EMAIL_ADDRESS' ? 'email' : identityType ? 'domain' : name.includes('@') ? 'email' : 'domain',
      api: 'v2',
      default_configuration_set_name: read.ok ? (read.value.ConfigurationSetName ?? null) : null,
      default_configuration_set: null,
      notification_topics: [],
      feedback_forwarding_enabled: null,
    };
  });
  await readNotificationAttributes(ctx, region, identities);
  return identities;
}

/**
 * Why an identity cannot send, or null: verification failed, pending or not started, or sending
 * disabled (ListEmailIdentities). A temporary verification failure does not stop a verified
 * identity from sending. The older VerifiedForSendingStatus (GetEmailIdentity) decides only
 * when no verification status is given.
 */
function cannotSendReason(listed: IdentityInfo, verifiedForSending: boolean | undefined): string | null {
  const status = listed.VerificationStatus;
  if (status === 'FAILED' || status === 'PENDING' || status === 'NOT_STARTED') return `verification ${status}`;
  if (listed.SendingEnabled === false) return 'sending disabled';
  if (status === undefined && verifiedForSending === false) return 'not verified for sending';
  return null;
}

/** Bounce, complaint and delivery topics and feedback forwarding: SES v1 only, v2 has no equivalent. */
async function readNotificationAttributes(ctx: ScanContext, region: string, identities: Identity[]): Promise<void> {
  const client = ctx.client('ses', region, (settings) => new SESClient(settings));
  for (let start = 0; start < identities.length; start += NOTIFICATION_BATCH) {
    const batch = identities.slice(start, start + NOTIFICATION_BATCH);
    const read = await ctx.attempt(
      {
        action: 'ses:GetIdentityNotificationAttributes',
        region,
        consequence: `the feedback notification topics of ${batch.length} identities are unknown`,
      },
      () => client.send(new GetIdentityNotificationAttributesCommand({ Identities: batch.map((i) => i.identity as string) })),
    );
    for (const identity of batch) {
      const attributes = read.ok ? read.value.NotificationAttributes?.[identity.identity as string] : undefined;
      if (!attributes) {
        const reason = read.ok ? `GetIdentityNotificationAttributes in ${region} returned nothing for ${identity.identity}` : read.reason;
        identity.unknown.notification_topics = reason;
        identity.unknown.feedback_forwarding_enabled = reason;
        continue;
      }
      const topics: NotificationTopic[] = [];
      if (attributes.BounceTopic) topics.push({ type: 'BOUNCE', topic_arn: attributes.BounceTopic });
      if (attributes.ComplaintTopic) topics.push({ type: 'COMPLAINT', topic_arn: attributes.ComplaintTopic });
      if (attributes.DeliveryTopic) topics.push({ type: 'DELIVERY', topic_arn: attributes.DeliveryTopic });
      identity.notification_topics = topics;
      identity.feedback_forwarding_enabled = attributes.ForwardingEnabled ?? null;
      if (attributes.ForwardingEnabled === undefined) {
        identity.unknown.feedback_forwarding_enabled = `GetIdentityNotificationAttributes in ${region} did not say whether feedback forwarding is on for ${identity.identity}`;
      }
    }
  }
}

async function collectConfigurationSets(ctx: ScanContext, region: string): Promise<ConfigurationSet[]> {
  const listed = await ctx.attempt(
    { action: 'ses:ListConfigurationSets', region, consequence: `the SES configuration sets of ${region} are unknown` },
    async () => {
      const names: string[] = [];
      for await (const page of paginateListConfigurationSets({ client: sesv2(ctx, region) }, {})) {
        names.push(...(page.ConfigurationSets ?? []));
      }
      return names;
    },
  );
  if (!listed.ok) return [unlistedConfigurationSet(ctx, region, listed.reason)];

  return mapLimit(listed.value, PER_REGION_CONCURRENCY, async (name): Promise<ConfigurationSet> => {
    const id = ctx.arn('ses', region, `configuration-set/${name}`);
    const unknown: Unknowns = {};
    const read = await ctx.attempt(
      { action: 'ses:GetConfigurationSet', region, id, consequence: `the TLS policy of configuration set ${name} is unknown` },
      () => sesv2(ctx, region).send(new GetConfigurationSetCommand({ ConfigurationSetName: name })),
    );
    if (!read.ok) unknown.tls_policy = read.reason;
    const destinations = await ctx.attempt(
      {
        action: 'ses:GetConfigurationSetEventDestinations',
        region,
        id,
        consequence: `the event destinations of configuration set ${name} are unknown`,
      },
      () => sesv2(ctx, region).send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: name })),
    );
    if (!destinations.ok) unknown.event_destinations = destinations.reason;
    const tls = read.ok ? read.value.DeliveryOptions?.TlsPolicy : undefined;
    return {
      ...ctx.postureObject(id, region, unknown),
      name,
      api: 'v2',
      tls_policy: tls === 'REQUIRE' || tls === 'OPTIONAL' ? tls : null,
      event_destinations: destinations.ok ? (destinations.value.EventDestinations ?? []).map((d) => toEventDestination(id, d)) : [],
    };
  });
}

export function toEventDestination(setId: string, destination: SdkEventDestination): EventDestination {
  const unknown: Unknowns = {};
  // MatchingEventTypes is a set: sorted and once each, as the Terraform reader has them.
  const types = [...new Set(destination.MatchingEventTypes ?? [])].filter((type): type is SesEventType => (SES_EVENT_TYPES as readonly string[]).includes(type)).sort();
  const firehose = destination.KinesisFirehoseDestination;
  const bus = destination.EventBridgeDestination ? { event_bus_arn: destination.EventBridgeDestination.EventBusArn ?? null, event_bus: null } : {};
  return {
    id: `${setId}/event-destination/${destination.Name ?? ''}`,
    name: destination.Name ?? null,
    enabled: destination.Enabled ?? false,
    event_types: types,
    destination_type: firehose
      ? 'kinesis_firehose'
      : destination.CloudWatchDestination
        ? 'cloud_watch'
        : destination.SnsDestination
          ? 'sns'
          : destination.EventBridgeDestination
            ? 'event_bridge'
            : destination.PinpointDestination
              ? 'pinpoint'
              : null,
    firehose_stream_arn: firehose?.DeliveryStreamArn ?? null,
    firehose_stream: null,
    sns_topic_arn: destination.SnsDestination?.TopicArn ?? null,
    ...bus,
    location: null,
    unknown,
  };
}

/** Stands for the identities of a region that could not be listed, so the region stays in scope as unknown. */
export function unlistedIdentity(ctx: ScanContext, region: string, reason: string): Identity {
  const fields = ['identity', 'kind', 'default_configuration_set_name', 'default_configuration_set', 'notification_topics', 'feedback_forwarding_enabled'];
  return {
    ...ctx.postureObject(ctx.arn('ses', region, 'identity/*'), region, unknownFields(fields, reason)),
    identity: null,
    kind: null,
    api: 'v2',
    default_configuration_set_name: null,
    default_configuration_set: null,
    notification_topics: [],
    feedback_forwarding_enabled: null,
  };
}

/** Stands for the configuration sets of a region that could not be listed. */
export function unlistedConfigurationSet(ctx: ScanContext, region: string, reason: string): ConfigurationSet {
  return {
    ...ctx.postureObject(ctx.arn('ses', region, 'configuration-set/*'), region, unknownFields(['name', 'tls_policy', 'event_destinations'], reason)),
    name: null,
    api: 'v2',
    tls_policy: null,
    event_destinations: [],
  };
}
