import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { buildArn, partitionHomeRegion } from '../posture/arn';
import type { Posture, PostureNote, PostureObject, Unknowns } from '../posture/types';
import { faultReason, isAwsFault } from './faults';
import { iamActionOf } from './iam-policy';

/** Client settings every collector uses: adaptive retry for throttling, the one endpoint if given. */
export interface ClientSettings {
  region: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoint?: string;
  retryMode: 'adaptive';
  maxAttempts: number;
}

/** The part of an SDK v3 client the scan touches: its middleware stack. */
export interface AwsClient {
  middlewareStack: { add(middleware: unknown, options?: unknown): void };
  destroy(): void;
}

type Next = (args: unknown) => Promise<unknown>;
type HandlerContext = { clientName?: string; commandName?: string };

/** Progress events: one per account, region and service, when it starts and when it is done. */
export interface ProgressEvent {
  account: string;
  region: string;
  service: string;
  phase: 'start' | 'done';
}

export interface ScanHooks {
  /** Called with every IAM action the scan sends (tests compare them with the read-only policy). */
  onCall?: (action: string) => void;
  /** Called with every client the scan creates, before use (tests add middleware here). */
  onClient?: (client: AwsClient, scope: { account: string; region: string }) => void;
  onProgress?: (event: ProgressEvent) => void;
}

/** The result of one AWS call: its value, or the reason it could not be had. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface CallSite {
  /** The IAM action, e.g. cloudtrail:GetEventSelectors. */
  action: string;
  region: string;
  /** The posture object the call was for, if any. */
  id?: string | null;
  /** What the failure leaves unknown, for the note. */
  consequence: string;
}

/** One account's scan: its clients, credentials, and the posture document being filled. */
export class ScanContext {
  private readonly clients = new Map<string, AwsClient>();

  constructor(
    readonly account: string,
    readonly partition: string,
    readonly posture: Posture,
    private readonly settings: Omit<ClientSettings, 'region'>,
    readonly hooks: ScanHooks = {},
  ) {}

  /** A client for a service in a region, created once per scan and recorded. */
  client<C extends AwsClient>(service: string, region: string, create: (settings: ClientSettings) => C): C {
    const key = `${service}/${region}`;
    const existing = this.clients.get(key);
    if (existing) return existing as C;
    const client = create({ ...this.settings, region });
    instrumentClient(client, this.hooks, { account: this.account, region });
    this.clients.set(key, client);
    return client;
  }

  /** Runs one AWS call; a fault (denied, throttled, unreachable...) becomes a reason and a posture note. */
  async attempt<T>(site: CallSite, call: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      if (!isAwsFault(error)) throw error;
      const reason = faultReason(error, site);
      this.note(`${reason}: ${site.consequence}`, site, error.message);
      return { ok: false, reason };
    }
  }

  /** The fields every posture object read from this account carries (nothing live has a file location). */
  postureObject(id: string, region: string, unknown: Unknowns = {}): PostureObject & { region: string } {
    return { id, account: this.account, region, location: null, unknown };
  }

  /**
   * Runs a list call of one region; when it fails, the one stand-in made from the reason takes
   * the place of what it would have listed, so the region stays in scope as unknown.
   */
  async list<T>(site: CallSite, call: () => Promise<T[]>, standIn: (reason: string) => T): Promise<T[]> {
    const listed = await this.attempt(site, call);
    return listed.ok ? listed.value : [standIn(listed.reason)];
  }

  /** Adds a posture note about this account. */
  note(message: string, site: { action?: string; region?: string | null; id?: string | null }, detail?: string): void {
    const [service, api] = site.action ? site.action.split(':') : [null, null];
    const note: PostureNote = {
      message: detail && !message.includes(detail) ? `${message} (${firstLine(detail)})` : message,
      id: site.id ?? null,
      region: site.region ?? null,
      account: this.account,
      service,
      api,
    };
    this.posture.notes.push(note);
  }

  progress(region: string, service: string, phase: ProgressEvent['phase']): void {
    this.hooks.onProgress?.({ account: this.account, region, service, phase });
  }

  /** The region that answers the partition's global APIs (S3 bucket location, S3 Control, Account). */
  get homeRegion(): string {
    return partitionHomeRegion(this.partition);
  }

  /** An ARN in this account's partition. */
  arn(service: string, region: string, resource: string, account: string = this.account): string {
    return buildArn({ partition: this.partition, service, region, account, resource });
  }

  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}

/** Each of the fields unknown for the one reason. */
export function unknownFields(fields: readonly string[], reason: string): Unknowns {
  return Object.fromEntries(fields.map((field) => [field, reason]));
}


/** Records each command's IAM action before it is sent. */
export function instrumentClient(client: AwsClient, hooks: ScanHooks, scope: { account: string; region: string }): void {
  if (hooks.onCall) {
    const onCall = hooks.onCall;
    client.middlewareStack.add(
      (next: Next, context: HandlerContext) => async (args: unknown) => {
        onCall(iamActionOf(context.clientName ?? '?', context.commandName ?? '?'));
        return next(args);
      },
      { step: 'initialize', name: 'sescheckRecordCall' },
    );
  }
  hooks.onClient?.(client, scope);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

/** Runs fn over items with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
