import { ConfigError } from '../errors';
import type { Finding } from '../engine/findings';
import type { Waiver } from '../engine/settings';

/** A waiver whose expiry date has passed: it no longer applies, and the report says so. */
export interface ExpiredWaiver extends Waiver {
  /** Its position in the settings' `waivers` list. */
  index: number;
}

export interface WaiverOutcome<T extends Finding> {
  findings: T[];
  expired: ExpiredWaiver[];
}

/**
 * Checks what the settings schema cannot: each waiver names a rule in the catalog and a real
 * calendar date. `origin` names the settings file in the error.
 */
export function checkWaivers(waivers: Waiver[], ruleIds: Iterable<string>, origin: string): void {
  const known = new Set(ruleIds);
  waivers.forEach((waiver, index) => {
    if (!known.has(waiver.rule)) {
      throw new ConfigError(`settings file ${origin}: key waivers[${index}].rule: no rule ${waiver.rule} in the catalog (see \`sescheck rules\`)`);
    }
    if (parseDay(waiver.expires) === undefined) {
      throw new ConfigError(`settings file ${origin}: key waivers[${index}].expires: ${waiver.expires} is not a calendar date (YYYY-MM-DD)`);
    }
  });
}

/**
 * Turns each failing finding matched by an unexpired waiver into status `waived`, with the
 * waiver's reason and expiry. Unknown findings are never waived: a check that could not be
 * decided may hide a failure, so its unknown value must be resolved instead.
 * A waiver applies through its `expires` day (UTC).
 */
export function applyWaivers<T extends Finding>(findings: T[], waivers: Waiver[], now: Date): WaiverOutcome<T> {
  const today = utcDay(now);
  const expired: ExpiredWaiver[] = [];
  const active: { waiver: Waiver; matches: (resource: string) => boolean }[] = [];
  waivers.forEach((waiver, index) => {
    if ((parseDay(waiver.expires) ?? -Infinity) < today) expired.push({ ...waiver, index });
    else active.push({ waiver, matches: resourceMatcher(waiver.resource) });
  });
  const waived = findings.map((finding) => {
    if (finding.status !== 'fail') return finding;
    const match = active.find(({ waiver, matches }) => waiver.rule === finding.rule_id && matches(finding.resource));
    if (!match) return finding;
    return { ...finding, status: 'waived' as const, waiver: { reason: match.waiver.reason, expires: match.waiver.expires } };
  });
  return { findings: waived, expired };
}

/**
 * `*` matches any run of characters (including none), `?` exactly one; everything else literally.
 * Matched by one pass with a single backtrack point (the last `*`), never a regular expression:
 * at most pattern × resource steps, where a backtracking regex takes exponential time on
 * patterns with many `*` (`*a*a*a*…b` against a long run of `a`).
 */
export function resourceMatcher(pattern: string): (resource: string) => boolean {
  if (!/[*?]/.test(pattern)) return (resource) => resource === pattern;
  return (resource) => globMatches(pattern, resource);
}

function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  // Where the last `*` was, and the text position it now stands for the end of.
  let star = -1;
  let starText = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      starText = t;
    } else if (star !== -1) {
      // Let the last `*` take one more character and retry what follows it.
      p = star + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Days since the epoch of a YYYY-MM-DD date, or undefined when it is not a calendar date. */
function parseDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return time / 86_400_000;
}

function utcDay(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / 86_400_000;
}
