import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  type LifecycleRule as SdkLifecycleRule,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { accountPublicAccessBlock, lifecycleRule, missingBucket, s3Bucket, unread } from '../posture/objects';
import type { LifecycleRule, PublicAccessBlock, S3Bucket, Unknowns } from '../posture/types';
import { unlessMissing } from './faults';
import { distinct, type ScanContext } from './scan-context';

function s3(ctx: ScanContext, region: string): S3Client {
  return ctx.client('s3', region, (settings) => new S3Client({ ...settings, forcePathStyle: true, followRegionRedirects: true }));
}

/** A bucket in the logging path, named by a trail, a Firehose stream or a delivery destination. */
export interface WantedBucket {
  name: string;
  namedBy: string;
}

/** Reads lifecycle rules, versioning and public access block of the buckets in the logging path (and only those). */
export async function collectBuckets(ctx: ScanContext, wanted: WantedBucket[]): Promise<void> {
  for (const { name, namedBy } of distinct(wanted, (bucket) => bucket.name)) {
    ctx.progress(ctx.homeRegion, 's3', 'start');
    const bucket = await readBucket(ctx, name, namedBy);
    if (bucket) ctx.posture.s3_buckets.push(bucket);
    ctx.progress(ctx.homeRegion, 's3', 'done');
  }
}

async function readBucket(ctx: ScanContext, name: string, namedBy: string): Promise<S3Bucket | null> {
  const id = `arn:${ctx.partition}:s3:::${name}`;
  const unknown: Unknowns = {};
  // ExpectedBucketOwner: a bucket of another account is not judged with this account's settings.
  const owner = { Bucket: name, ExpectedBucketOwner: ctx.account };
  // The partition's home region answers GetBucketLocation for any bucket; later calls go to the bucket's region.
  let region = ctx.homeRegion;
  let bucketRegion: string | null = null;
  let missing = false;
  const location = await ctx.attempt(
    { action: 's3:GetBucketLocation', region, id, consequence: `the region and owner of bucket ${name} are unknown` },
    async () => {
      const answer = await unlessMissing(() => s3(ctx, region).send(new GetBucketLocationCommand(owner)), 'NoSuchBucket');
      missing = answer === null;
      return answer;
    },
  );
  if (missing) {
    ctx.note(`bucket ${name}, named by ${namedBy}, does not exist`, { id, region: null });
    // A stand-in that says so: the rules that follow the link fail it, naming the bucket.
    return missingBucket({ id, account: ctx.account, region: null }, name);
  }
  if (location.ok && location.value) {
    const constraint = location.value.LocationConstraint as string | undefined;
    bucketRegion = !constraint ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint;
    region = bucketRegion;
  } else if (!location.ok) {
    unknown.region = location.reason;
    unknown.account = location.reason;
  }

  let lifecycleRules: LifecycleRule[] = [];
  const lifecycle = await ctx.attempt(
    { action: 's3:GetLifecycleConfiguration', region, id, consequence: `the lifecycle rules of bucket ${name} are unknown` },
    async () => (await unlessMissing(() => s3(ctx, region).send(new GetBucketLifecycleConfigurationCommand(owner)), 'NoSuchLifecycleConfiguration'))?.Rules ?? [],
  );
  if (lifecycle.ok) lifecycleRules = lifecycle.value.map(toLifecycleRule);
  else unknown.lifecycle_rules = lifecycle.reason;

  let versioning: S3Bucket['versioning'] = null;
  let mfaDelete: boolean | null = null;
  const versioned = await ctx.attempt(
    { action: 's3:GetBucketVersioning', region, id, consequence: `whether bucket ${name} is versioned is unknown` },
    async () => s3(ctx, region).send(new GetBucketVersioningCommand(owner)),
  );
  const status = versioned.ok ? versioned.value.Status : undefined;
  if (!versioned.ok) unknown.versioning = unknown.mfa_delete = versioned.reason;
  else if (status === undefined) versioning = 'Disabled'; // S3 omits Status for a bucket never versioned.
  else if (status === 'Enabled' || status === 'Suspended') versioning = status;
  else unknown.versioning = `GetBucketVersioning in ${region} answered an unrecognized status ${JSON.stringify(status)}`;
  // MFADelete is only returned once a bucket has been configured with it.
  if (versioned.ok) mfaDelete = versioned.value.MFADelete === 'Enabled';

  let lockDays: number | null = null;
  const lock = await ctx.attempt(
    { action: 's3:GetBucketObjectLockConfiguration', region, id, consequence: `the Object Lock default retention of bucket ${name} is unknown` },
    async () => (await unlessMissing(() => s3(ctx, region).send(new GetObjectLockConfigurationCommand(owner)), 'ObjectLockConfigurationNotFoundError'))?.ObjectLockConfiguration ?? null,
  );
  if (lock.ok) {
    const retention = lock.value?.Rule?.DefaultRetention;
    // Years count 365 days: the retention is at least that long.
    lockDays = retention?.Days || (retention?.Years ? retention.Years * 365 : null);
  } else unknown.object_lock_retention_days = lock.reason;

  let publicAccessBlock: PublicAccessBlock | null = null;
  const block = await ctx.attempt(
    { action: 's3:GetBucketPublicAccessBlock', region, id, consequence: `the public access block of bucket ${name} is unknown` },
    async () => (await unlessMissing(() => s3(ctx, region).send(new GetPublicAccessBlockCommand(owner)), 'NoSuchPublicAccessBlockConfiguration'))?.PublicAccessBlockConfiguration ?? null,
  );
  if (block.ok) publicAccessBlock = block.value ? toPublicAccessBlock(block.value) : null;
  else unknown.public_access_block = block.reason;

  return s3Bucket({ id, account: location.ok ? ctx.account : null, region: bucketRegion, unknown }, {
    name,
    arn: id,
    lifecycle_rules: lifecycleRules,
    public_access_block: publicAccessBlock,
    public_access_block_source: publicAccessBlock ? 'live' : null,
    versioning,
    mfa_delete: mfaDelete,
    object_lock_retention_days: lockDays,
  });
}

