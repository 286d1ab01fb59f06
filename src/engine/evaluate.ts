import { loadPolicySync, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import type { Posture } from '../posture/types';
import { SetupError } from '../errors';
import { DEFAULT_WASM, readPolicyWasm } from './bundle';
import { withExternalTrails } from './external-trails';
import type { Evaluation, RuleInfo } from './findings';
import type { Settings } from './settings';

/** 64 KiB wasm pages: 512 MiB. */
const INITIAL_MEMORY_PAGES = 8192;

/** The compiled rules, loaded once and evaluated in-process. */
export class PolicyEngine {
  private constructor(private readonly policy: LoadedPolicy) {}

  /** Loads build/policy.wasm (or the given bundle). */
  static load(wasmPath?: string): Promise<PolicyEngine> {
    return Promise.resolve(PolicyEngine.loadSync(wasmPath));
  }

  /** The same, for callers that cannot wait (a cdktf validation runs synchronously). */
  static loadSync(wasmPath?: string): PolicyEngine {
    // A large initial memory spares the many small grow steps a big posture would otherwise cost
    // (seconds at 50 MB); pages are only touched as they are used.
    const wasm = readPolicyWasm(wasmPath);
    let policy: LoadedPolicy;
    try {
      // Synchronous: the async loader's `instanceof Response` check loads Node's fetch (undici) for nothing.
      policy = loadPolicySync(wasm, { initial: INITIAL_MEMORY_PAGES }, {});
    } catch (error) {
      // Only a wrong file gets here (a compile or link error); the message says what the engine expected.
      throw new SetupError(`policy bundle ${wasmPath ?? DEFAULT_WASM} is not a policy wasm built by scripts/build-policies.sh (${(error as Error).message.replace(/^WebAssembly\.\w+\(\): /, '')})`);
    }
    return new PolicyEngine(policy);
  }

  /** Every rule's findings and checked targets for one posture document. */
  evaluate(posture: Posture, settings: Settings): Evaluation {
    this.policy.setData({ settings });
    const input = withExternalTrails(posture, settings.cloudtrail.external_trails);
    const result = this.only<Evaluation>(this.policy.evaluate(input, 'sescheck/main/report'));
    return {
      findings: result.findings,
      checked: result.checked,
      rules: result.rules,
    };
  }

  /** The rule catalog from the bundle's METADATA, with severities as the settings override them. */
  catalog(settings: Settings): RuleInfo[] {
    this.policy.setData({ settings });
    return this.only<RuleInfo[]>(this.policy.evaluate({}, 'sescheck/main/catalog'));
  }

  private only<T>(results: { result: unknown }[]): T {
    if (results.length !== 1) throw new Error(`policy returned ${results.length} results, expected 1`);
    return results[0].result as T;
  }
}
