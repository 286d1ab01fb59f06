/**
 * What a failed AWS call means for the posture: a fault of the account, region or service
 * (denied, not enabled, not offered, throttled past the retries, unreachable) becomes an unknown
 * value with a reason; anything else is a bug in sescheck and is rethrown.
 */

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const FAULT_NAMES = new Set(['TimeoutError', 'CredentialsProviderError', 'RequestTimeout', 'RequestTimeoutException']);

export interface AwsCall {
  /** The IAM action, e.g. cloudtrail:GetEventSelectors. */
  action: string;
  region: string;
}

/** No answer came in time (connect, request, pause or call limit): the message says which bound passed. */
export class NoAnswerError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * A 2xx answer that is not whole: no body, or without the field every answer of that API has.
 * Retryable (a glitch may pass); after the attempts it is a fault, never "nothing there".
 */
export class IncompleteAnswerError extends Error {
  override readonly name = 'IncompleteAnswer';
  readonly $fault = 'server';
  readonly $retryable = {};
  readonly $metadata: { httpStatusCode?: number };

  constructor(message: string, httpStatusCode?: number) {
    super(message);
    this.$metadata = { httpStatusCode };
  }
}

const NETWORK_HINTS: Record<string, string> = {
  ENOTFOUND: ' (endpoint not reachable: is the service offered in this region?)',
  EAI_AGAIN: ' (endpoint not reachable: is the service offered in this region?)',
  ECONNREFUSED: ' (endpoint not reachable)',
  EHOSTUNREACH: ' (endpoint not reachable)',
  ENETUNREACH: ' (endpoint not reachable)',
  ETIMEDOUT: ' (no answer in time)',
  ECONNRESET: ' (the connection was cut)',
  EPIPE: ' (the connection was cut)',
};

/** True when the error comes from AWS or the way to it, not from sescheck's own code. */
export function isAwsFault(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  if (error instanceof NoAnswerError || error instanceof IncompleteAnswerError) return true;
  if ('$metadata' in error || '$fault' in error) return true;
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined && NETWORK_CODES.has(code)) || FAULT_NAMES.has(error.name);
}

/** The error's code as AWS names it (AccessDeniedException, ThrottlingException, ENOTFOUND...). */
export function faultCode(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && NETWORK_CODES.has(code)) return code;
  return error.name && error.name !== 'Error' ? error.name : 'UnknownError';
}

/** The reason an unknown value carries: "AccessDeniedException on cloudtrail:GetEventSelectors in eu-west-1". */
export function faultReason(error: Error, call: AwsCall): string {
  const code = faultCode(error);
  const hint =
    error instanceof NoAnswerError || error instanceof IncompleteAnswerError
      ? ` (${error.message})`
      : (NETWORK_HINTS[code] ?? '');
  return `${code} on ${call.action} in ${call.region}${hint}`;
}

/** True when AWS answered that the thing asked for does not exist (an answer, not a fault). */
export function isNotFound(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

/** The call's answer, or null when AWS answers that the thing asked for does not exist (one of `names`). */
export async function unlessMissing<T>(call: () => Promise<T>, ...names: string[]): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error, ...names)) return null;
    throw error;
  }
}
