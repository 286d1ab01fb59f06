import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ConfigError } from '../errors';
import { bucketNameOfArn, parseArn, parseLogGroupArn, partitionOfRegion } from '../posture/arn';
import { linkPosture } from '../posture/linker';
import { emptyPosture, type Posture } from '../posture/types';
import { collectCloudTrail, unlistedEventDataStores, unlistedTrail } from './cloudtrail';
import { collectEventBuses } from './events';
import { collectFirehoseStreams, type WantedStream } from './firehose';
import { collectLogDeliveries, collectLogGroups, type WantedLogGroup } from './logs';
import { enabledRegions } from './regions';
import { collectAccountPublicAccessBlock, collectBuckets, type WantedBucket } from './s3';
import { ScanContext, clientSettingsFor, mapLimit, timeLimits, type ScanHooks, type TimeLimits } from './scan-context';
import { quietSdkVersionWarning } from './sdk-warnings';
import { collectSes, unlistedConfigurationSet, unlistedIdentity } from './ses';
import { collectMultiRegionEndpoints } from './ses-endpoints';
import { WORKMAIL_REGIONS, collectWorkmail } from './workmail';

export interface AccountScanOptions {
  /** Regions to scan, or 'all' for the account's enabled regions. */
  regions: string[] | 'all';
  /** Default: the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** One endpoint for every client (tests, private endpoints). */
  endpointUrl?: string;
  /** Regions scanned at the same time (default 4). */
  concurrency?: number;
  /** Attempts per call with adaptive retry before throttling counts as a fault (default 4); overrides limits.maxAttempts. */
  maxAttempts?: number;
  /** How long to wait for AWS (defaults: DEFAULT_TIME_LIMITS). */
  limits?: Partial<TimeLimits>;
  /** The account expected (from an account list): names the posture when the identity cannot be read. */
  expectedAccount?: string;
  hooks?: ScanHooks;
}

/**
 * One account's posture document, covering the requested regions. AWS faults never throw:
 * they leave values unknown with the API and region named, and a note in `posture.notes`.
 */
