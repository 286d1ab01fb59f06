import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ConfigError } from '../errors';
import { PolicyEngine, type StorageToRead } from '../engine/evaluate';
import { defaultSettings, type Settings } from '../engine/settings';
import { parseArn, partitionOfRegion } from '../posture/arn';
import { linkPosture } from '../posture/linker';
import { emptyPosture, type Posture } from '../posture/types';
import { collectCloudTrail, unlistedEventDataStores, unlistedTrail } from './cloudtrail';
import { collectEventBuses } from './events';
import { collectFirehoseStreams } from './firehose';
import { collectLogDeliveries, collectLogGroups } from './logs';
import { enabledRegions } from './regions';
import { collectAccountPublicAccessBlock, collectBuckets } from './s3';
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

/**
 * The Firehose streams, then the buckets and log groups, of the logging path. The policy alone
 * decides what is in the path (policies/lib/logging_path.rego): the scan links what it has
 * collected, reads the storage the policy names, and nothing else.
 */
async function collectLoggingPath(ctx: ScanContext): Promise<void> {
  const { posture } = ctx;
  linkPosture(posture);
  const streams = storageToRead(posture).filter((s) => s.kind === 'firehose_stream');
  await collectFirehoseStreams(ctx, streams.map((s) => ({ arn: s.raw, namedBy: s.named_by })));
  // The streams read, their buckets and error log groups join the path.
  linkPosture(posture);
  const storage = storageToRead(posture);
  await collectBuckets(ctx, storage.filter((s) => s.kind === 's3_bucket').map((s) => ({ name: s.name, namedBy: s.named_by })));
  await collectLogGroups(ctx, storage.flatMap((s) => (s.kind === 'log_group' && s.region ? [{ region: s.region, name: s.name, namedBy: s.named_by }] : [])));
}

let pathPolicy: { engine: PolicyEngine; settings: Settings } | undefined;

/** What the policy's logging path names that the posture does not hold yet (the default bundle and settings). */
function storageToRead(posture: Posture): StorageToRead[] {
  pathPolicy ??= { engine: PolicyEngine.loadSync(), settings: defaultSettings() };
  return pathPolicy.engine.loggingPathToRead(posture, pathPolicy.settings);
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
