import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  paginateListEventDataStores,
  type AdvancedEventSelector as SdkAdvancedSelector,
  type EventSelector as SdkBasicSelector,
  type Trail as SdkTrail,
} from '@aws-sdk/client-cloudtrail';
import { accountOfArn, regionOfArn } from '../posture/arn';
import { advancedEventSelector, basicEventSelector, trail as trailObject, unread, type Place } from '../posture/objects';
import type { AdvancedEventSelector, BasicEventSelector, FieldSelector, Trail, Unknowns } from '../posture/types';
import { mapLimit, type ScanContext } from './scan-context';
import { distinctPages } from './answers';

const TRAIL_FIELDS = [
  'name', 'arn', 'multi_region', 'organization', 'logging', 'log_file_validation', 'kms_key_id',
  'basic_event_selectors', 'advanced_event_selectors', 's3_bucket_name', 's3_key_prefix', 'log_group_arn',
] as const;

/** What GetEventDataStore tells: the other trail fields do not apply to event data stores. */
const EVENT_DATA_STORE_FIELDS = ['name', 'arn', 'multi_region', 'organization', 'logging', 'kms_key_id', 'advanced_event_selectors', 'retention_days'] as const;

function cloudtrail(ctx: ScanContext, region: string): CloudTrailClient {
  return ctx.client('cloudtrail', region, (settings) => new CloudTrailClient(settings));
}

/** A trail or event data store as listed, before its status and selectors are read. */
interface Listed {
  arn: string;
  home: string;
  trail?: SdkTrail;
}

/**
 * CloudTrail trails and event data stores of the scanned regions. DescribeTrails with shadow
 * trails shows every multi-region trail in every region: each is kept once, by ARN, in its home
 * region, and its status and selectors are read there.
 */
export async function collectCloudTrail(ctx: ScanContext, regions: string[], concurrency: number): Promise<void> {
  const trails = new Map<string, Listed>();
  const stores = new Map<string, Listed>();
  const unlistedTrails: { region: string; reason: string }[] = [];
  await mapLimit(regions, concurrency, async (region) => {
    ctx.progress(region, 'cloudtrail', 'start');
    const listed = await ctx.attempt(
      { action: 'cloudtrail:DescribeTrails', region, consequence: `the trails of ${region} are unknown` },
      () => cloudtrail(ctx, region).send(new DescribeTrailsCommand({ includeShadowTrails: true })),
    );
    if (listed.ok) {
      for (const trail of listed.value.trailList ?? []) {
        if (trail.TrailARN && !trails.has(trail.TrailARN)) {
          trails.set(trail.TrailARN, { arn: trail.TrailARN, home: trail.HomeRegion ?? region, trail });
        }
      }
    } else {
      unlistedTrails.push({ region, reason: listed.reason });
    }
    await listEventDataStores(ctx, region, stores);
    ctx.progress(region, 'cloudtrail', 'done');
  });
  const anyListed = unlistedTrails.length < regions.length;
  for (const { region, reason } of unlistedTrails) ctx.posture.trails.push(unlistedTrail(ctx, region, reason, anyListed));
  ctx.posture.trails.push(...(await mapLimit([...trails.values()], concurrency, (listed) => readTrail(ctx, listed))));
  ctx.posture.trails.push(...(await mapLimit([...stores.values()], concurrency, (listed) => readEventDataStore(ctx, listed))));
}

async function listEventDataStores(ctx: ScanContext, region: string, stores: Map<string, Listed>): Promise<void> {
  const listed = await ctx.attempt(
    { action: 'cloudtrail:ListEventDataStores', region, consequence: `the CloudTrail Lake event data stores of ${region} are unknown` },
    async () => {
      const arns: string[] = [];
      for await (const page of distinctPages(paginateListEventDataStores({ client: cloudtrail(ctx, region) }, {}), 'NextToken')) {
        for (const store of page.EventDataStores ?? []) if (store.EventDataStoreArn) arns.push(store.EventDataStoreArn);
      }
      return arns;
    },
  );
  if (!listed.ok) {
    ctx.posture.trails.push(unlistedEventDataStores(ctx, region, listed.reason));
    return;
  }
  for (const arn of listed.value) if (!stores.has(arn)) stores.set(arn, { arn, home: regionOfArn(arn) ?? region });
}