export async function collectAccount(options: AccountScanOptions): Promise<Posture> {
  quietSdkVersionWarning();
  const limits = timeLimits(options);
  const settings = { credentials: options.credentials, endpoint: options.endpointUrl, ...clientSettingsFor(limits) };
  const hooks = options.hooks ?? {};
  const concurrency = options.concurrency ?? 4;
  const label = options.expectedAccount ?? 'unknown-account';
  const posture = emptyPosture({ kind: 'live', path: `aws://${label}` });

  // STS answers in every region: the first one scanned also works in partitions other than aws.
  const stsRegion = options.regions === 'all' ? (process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1') : (options.regions[0] ?? 'us-east-1');
  const bootstrap = new ScanContext(label, 'aws', posture, settings, hooks, limits);
  const identity = await bootstrap.attempt(
    { action: 'sts:GetCallerIdentity', region: stsRegion, consequence: `account ${label} could not be scanned` },
    () => bootstrap.client('sts', stsRegion, (s) => new STSClient(s)).send(new GetCallerIdentityCommand({})),
  );
  bootstrap.close();
  if (!identity.ok) {
    markUnreadable(bootstrap, options.regions === 'all' ? null : options.regions, identity.reason);
    return posture;
  }
  // The answer check makes Account always present; the label is never taken for it.
  const account = identity.value.Account as string;
  const partition = parseArn(identity.value.Arn)?.partition ?? partitionOfRegion(stsRegion);
  if (options.expectedAccount && account !== options.expectedAccount) {
    bootstrap.note(`the credentials for account ${options.expectedAccount} belong to account ${account}; scanned ${account}`, {});
  }
  posture.source.path = `aws://${account}`;
  const ctx = new ScanContext(account, partition, posture, settings, hooks, limits);
  try {
    const regions = options.regions === 'all' ? await enabledRegions(ctx) : options.regions;
    if (regions === null) {
      markUnreadable(ctx, null, 'account:ListRegions failed, so the enabled regions are unknown');
      return posture;
    }
    if (regions.length === 0) {
      // No account has no region enabled: an answer like this is broken, and scanning nothing would pass.
      throw new ConfigError(`--all-regions: account:ListRegions listed no enabled region for account ${account}; name the regions with --region`);
    }
    await collectCloudTrail(ctx, regions, concurrency);
    await mapLimit(regions, concurrency, async (region) => {
      await collectSes(ctx, region);
      await collectMultiRegionEndpoints(ctx, region);
      await collectLogDeliveries(ctx, region);
      if (WORKMAIL_REGIONS.includes(region)) await collectWorkmail(ctx, region);
    });
    await collectEventBuses(ctx);
    await collectLoggingPath(ctx);
    await collectAccountPublicAccessBlock(ctx);
    linkPosture(posture);
    return posture;
  } finally {
    ctx.close();
  }
}

/** The streams, then the buckets and log groups, that receive trail logs, SES events or WorkMail audit logs. */
async function collectLoggingPath(ctx: ScanContext): Promise<void> {
  const { posture } = ctx;
  const streams: WantedStream[] = [];
  for (const set of posture.configuration_sets) {
    for (const destination of set.event_destinations) {
      if (destination.firehose_stream_arn) streams.push({ arn: destination.firehose_stream_arn, namedBy: `configuration set ${set.name} event destination ${destination.name}` });
    }
  }
  for (const bus of posture.event_buses ?? []) {
    for (const rule of bus.rules) {
      for (const target of rule.targets) {
        if (target.arn?.includes(':firehose:')) streams.push({ arn: target.arn, namedBy: `event rule ${rule.name} of bus ${bus.name}` });
      }
    }
  }
  const workmailDestinations = workmailDeliveryDestinations(posture);
  for (const destination of workmailDestinations) {
    if (destination.destination_type === 'fh' && destination.destination_resource_arn) {
      streams.push({ arn: destination.destination_resource_arn, namedBy: `delivery destination ${destination.name}` });
    }
  }
  await collectFirehoseStreams(ctx, streams);

  const buckets: WantedBucket[] = [];
  const logGroups: WantedLogGroup[] = [];
  for (const trail of posture.trails) {
    if (trail.s3_bucket_name) buckets.push({ name: trail.s3_bucket_name, namedBy: `trail ${trail.name}` });
    const group = trail.log_group_arn ? parseLogGroupArn(trail.log_group_arn) : null;
    if (group) logGroups.push({ region: group.region, name: group.name, namedBy: `trail ${trail.name}` });
  }
  for (const stream of posture.firehose_streams) {
    const bucket = stream.s3_bucket_arn ? bucketNameOfArn(stream.s3_bucket_arn) : null;
    if (bucket) buckets.push({ name: bucket, namedBy: `Firehose stream ${stream.name}` });
    const groupName = stream.cloudwatch_logging.log_group_name;
    if (groupName && stream.region) logGroups.push({ region: stream.region, name: groupName, namedBy: `Firehose stream ${stream.name}` });
  }
  for (const bus of posture.event_buses ?? []) {
    for (const rule of bus.rules) {
      for (const target of rule.targets) {
        const group = target.arn ? parseLogGroupArn(target.arn) : null;
        if (group) logGroups.push({ region: group.region, name: group.name, namedBy: `event rule ${rule.name} of bus ${bus.name}` });
      }
    }
  }
  for (const destination of workmailDestinations) {
    const arn = destination.destination_resource_arn;
    if (!arn) continue;
    if (destination.destination_type === 's3') {
      const bucket = bucketNameOfArn(arn);
      if (bucket) buckets.push({ name: bucket, namedBy: `delivery destination ${destination.name}` });
    } else if (destination.destination_type === 'cwl') {
      const group = parseLogGroupArn(arn);
      if (group) logGroups.push({ region: group.region, name: group.name, namedBy: `delivery destination ${destination.name}` });
    }
  }
  await collectBuckets(ctx, buckets);
  await collectLogGroups(ctx, logGroups);
}

/** Delivery destinations that a delivery from a WorkMail organization's source writes to. */
function workmailDeliveryDestinations(posture: Posture): Posture['delivery_destinations'] {
  const workmailSources = new Set(
    posture.delivery_sources.filter((s) => s.resource_arn?.includes(':workmail:') && s.name).map((s) => `${s.region}/${s.name}`),
  );
  const used = new Set(
    posture.deliveries
      .filter((d) => workmailSources.has(`${d.region}/${d.delivery_source_name}`))
      .map((d) => d.delivery_destination_arn),
  );
  return posture.delivery_destinations.filter((d) => d.arn !== null && used.has(d.arn));
}

/**
 * An account (or its region list) that could not be read at all: each region gets objects that
 * stand for its trails, event data stores, identities and configuration sets, every field unknown,
 * so the rules answer unknown instead of passing an empty account.
 */
function markUnreadable(ctx: ScanContext, regions: string[] | null, reason: string): void {
  for (const region of regions ?? [null]) {
    const trail = unlistedTrail(ctx, region ?? '*', reason, false);
    const store = unlistedEventDataStores(ctx, region ?? '*', reason);
    const identity = unlistedIdentity(ctx, region ?? '*', reason);
    const set = unlistedConfigurationSet(ctx, region ?? '*', reason);
    for (const object of [trail, store, identity, set]) {
      if (region === null) {
        object.region = null;
        object.unknown.region = reason;
      }
    }
    ctx.posture.trails.push(trail, store);
    ctx.posture.identities.push(identity);
    ctx.posture.configuration_sets.push(set);
  }
}