export function toLifecycleRule(rule: SdkLifecycleRule): LifecycleRule {
  const filter = rule.Filter;
  const date = rule.Expiration?.Date;
  return lifecycleRule({
    id: rule.ID ?? null,
    enabled: rule.Status === 'Enabled',
    prefix: filter?.Prefix ?? filter?.And?.Prefix ?? rule.Prefix ?? null,
    expiration_days: rule.Expiration?.Days || null,
    expiration_date: date ? date.toISOString() : null,
    // Previous versions of a versioned bucket stay until this expires them (all but the newest N).
    noncurrent_expiration_days: rule.NoncurrentVersionExpiration?.NoncurrentDays ?? null,
    noncurrent_newer_versions: rule.NoncurrentVersionExpiration?.NewerNoncurrentVersions || null,
    // A tag filter matches only tagged objects (log writers tag none); a size filter, part of them.
    tag_filter: Boolean(filter?.Tag || filter?.And?.Tags?.length),
    object_size_greater_than: filter?.ObjectSizeGreaterThan ?? filter?.And?.ObjectSizeGreaterThan ?? null,
    object_size_less_than: filter?.ObjectSizeLessThan ?? filter?.And?.ObjectSizeLessThan ?? null,
  });
}

function toPublicAccessBlock(config: PublicAccessBlockConfiguration): PublicAccessBlock {
  // An absent setting in a configuration that exists is false (S3 treats it as not blocking).
  return {
    block_public_acls: config.BlockPublicAcls ?? false,
    block_public_policy: config.BlockPublicPolicy ?? false,
    ignore_public_acls: config.IgnorePublicAcls ?? false,
    restrict_public_buckets: config.RestrictPublicBuckets ?? false,
  };
}

/**
 * S3 Control puts the account id in front of the endpoint's host name; an endpoint given as an IP
 * address or localhost cannot take that prefix, so such an endpoint is used as it is.
 */
export function s3ControlSettings<T extends { endpoint?: string }>(settings: T): T & { endpointProvider?: () => { url: URL } } {
  if (!settings.endpoint) return settings;
  const url = new URL(settings.endpoint);
  if (!isIpOrLocalhost(url.hostname)) return settings;
  return { ...settings, endpointProvider: () => ({ url: new URL(url.href) }) };
}

function isIpOrLocalhost(host: string): boolean {
  return host === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
}

/** The account's S3 public access block (S3 Control): applies to every bucket of the account. */
export async function collectAccountPublicAccessBlock(ctx: ScanContext): Promise<void> {
  const id = `arn:${ctx.partition}:s3::${ctx.account}:account-public-access-block`;
  const client = ctx.client('s3control', ctx.homeRegion, (settings) => new S3ControlClient(s3ControlSettings(settings)));
  const read = await ctx.attempt(
    { action: 's3:GetAccountPublicAccessBlock', region: ctx.homeRegion, id, consequence: `the account's S3 public access block is unknown` },
    async () =>
      (await unlessMissing(() => client.send(new GetAccountPublicAccessBlockCommand({ AccountId: ctx.account })), 'NoSuchPublicAccessBlockConfiguration'))
        ?.PublicAccessBlockConfiguration ?? null,
  );
  if (read.ok && read.value === null) return;
  const settings: PublicAccessBlock = read.ok
    ? toPublicAccessBlock(read.value as PublicAccessBlockConfiguration)
    : { block_public_acls: null, block_public_policy: null, ignore_public_acls: null, restrict_public_buckets: null };
  const block = accountPublicAccessBlock({ id, account: ctx.account, region: null }, settings);
  ctx.posture.account_public_access_blocks.push(read.ok ? block : unread(block, ['settings'], read.reason));
}