async function readTrail(ctx: ScanContext, { arn, home, trail }: Listed): Promise<Trail> {
  const sdk = trail as SdkTrail;
  const unknown: Unknowns = {};
  const client = cloudtrail(ctx, home);
  const status = await ctx.attempt(
    { action: 'cloudtrail:GetTrailStatus', region: home, id: arn, consequence: `whether trail ${sdk.Name} is logging is unknown` },
    () => client.send(new GetTrailStatusCommand({ Name: arn })),
  );
  let logging: boolean | null = null;
  if (status.ok) logging = status.value.IsLogging ?? null;
  else unknown.logging = status.reason;
  if (status.ok && logging === null) unknown.logging = `GetTrailStatus in ${home} did not say whether trail ${sdk.Name} is logging`;

  const selectors = await ctx.attempt(
    { action: 'cloudtrail:GetEventSelectors', region: home, id: arn, consequence: `the event selectors of trail ${sdk.Name} are unknown` },
    () => client.send(new GetEventSelectorsCommand({ TrailName: arn })),
  );
  let basic: BasicEventSelector[] = [];
  let advanced: AdvancedEventSelector[] = [];
  if (selectors.ok) {
    basic = (selectors.value.EventSelectors ?? []).map(toBasicSelector);
    advanced = (selectors.value.AdvancedEventSelectors ?? []).map(toAdvancedSelector);
    // AWS answers a trail created without selectors with its default one; the AWS provider reads
    // that back as no event_selector, so the posture writes CloudTrail's default as no selectors.
    if (advanced.length === 0 && basic.length === 1 && isDefaultSelector(basic[0])) basic = [];
  } else {
    unknown.basic_event_selectors = selectors.reason;
    unknown.advanced_event_selectors = selectors.reason;
  }
  const owner = accountOfArn(arn) ?? ctx.account;
  return trailObject({ id: arn, account: owner, region: home, unknown }, 'trail', {
    // A member account lists its organization's trail: it is a member.
    organization_member_accounts: sdk.IsOrganizationTrail && owner !== ctx.account ? [ctx.account] : undefined,
    name: sdk.Name ?? null,
    arn,
    multi_region: sdk.IsMultiRegionTrail,
    organization: sdk.IsOrganizationTrail,
    logging,
    log_file_validation: sdk.LogFileValidationEnabled,
    kms_key_id: sdk.KmsKeyId,
    basic_event_selectors: basic,
    advanced_event_selectors: advanced,
    s3_bucket_name: sdk.S3BucketName,
    s3_key_prefix: sdk.S3KeyPrefix || null,
    log_group_arn: sdk.CloudWatchLogsLogGroupArn,
  });
}

/** Ingesting states: a store in any other state records nothing now. */
const INGESTING = new Set(['ENABLED']);

