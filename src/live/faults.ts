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

/** True when the error comes from AWS or the way to it, not from sescheck's own code. */
export function isAwsFault(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
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
  const hint = NETWORK_CODES.has(code) ? ' (endpoint not reachable: is the service offered in this region?)' : '';
  return `${code} on ${call.action} in ${call.region}${hint}`;
}

/** True when AWS answered that the thing asked for does not exist (an answer, not a fault). */
export function isNotFound(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}
