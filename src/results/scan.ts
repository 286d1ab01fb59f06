import type { PolicyEngine } from '../engine/evaluate';
import type { Settings } from '../engine/settings';
import type { Posture } from '../posture/types';
import { postureProblems } from '../posture/validate';
import { buildScanResult, type ResultOptions } from './build';
import { checkSettingsAgainstCatalog, selectRules, type RuleSelection } from './catalog';
import type { ScanResult } from './scan-result';

export interface ScanOptions extends Omit<ResultOptions, 'catalog' | 'ruleIds' | 'waivers'> {
  /** Default: every rule. */
  selection?: RuleSelection;
  /** Names the settings in errors (the settings file, or `defaults`). */
  settingsOrigin: string;
}

/**
 * Posture documents to a scan result, the same way for every front end (CLI, Lambda, synth-time
 * checks): settings checked against the catalog, rules selected, each posture validated and
 * evaluated, then the results stage. User errors are thrown as UserError.
 */
export function scanPostures(engine: PolicyEngine, settings: Settings, postures: Posture[], options: ScanOptions): ScanResult {
  const { selection, settingsOrigin, ...resultOptions } = options;
  const catalog = engine.catalog(settings);
  checkSettingsAgainstCatalog(settings, catalog, settingsOrigin);
  const ruleIds = selectRules(catalog, selection?.only ?? [], selection?.skip ?? []);
  const evaluated = postures.map((posture) => {
    const problems = postureProblems(posture);
    // Adapters and collectors must produce schema-valid documents: anything else is our bug.
    if (problems.length > 0) throw new Error(`the posture document of ${posture.source.path} does not match the schema: ${problems.slice(0, 3).join('; ')}`);
    return { posture, evaluation: engine.evaluate(posture, settings) };
  });
  return buildScanResult(evaluated, { ...resultOptions, catalog, ruleIds, waivers: settings.waivers });
}
