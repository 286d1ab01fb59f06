import {
  DescribeArchiveCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type Rule as SdkRule,
} from '@aws-sdk/client-eventbridge';
import { eventArchive, eventBus, eventRule, unknownFields } from '../posture/objects';
import type { EventArchive, EventBus, EventRule, EventTarget } from '../posture/types';
import { nextPageToken } from './answers';
import type { ScanContext } from './scan-context';

function events(ctx: ScanContext, region: string): EventBridgeClient {
  return ctx.client('events', region, (settings) => new EventBridgeClient(settings));
}

/**
 * The EventBridge buses SES event destinations publish to (and only those), each with its
 * archives and rules, and the targets of the rules that may match SES events: what decides
 * whether a bus keeps SES events.
 */
export async function collectEventBuses(ctx: ScanContext): Promise<void> {
  const arns = new Set<string>();
  for (const set of ctx.posture.configuration_sets) {
    for (const destination of set.event_destinations) {
      if (destination.destination_type === 'event_bridge' && destination.event_bus_arn) arns.add(destination.event_bus_arn);
    }
  }
  for (const arn of arns) {
    const parsed = /^arn:[^:]+:events:([^:]+):([^:]*):event-bus\/(.+)$/.exec(arn);
    if (!parsed) {
      ctx.note(`event bus ARN ${arn}, named by an SES event destination, is not an event bus ARN`, { id: arn });
      continue;
    }
    const [, region, account, name] = parsed;
    if (account && account !== ctx.account) {
      // Another account's bus: its archives and rules are that account's to list.
      ctx.note(`event bus ${arn} belongs to account ${account}; its archives and rules are not read`, { id: arn, region });
      ctx.posture.event_buses = [...(ctx.posture.event_buses ?? []), eventBus({ id: arn, account, region }, { name, arn })];
      continue;
    }
    ctx.progress(region, 'events', 'start');
    const unknown: EventBus['unknown'] = {};
    const bus = eventBus({ id: arn, account: account || ctx.account, region, unknown }, {
      name,
      arn,
      complete: true,
      archives: await readArchives(ctx, region, arn, (reason) => (unknown.archives = reason)),
      rules: await readRules(ctx, region, arn, (reason) => (unknown.rules = reason)),
    });
    ctx.posture.event_buses = [...(ctx.posture.event_buses ?? []), bus];
    ctx.progress(region, 'events', 'done');
  }
}

async function readArchives(ctx: ScanContext, region: string, busArn: string, unknown: (reason: string) => void): Promise<EventArchive[]> {
  const client = events(ctx, region);
  const listed = await ctx.attempt(
    { action: 'events:ListArchives', region, id: busArn, consequence: `the archives of event bus ${busArn} are unknown` },
    () =>
      allPages(
        (token) => client.send(new ListArchivesCommand({ EventSourceArn: busArn, NextToken: token })),
        (page) => (page.Archives ?? []).flatMap((archive) => (archive.ArchiveName ? [archive.ArchiveName] : [])),
      ),
  );
  if (!listed.ok) {
    unknown(listed.reason);
    return [];
  }
  const archives: EventArchive[] = [];
  for (const name of listed.value) {
    const id = `${busArn}/archive/${name}`;
    const read = await ctx.attempt(
      { action: 'events:DescribeArchive', region, id, consequence: `the event pattern and retention of archive ${name} are unknown` },
      () => client.send(new DescribeArchiveCommand({ ArchiveName: name })),
    );
    // Through the factory, which keeps a pattern the rules cannot parse out (unknown, with why).
    const archive = read.ok
      ? // 0 (or absent) keeps events indefinitely.
        eventArchive(id, { name, event_pattern: read.value.EventPattern || null, retention_days: read.value.RetentionDays || null, state: read.value.State ?? null })
      : eventArchive(id, { name, unknown: unknownFields(['event_pattern', 'retention_days', 'state'], read.reason) });
    archives.push(archive);
  }
  return archives;
}

/** Whether a rule's pattern may match SES events (no source condition, aws.ses, or a content filter). */
function mayMatchSes(rule: SdkRule): boolean {
  if (!rule.EventPattern) return false;
  try {
    const pattern = JSON.parse(rule.EventPattern) as { source?: unknown };
    if (!Array.isArray(pattern.source)) return true;
    return pattern.source.some((source) => source === 'aws.ses' || typeof source !== 'string');
  } catch {
    return true;
  }
}

async function readRules(ctx: ScanContext, region: string, busArn: string, unknown: (reason: string) => void): Promise<EventRule[]> {
  const client = events(ctx, region);
  const listed = await ctx.attempt(
    { action: 'events:ListRules', region, id: busArn, consequence: `the rules of event bus ${busArn} are unknown` },
    () =>
      allPages(
        (token) => client.send(new ListRulesCommand({ EventBusName: busArn, NextToken: token })),
        (page): SdkRule[] => page.Rules ?? [],
      ),
  );
  if (!listed.ok) {
    unknown(listed.reason);
    return [];
  }
  const rules: EventRule[] = [];
  for (const listedRule of listed.value) {
    const name = listedRule.Name ?? null;
    const id = listedRule.Arn ?? `${busArn}/rule/${name ?? ''}`;
    const rule = eventRule(id, { name, event_pattern: listedRule.EventPattern || null, state: listedRule.State ?? null });
    // Only rules that may keep SES events need their targets: call counts stay proportional to them.
    if (name && mayMatchSes(listedRule) && (rule.state ?? 'ENABLED').startsWith('ENABLED')) {
      const targets = await ctx.attempt(
        { action: 'events:ListTargetsByRule', region, id, consequence: `the targets of rule ${name} are unknown` },
        () =>
          allPages(
            (token) => client.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: busArn, NextToken: token })),
            (page) => (page.Targets ?? []).map((target): EventTarget => ({ id: `${id}/target/${target.Id ?? ''}`, arn: target.Arn ?? null, target: null, unknown: {} })),
          ),
      );
      if (targets.ok) rule.targets = targets.value;
      else rule.unknown.targets = targets.reason;
    }
    rules.push(rule);
  }
  return rules;
}

/** Every item of a list call, page by page (EventBridge has no paginators for these). */
async function allPages<Page extends { NextToken?: string }, Item>(fetch: (token: string | undefined) => Promise<Page>, items: (page: Page) => Item[]): Promise<Item[]> {
  const found: Item[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetch(token);
    found.push(...items(page));
    token = nextPageToken(page.NextToken, seen);
  } while (token);
  return found;
}
