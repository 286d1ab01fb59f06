import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { buildArn, partitionHomeRegion } from '../posture/arn';
import type { Posture, PostureNote, PostureObject, Unknowns } from '../posture/types';
import { checkAnswer, readWholeAnswer } from './answers';
import { faultReason, isAwsFault, NoAnswerError } from './faults';
import { iamActionOf } from './iam-policy';

/** How long the scan waits for AWS: every call gives up within these bounds (docs/live.md, "Time bounds"). */
export interface TimeLimits {
  /** To open a TCP connection, per attempt. */
  connectTimeoutMs: number;
  /** For an answer to begin (counted from the start of the attempt), and the longest pause inside an answer. */
  requestTimeoutMs: number;
  /** Attempts per call (adaptive retry with backoff) before throttling or a timeout counts as a fault. */
  maxAttempts: number;
  /** For one call with all its attempts and backoff; past it the call is a fault whatever the server does. */
  callTimeoutMs: number;
}

export const DEFAULT_TIME_LIMITS: Readonly<TimeLimits> = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  maxAttempts: 4,
  callTimeoutMs: 45_000,
};

/** The limits of options, with their defaults; maxAttempts given alone (tests, older callers) wins. */
export function timeLimits(options: { limits?: Partial<TimeLimits>; maxAttempts?: number }): TimeLimits {
  const given = Object.entries({ ...options.limits, maxAttempts: options.maxAttempts ?? options.limits?.maxAttempts }).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_TIME_LIMITS, ...Object.fromEntries(given) };
}

/** Client settings every collector uses: adaptive retry for throttling, timeouts, the one endpoint if given. */
export interface ClientSettings {
  region: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoint?: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; socketTimeout: number; throwOnRequestTimeout: true };
}

/** The SDK client settings for these limits (the SDK's NodeHttpHandler options). */
export function clientSettingsFor(limits: TimeLimits): Pick<ClientSettings, 'retryMode' | 'maxAttempts' | 'requestHandler'> {
  return {
    retryMode: 'adaptive',
    maxAttempts: limits.maxAttempts,
    requestHandler: {
      connectionTimeout: limits.connectTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      socketTimeout: limits.requestTimeoutMs,
      // Without it the SDK only prints a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}

/** The part of an SDK v3 client the scan touches: its middleware stack and send. */
export interface AwsClient {
  middlewareStack: { add(middleware: unknown, options?: unknown): void };
  send(command: unknown, options?: unknown): Promise<unknown>;
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
    private readonly limits: TimeLimits = DEFAULT_TIME_LIMITS,
  ) {}

  /** A client for a service in a region, created once per scan, bounded in time and checked for whole answers. */
  client<C extends AwsClient>(service: string, region: string, create: (settings: ClientSettings) => C): C {
    const key = `${service}/${region}`;
    const existing = this.clients.get(key);
    if (existing) return existing as C;
    const client = create({ ...this.settings, region });
    boundClient(client, this.limits);
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

/**
 * Makes every call of a client end within the call limit (an abort signal the SDK's retry loop
 * and HTTP handler obey), checks that each answer is whole (a body, and the field the collectors
 * read), and once a call got no answer at all, fails the client's later calls at once: an endpoint
 * that swallows requests costs one call limit per client, not one per call.
 */
export function boundClient(client: AwsClient, limits: TimeLimits): void {
  let unanswered: NoAnswerError | undefined;
  // Whole HTTP answers of any status: a call that ran out of time while throttled was answered.
  let answers = 0;
  const send = client.send.bind(client);
  const clientName = client.constructor.name;
  // Added first, so it wraps readWholeAnswer: a stalled or empty body is no answer.
  client.middlewareStack.add(
    (next: Next) => async (args: unknown) => {
      const result = await next(args);
      answers += 1;
      return result;
    },
    { step: 'deserialize', name: 'sescheckCountAnswers', priority: 'low' },
  );
  client.middlewareStack.add(readWholeAnswer, { step: 'deserialize', name: 'sescheckWholeAnswer', priority: 'low' });
  client.send = async (command: unknown, options?: unknown): Promise<unknown> => {
    const action = iamActionOf(clientName, (command as object).constructor.name);
    if (unanswered) throw new NoAnswerError(`not sent, as an earlier call to this endpoint got no answer: ${unanswered.message}`);
    const answersBefore = answers;
    const deadline = new AbortController();
    const passed = new Promise<never>((_, reject) => {
      deadline.signal.addEventListener('abort', () => reject(callLimitPassed(limits)));
    });
    const timer = setTimeout(() => deadline.abort(), limits.callTimeoutMs);
    try {
      // The race ends the call at the limit even if some SDK step does not obey the signal.
      const output = await Promise.race([send(command, { ...(options as object | undefined), abortSignal: deadline.signal }), passed]);
      checkAnswer(action, output);
      return output;
    } catch (error) {
      const noAnswer = error instanceof NoAnswerError ? error : deadline.signal.aborted ? callLimitPassed(limits) : timeoutOf(error, limits);
      if (!noAnswer) throw error;
      if (answers === answersBefore) unanswered = noAnswer;
      throw noAnswer;
    } finally {
      clearTimeout(timer);
    }
  };
}

function callLimitPassed(limits: TimeLimits): NoAnswerError {
  return new NoAnswerError(`no whole answer within the ${seconds(limits.callTimeoutMs)} call limit`);
}

/** A timeout of the SDK's HTTP handler (connect, request, or a silent answer) as a NoAnswerError; a reset connection is not one. */
function timeoutOf(error: unknown, limits: TimeLimits): NoAnswerError | undefined {
  if (!(error instanceof Error) || error.name !== 'TimeoutError') return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET' || code === 'EPIPE') return undefined;
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
  const tries = attempts === 1 ? '(1 attempt)' : `per attempt, ${attempts} attempts`;
  if (/establish a connection/.test(error.message)) return new NoAnswerError(`no connection within ${seconds(limits.connectTimeoutMs)} ${tries}`);
  if (/socket timed out/.test(error.message)) return new NoAnswerError(`the answer stopped for ${seconds(limits.requestTimeoutMs)} ${tries}`);
  return new NoAnswerError(`no answer within ${seconds(limits.requestTimeoutMs)} ${tries}`);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

/** The first of the items with each key (a bucket, stream or log group named twice is read once). */
export function distinct<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const itemKey = key(item);
    if (seen.has(itemKey)) return false;
    seen.add(itemKey);
    return true;
  });
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
