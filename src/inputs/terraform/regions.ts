/** Where a resource lives: its own region argument, its provider configuration, or its ARN. */

export interface RegionAnswer {
  region: string | null;
  unknown?: string;
}

/** The region and account parts of an ARN (arn:partition:service:region:account:resource). */
export function arnParts(arn: string): { service: string; region: string; account: string; resource: string } | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  return { service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

export function regionFromArn(arn: unknown): string | null {
  if (typeof arn !== 'string') return null;
  const region = arnParts(arn)?.region;
  return region ? region : null;
}

/** The first answer that knows the region; otherwise the first reason it is unknown. */
export function firstRegion(...answers: (RegionAnswer | null | undefined)[]): RegionAnswer {
  const known = answers.find((a) => a && a.region !== null);
  if (known) return known;
  const reason = answers.find((a) => a?.unknown)?.unknown;
  return { region: null, unknown: reason ?? 'the input does not say which region this resource is in' };
}

/** A provider configuration key relative to its module ("module.a:aws.euw1" -> "aws.euw1" in the parent). */
export function parentProviderKey(key: string): string | null {
  const colon = key.lastIndexOf(':');
  if (colon < 0) return null;
  const modulePath = key.slice(0, colon);
  const provider = key.slice(colon + 1);
  const lastModule = modulePath.lastIndexOf('.module.');
  return lastModule < 0 ? provider : `${modulePath.slice(0, lastModule)}:${provider}`;
}
