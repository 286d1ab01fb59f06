import type { RuleInfo } from '../engine/findings';
import type { Settings } from '../engine/settings';
import { ConfigError } from '../errors';
import { checkWaivers } from './waivers';

/** Which rules a scan reports: `only` narrows (empty: every rule), `skip` removes. */
export interface RuleSelection {
  only: readonly string[];
  skip: readonly string[];
}

/** A rule id given to --rule or --skip-rule (or a front end's own option) that the catalog does not have. */
export class UnknownRuleError extends ConfigError {
  constructor(
    readonly option: string,
    readonly ruleId: string,
  ) {
    super(`${option} ${ruleId}: no such rule in the catalog (see \`sescheck rules\`)`);
  }
}

/** The rule ids to report: --rule narrows, --skip-rule removes; an id not in the catalog is a usage error. */
export function selectRules(catalog: RuleInfo[], only: readonly string[], skip: readonly string[]): Set<string> {
  const known = new Set(catalog.map((rule) => rule.id));
  for (const [option, ids] of [['--rule', only], ['--skip-rule', skip]] as const) {
    const unknown = ids.find((id) => !known.has(id));
    if (unknown !== undefined) throw new UnknownRuleError(option, unknown);
  }
  const selected = only.length > 0 ? new Set(only) : new Set(known);
  for (const id of skip) selected.delete(id);
  return selected;
}

/**
 * What the schema cannot check, against the rules of the bundle in use: each waiver names a rule
 * and a calendar date, and a severity override names a rule (else a typo would silently change
 * nothing). Every front end (CLI, Lambda, synth-time checks) checks the same way.
 */
export function checkSettingsAgainstCatalog(settings: Settings, catalog: RuleInfo[], origin: string): void {
  checkWaivers(settings.waivers, catalog.map((rule) => rule.id), origin);
  const unknown = Object.keys(settings.severities).find((id) => !catalog.some((rule) => rule.id === id));
  if (unknown !== undefined) throw new ConfigError(`settings file ${origin}: key severities.${unknown}: no rule ${unknown} in the catalog (see \`sescheck rules\`)`);
}
