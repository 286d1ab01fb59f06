/** Where a resource lives: its own region argument, its provider configuration, or its ARN. */

export interface RegionAnswer {
  region: string | null;
  unknown?: string;
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
