/** Validation shared by the constructs' props: a bad value fails synthesis with one clear message. */

/** The reference architecture's bounds for LogRetentionInDays (seed 003). */
export const MIN_RETENTION_DAYS = 35;
export const MAX_RETENTION_DAYS = 540;
export const DEFAULT_RETENTION_DAYS = 400;

/** Retention values CloudWatch Logs accepts for retention_in_days (any other value is rejected by the API). */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Thrown when a construct's props are invalid; the message names the construct and the prop. */
export class StackPropsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackPropsError';
  }
}

/** Retention days: an integer within 35-540 (the seed's parameter), default 400. */
export function retentionDays(owner: string, value: number | undefined): number {
  const days = value ?? DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
    throw new StackPropsError(
      `${owner}: retentionDays must be an integer between ${MIN_RETENTION_DAYS} and ${MAX_RETENTION_DAYS}, got ${String(value)}`,
    );
  }
  return days;
}

/**
 * The CloudWatch Logs retention for the given days: log groups accept only fixed values, so take the
 * longest one not above the days and within 35-540 (60 when the days are below 60).
 */
export function logGroupRetentionDays(days: number): number {
  const inBounds = CLOUDWATCH_RETENTION_DAYS.filter((value) => value >= MIN_RETENTION_DAYS && value <= MAX_RETENTION_DAYS);
  const notAbove = inBounds.filter((value) => value <= days);
  return notAbove.length > 0 ? notAbove[notAbove.length - 1] : inBounds[0];
}

/** Name prefix: lower-case letters, digits and hyphens, so it is valid in bucket, stream and set names. */
export function namePrefix(owner: string, value: string | undefined, fallback: string): string {
  const prefix = value ?? fallback;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(prefix) || prefix.endsWith('-')) {
    throw new StackPropsError(
      `${owner}: namePrefix must be 1-20 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen, got "${prefix}"`,
    );
  }
  return prefix;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** An AWS region name such as eu-west-1. */
export function region(owner: string, value: string): string {
  if (!REGION.test(value)) throw new StackPropsError(`${owner}: region must be an AWS region name such as eu-west-1, got "${value}"`);
  return value;
}
