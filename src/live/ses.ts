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
import { configurationSet, eventDestination, identity as newIdentity, unread } from '../posture/objects';
import type { ConfigurationSet, EventDestination, Identity, NotificationTopic, SesEventType, Unknowns } from '../posture/types';
import { identityKind, sesDestinationType, sesEventType } from '../posture/vocabulary';
import { mapLimit, type ScanContext } from './scan-context';
import { distinctPages } from './answers';

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
  // Each identity's default configuration set is linked with the rest of the document (linkPosture).
  const identities = await collectIdentities(ctx, region);
  ctx.posture.configuration_sets.push(...sets);
  ctx.posture.identities.push(...identities);
  ctx.progress(region, 'ses', 'done');
}

async function collectIdentities(ctx: ScanContext, region: string): Promise<Identity[]> {
  const listed = await ctx.attempt(
    { action: 'ses:ListEmailIdentities', region, consequence: `the SES identities of ${region} are unknown` },
    async () => {
      const names: { name: string; type: string | undefined; listed: IdentityInfo }[] = [];
      for await (const page of distinctPages(paginateListEmailIdentities({ client: sesv2(ctx, region) }, {}), 'NextToken')) {
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
    return newIdentity(ctx.postureObject(id, region, unknown), {
      ...(cannotSend ? { can_send: false, cannot_send_reason: cannotSend } : info.SendingEnabled === true && info.VerificationStatus === 'SUCCESS' ? { can_send: true } : {}),
      identity: name,
      kind: identityKind(name, identityType),
      default_configuration_set_name: read.ok ? (read.value.ConfigurationSetName ?? null) : null,
      // Read with the notification attributes below.
      feedback_forwarding_enabled: null,
    });
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
      for await (const page of distinctPages(paginateListConfigurationSets({ client: sesv2(ctx, region) }, {}), 'NextToken')) {
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
    return configurationSet(ctx.postureObject(id, region, unknown), {
      name,
      tls_policy: tls === 'REQUIRE' || tls === 'OPTIONAL' ? tls : null,
      event_destinations: destinations.ok ? (destinations.value.EventDestinations ?? []).map((d) => toEventDestination(id, d)) : [],
    });
  });
}

export function toEventDestination(setId: string, destination: SdkEventDestination): EventDestination {
  // The API gives v2 names; one it adds later is not an SES event type sescheck knows. MatchingEventTypes
  // is a set: sorted and once each, as the Terraform reader has them.
  const types = [...new Set((destination.MatchingEventTypes ?? []).map(sesEventType).filter((type): type is SesEventType => type !== null))].sort();
  return eventDestination(`${setId}/event-destination/${destination.Name ?? ''}`, {
    name: destination.Name ?? null,
    enabled: destination.Enabled,
    event_types: types,
    destination_type: sesDestinationType((kind) => destination[kind.api] !== undefined),
    firehose_stream_arn: destination.KinesisFirehoseDestination?.DeliveryStreamArn ?? null,
    sns_topic_arn: destination.SnsDestination?.TopicArn ?? null,
    event_bus_arn: destination.EventBridgeDestination ? (destination.EventBridgeDestination.EventBusArn ?? null) : undefined,
  });
}

/** Stands for the identities of a region that could not be listed, so the region stays in scope as unknown. */
export function unlistedIdentity(ctx: ScanContext, region: string, reason: string): Identity {
  const fields = ['identity', 'kind', 'default_configuration_set_name', 'default_configuration_set', 'notification_topics', 'feedback_forwarding_enabled'];
  return unread(newIdentity(ctx.postureObject(ctx.arn('ses', region, 'identity/*'), region)), fields, reason);
}

/** Stands for the configuration sets of a region that could not be listed. */
export function unlistedConfigurationSet(ctx: ScanContext, region: string, reason: string): ConfigurationSet {
  return unread(configurationSet(ctx.postureObject(ctx.arn('ses', region, 'configuration-set/*'), region)), ['name', 'tls_policy', 'event_destinations'], reason);
}
