import {
  CloudWatchLogsClient,
  paginateDescribeDeliveries,
  paginateDescribeDeliveryDestinations,
  paginateDescribeDeliverySources,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import { delivery as newDelivery, deliveryDestination, deliverySource, logGroup as newLogGroup, unread } from '../posture/objects';
import type { Delivery, DeliveryDestination, DeliverySource } from '../posture/types';
import { deliveryDestinationType } from '../posture/vocabulary';
import { distinct, type ScanContext } from './scan-context';
import { distinctPages } from './answers';

function logs(ctx: ScanContext, region: string): CloudWatchLogsClient {
  return ctx.client('logs', region, (settings) => new CloudWatchLogsClient(settings));
}

/** Every item of a paginated list, each turned into a posture object. */
async function everyItem<Page, Item, Posted>(pages: AsyncIterable<Page>, items: (page: Page) => Item[] | undefined, post: (item: Item) => Posted): Promise<Posted[]> {
  const posted: Posted[] = [];
  for await (const page of pages) for (const item of items(page) ?? []) posted.push(post(item));
  return posted;
}

/** Vended log delivery (WorkMail audit logs): delivery sources, destinations and deliveries of one region. */
export async function collectLogDeliveries(ctx: ScanContext, region: string): Promise<void> {
  ctx.progress(region, 'logs', 'start');
  const client = logs(ctx, region);
  const sources = await ctx.list(
    { action: 'logs:DescribeDeliverySources', region, consequence: `the log delivery sources of ${region} are unknown` },
    () =>
      everyItem(distinctPages(paginateDescribeDeliverySources({ client }, {}), 'nextToken'), (page) => page.deliverySources, (source) => {
        const resources = source.resourceArns ?? [];
        // A source names one resource today; more would each need the same deliveries.
        if (resources.length > 1) {
          ctx.note(`delivery source ${source.name} names ${resources.length} resources; only ${resources[0]} is checked`, { region, id: source.arn });
        }
        return deliverySource(ctx.postureObject(source.arn ?? ctx.arn('logs', region, `delivery-source:${source.name ?? ''}`), region), {
          name: source.name ?? null,
          resource_arn: resources[0] ?? null,
          log_type: source.logType ?? null,
        });
      }),
    (reason): DeliverySource => unread(deliverySource(ctx.postureObject(ctx.arn('logs', region, 'delivery-source:*'), region)), ['name', 'resource_arn', 'log_type'], reason),
  );
  ctx.posture.delivery_sources.push(...sources);

  const destinations = await ctx.list(
    { action: 'logs:DescribeDeliveryDestinations', region, consequence: `the log delivery destinations of ${region} are unknown` },
    () =>
      everyItem(distinctPages(paginateDescribeDeliveryDestinations({ client }, {}), 'nextToken'), (page) => page.deliveryDestinations, (destination) =>
        deliveryDestination(ctx.postureObject(destination.arn ?? ctx.arn('logs', region, `delivery-destination:${destination.name ?? ''}`), region), {
          name: destination.name ?? null,
          arn: destination.arn ?? null,
          destination_type: deliveryDestinationType(destination.deliveryDestinationType),
          destination_resource_arn: destination.deliveryDestinationConfiguration?.destinationResourceArn ?? null,
        }),
      ),
    (reason): DeliveryDestination =>
      unread(deliveryDestination(ctx.postureObject(ctx.arn('logs', region, 'delivery-destination:*'), region)), ['name', 'arn', 'destination_type', 'destination_resource_arn'], reason),
  );
  ctx.posture.delivery_destinations.push(...destinations);

  const deliveries = await ctx.list(
    { action: 'logs:DescribeDeliveries', region, consequence: `the log deliveries of ${region} are unknown` },
    () =>
      everyItem(distinctPages(paginateDescribeDeliveries({ client }, {}), 'nextToken'), (page) => page.deliveries, (delivery) =>
        newDelivery(ctx.postureObject(delivery.arn ?? ctx.arn('logs', region, `delivery:${delivery.id ?? ''}`), region), {
          delivery_source_name: delivery.deliverySourceName ?? null,
          delivery_destination_arn: delivery.deliveryDestinationArn ?? null,
          s3_suffix_path: delivery.s3DeliveryConfiguration?.suffixPath || null,
          s3_hive_compatible_path: delivery.s3DeliveryConfiguration?.enableHiveCompatiblePath ?? null,
        }),
      ),
    (reason): Delivery =>
      unread(
        newDelivery(ctx.postureObject(ctx.arn('logs', region, 'delivery:*'), region)),
        ['delivery_source_name', 'delivery_source', 'delivery_destination_arn', 'delivery_destination', 's3_suffix_path'],
        reason,
      ),
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
  for (const group of distinct(wanted, (g) => `${g.region}/${g.name}`)) {
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
    const logGroup = newLogGroup(ctx.postureObject(id, group.region), {
      name: group.name,
      arn: (found.ok && found.value?.logGroupArn) || id,
      // 0 and absent both mean never expire.
      retention_in_days: (found.ok && found.value?.retentionInDays) || null,
    });
    ctx.posture.log_groups.push(found.ok ? logGroup : unread(logGroup, ['retention_in_days'], found.reason));
  }
}
