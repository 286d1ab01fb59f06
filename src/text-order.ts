/**
 * Two strings in the order of their UTF-16 code units, for sort(): the same on every machine,
 * whatever its locale (localeCompare's order is the locale's).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