async function readEventDataStore(ctx: ScanContext, { arn, home }: Listed): Promise<Trail> {
  const read = await ctx.attempt(
    { action: 'cloudtrail:GetEventDataStore', region: home, id: arn, consequence: `the settings of event data store ${arn} are unknown` },
    () => cloudtrail(ctx, home).send(new GetEventDataStoreCommand({ EventDataStore: arn })),
  );
  const place = { id: arn, account: accountOfArn(arn) ?? ctx.account, region: home };
  if (!read.ok) return unreadTrail(place, 'event_data_store', EVENT_DATA_STORE_FIELDS.filter((field) => field !== 'arn'), read.reason, arn);
  const store = read.value;
  const unknown: Unknowns = {};
  if (!store.Status) unknown.logging = `GetEventDataStore in ${home} did not give the status of event data store ${arn}`;
  if (store.RetentionPeriod === undefined) unknown.retention_days = `GetEventDataStore in ${home} did not give the retention period of event data store ${arn}`;
  return trailObject({ ...place, unknown }, 'event_data_store', {
    name: store.Name ?? null,
    arn,
    multi_region: store.MultiRegionEnabled,
    organization: store.OrganizationEnabled,
    logging: store.Status ? INGESTING.has(store.Status) : null,
    kms_key_id: store.KmsKeyId,
    advanced_event_selectors: (store.AdvancedEventSelectors ?? []).map(toAdvancedSelector),
    retention_days: store.RetentionPeriod ?? null,
  });
}

/**
 * Stands for the trails of a region whose DescribeTrails failed. Multi-region trails show in
 * every region, so when another region was listed, any trail hidden here is single-region.
 */
export function unlistedTrail(ctx: ScanContext, region: string, reason: string, otherRegionListed: boolean): Trail {
  // The one field known: the default (single-region) when another region was listed.
  const fields = otherRegionListed ? TRAIL_FIELDS.filter((field) => field !== 'multi_region') : TRAIL_FIELDS;
  return unreadTrail({ id: ctx.arn('cloudtrail', region, 'trail/*'), account: ctx.account, region }, 'trail', fields, reason, null);
}

/** Stands for the event data stores of a region whose ListEventDataStores failed. */
export function unlistedEventDataStores(ctx: ScanContext, region: string, reason: string): Trail {
  const id = ctx.arn('cloudtrail', region, 'eventdatastore/*');
  return unreadTrail({ id, account: ctx.account, region }, 'event_data_store', EVENT_DATA_STORE_FIELDS, reason, null);
}

/** A trail or event data store whose `fields` could not be read: each null, `unknown` says why. */
function unreadTrail(place: Place, kind: Trail['kind'], fields: readonly string[], reason: string, arn: string | null): Trail {
  return unread(trailObject(place, kind, { arn }), fields, reason);
}

/** CloudTrail's default: every management event, read and write, no data events, no source excluded. */
function isDefaultSelector(selector: BasicEventSelector): boolean {
  return selector.read_write_type === 'All' && selector.include_management_events === true
    && selector.exclude_management_event_sources.length === 0 && selector.data_resources.length === 0;
}

export function toBasicSelector(selector: SdkBasicSelector): BasicEventSelector {
  return basicEventSelector({
    read_write_type: selector.ReadWriteType,
    include_management_events: selector.IncludeManagementEvents,
    exclude_management_event_sources: selector.ExcludeManagementEventSources,
    data_resources: (selector.DataResources ?? []).map((resource) => ({ type: resource.Type ?? '', values: resource.Values ?? [] })),
  });
}

export function toAdvancedSelector(selector: SdkAdvancedSelector): AdvancedEventSelector {
  const conditions = (selector.FieldSelectors ?? []).map((field) => {
    const condition: FieldSelector = { field: field.Field ?? '' };
    if (field.Equals) condition.equals = field.Equals;
    if (field.NotEquals) condition.not_equals = field.NotEquals;
    if (field.StartsWith) condition.starts_with = field.StartsWith;
    if (field.NotStartsWith) condition.not_starts_with = field.NotStartsWith;
    if (field.EndsWith) condition.ends_with = field.EndsWith;
    if (field.NotEndsWith) condition.not_ends_with = field.NotEndsWith;
    return condition;
  });
  // The conditions are ANDed: one order whatever the operator wrote, the one the Terraform reader uses.
  const key = (condition: FieldSelector): string => `${condition.field}\u0000${JSON.stringify(condition)}`;
  return advancedEventSelector({ name: selector.Name ?? null, field_selectors: conditions.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) });
}

