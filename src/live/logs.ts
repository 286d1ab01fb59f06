import {
  CloudWatchLogsClient,
  paginateDescribeDeliveries,
  paginateDescribeDeliveryDestinations,
  paginateDescribeDeliverySources,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Delivery, DeliveryDestination, DeliverySource, LogGroup } from '../posture/types';
import { unknownFields, type ScanContext } from './scan-context';
import { distinctPages } from './answers';

function logs(ctx: ScanContext, region: string): CloudWatchLogsClient {
  return ctx.client('logs', region, (settings) => new CloudWatchLogsClient(settings));
}

const DESTINATION_TYPES = { CWL: 'cwl', S3: 's3', FH: 'fh', XRAY: 'xray' } as const;

/** Vended log delivery (WorkMail audit logs): delivery sources, destinations and deliveries of one region. */
export async function collectLogDeliveries(ctx: ScanContext, region: string): Promise<void> {
  ctx.progress(region, 'logs', 'start');
  const client = logs(ctx, region);
  const sources = await ctx.list(
    { action: 'logs:DescribeDeliverySources', region, consequence: `the log delivery sources of ${region} are unknown` },
    async () => {
      const found: DeliverySource[] = [];
      for await (const page of distinctPages(paginateDescribeDeliverySources({ client }, {}), 'nextToken')) {
        for (const source of page.deliverySources ?? []) {
          const resources = source.resourceArns ?? [];
          // A source names one resource today; more would each need the same deliveries.
          found.push({
            ...ctx.postureObject(source.arn ?? ctx.arn('logs', region, `delivery-source:${source.name ?? ''}`), region),
            name: source.name ?? null,
            resource_arn: resources[0] ?? null,
            log_type: source.logType ?? null,
          });
          if (resources.length > 1) {
            ctx.note(`delivery source ${source.name} names ${resources.length} resources; only ${resources[0]} is checked`, { region, id: source.arn });
          }
        }
      }
      return found;
    },
    (reason): DeliverySource => ({
      ...ctx.postureObject(ctx.arn('logs', region, 'delivery-source:*'), region, unknownFields(['name', 'resource_arn', 'log_type'], reason)),
      name: null,
      resource_arn: null,
      log_type: null,
    }),
  );
  ctx.posture.delivery_sources.push(...sources);

  const destinations = await ctx.list(
    { action: 'logs:DescribeDeliveryDestinations', region, consequence: `the log delivery destinations of ${region} are unknown` },
    async () => {
      const found: DeliveryDestination[] = [];
      for await (const page of distinctPages(paginateDescribeDeliveryDestinations({ client }, {}), 'nextToken')) {
        for (const destination of page.deliveryDestinations ?? []) {
          const type = destination.deliveryDestinationType as keyof typeof DESTINATION_TYPES | undefined;
          found.push({
            ...ctx.postureObject(destination.arn ?? ctx.arn('logs', region, `delivery-destination:${destination.name ?? ''}`), region),
            name: destination.name ?? null,
            arn: destination.arn ?? null,
            destination_type: type && type in DESTINATION_TYPES ? DESTINATION_TYPES[type] : null,
            destination_resource_arn: destination.deliveryDestinationConfiguration?.destinationResourceArn ?? null,
            target: null,
          });
        }
      }
      return found;
    },
    (reason): DeliveryDestination => ({
      ...ctx.postureObject(ctx.arn('logs', region, 'delivery-destination:*'), region, unknownFields(['name', 'arn', 'destination_type', 'destination_resource_arn'], reason)),
      name: null,
      arn: null,
      destination_type: null,
      destination_resource_arn: null,
      target: null,
    }),
  );
  ctx.posture.delivery_destinations.push(...destinations);

  const deliveries = await ctx.list(
    { action: 'logs:DescribeDeliveries', region, consequence: `the log deliveries of ${region} are unknown` },
    async () => {
      const found: Delivery[] = [];
      for await (const page of distinctPages(paginateDescribeDeliveries({ client }, {}), 'nextToken')) {
        for (const delivery of page.deliveries ?? []) {
          found.push({
            ...ctx.postureObject(delivery.arn ?? ctx.arn('logs', region, `delivery:${delivery.id ?? ''}`), region),
            delivery_source_name: delivery.deliverySourceName ?? null,
            delivery_source: null,
            delivery_destination_arn: delivery.deliveryDestinationArn ?? null,
            delivery_destination: null,
            s3_suffix_path: delivery.s3DeliveryConfiguration?.suffixPath || null,
            s3_hive_compatible_path: delivery.s3DeliveryConfiguration?.enableHiveCompatiblePath ?? null,
          });
        }
      }
      return found;
    },
    (reason): Delivery => ({
      ...ctx.postureObject(
        ctx.arn('logs', region, 'delivery:*'),
        region,
        unknownFields(['delivery_source_name', 'delivery_source', 'delivery_destination_arn', 'delivery_destination', 's3_suffix_path'], reason),
      ),
      delivery_source_name: null,
      delivery_source: null,
      delivery_destination_arn: null,
      delivery_destination: null,
      s3_suffix_path: null,
      s3_hive_compatible_path: null,
    }),
  );
  ctx.posture.deliveries.push(...deliveries);
  ctx.progress(region, 'logs', 'done');
}

/** A log group in the logging path, named by a trail, a Firehose stream or a delivery destination. */
export interface WantedLogGroup {
  region: string;
  name: string;
  /** Who sends logs there, for notes. */
  namedBy: string;
}

/** Reads the retention of the log groups in the logging path (and only those), by name prefix. */
export async function collectLogGroups(ctx: ScanContext, wanted: WantedLogGroup[]): Promise<void> {
  const seen = new Set<string>();
  for (const group of wanted) {
    const key = `${group.region}/${group.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const id = ctx.arn('logs', group.region, `log-group:${group.name}`);
    const found = await ctx.attempt(
      { action: 'logs:DescribeLogGroups', region: group.region, id, consequence: `the retention of log group ${group.name} is unknown` },
      async () => {
        for await (const page of distinctPages(paginateDescribeLogGroups({ client: logs(ctx, group.region) }, { logGroupNamePrefix: group.name }), 'nextToken')) {
          const match = (page.logGroups ?? []).find((g) => g.logGroupName === group.name);
          if (match) return match;
        }
        return undefined;
      },
    );
    if (found.ok && found.value === undefined) {
      ctx.note(`log group ${group.name} in ${group.region}, named by ${group.namedBy}, does not exist`, { region: group.region, id });
      continue;
    }
    const logGroup: LogGroup = {
      ...ctx.postureObject(id, group.region, found.ok ? {} : { retention_in_days: found.reason }),
      name: group.name,
      arn: id,
      retention_in_days: found.ok ? (found.value?.retentionInDays || null) : null,
    };
    if (found.ok && found.value?.logGroupArn) logGroup.arn = found.value.logGroupArn;
    ctx.posture.log_groups.push(logGroup);
  }
}
