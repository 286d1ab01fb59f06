import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DEFAULT_WASM, readPolicyWasm } from '../../src/engine/bundle';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings, type Settings } from '../../src/engine/settings';
import { emptyPosture, type ConfigurationSet, type Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';
import type { Baseline } from '../../src/results/baseline';
import { buildScanResult } from '../../src/results/build';
import type { ScanResult, Threshold } from '../../src/results/scan-result';

/** A v2 configuration set as the plan adapter would produce it. */
export function configurationSet(name: string, tls: ConfigurationSet['tls_policy'], extra: Partial<ConfigurationSet> = {}): ConfigurationSet {
  return {
    id: `aws_sesv2_configuration_set.${name}`,
    account: null,
    region: 'eu-west-1',
    location: null,
    unknown: {},
    name,
    api: 'v2',
    tls_policy: tls,
    event_destinations: [],
    ...extra,
  };
}

/**
 * A posture with four configuration sets, judged by CS-004 (the TLS rule, present in every build):
 * `optional` fails, `unset` fails (and has a file and line), `computed` is unknown, `secure` passes.
 */
export function tlsPosture(source: Posture['source'] = { kind: 'plan', path: 'plan.json' }): Posture {
  const posture: Posture = {
    ...emptyPosture(source),
    configuration_sets: [
      configurationSet('optional', 'OPTIONAL'),
      configurationSet('unset', null, { location: { file: 'ses.tf', line: 12 } }),
      configurationSet('computed', null, { unknown: { tls_policy: 'known only after apply' } }),
      configurationSet('secure', 'REQUIRE'),
    ],
  };
  assert.deepEqual(postureProblems(posture), [], 'the test posture matches the schema');
  return posture;
}

let bundle: string | undefined;

/**
 * A copy of build/policy.wasm taken once per test run, passed as an explicit bundle: the tests
 * then see one set of rules even while policies/ is being edited (setup builds it fresh in CI).
 */
export function snapshotBundle(): string {
  if (bundle === undefined) {
    // readPolicyWasm checks that the default bundle was built from the policies now on disk.
    const wasm = readPolicyWasm(DEFAULT_WASM);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-bundle-'));
    process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
    bundle = path.join(folder, 'policy.wasm');
    fs.writeFileSync(bundle, wasm);
  }
  return bundle;
}

let engine: PolicyEngine | undefined;

export async function loadEngine(): Promise<PolicyEngine> {
  engine ??= await PolicyEngine.load(snapshotBundle());
  return engine;
}

/** Evaluates postures with the real wasm bundle and builds the scan result (the results stage), as the CLI does. */
export async function scan(
  postures: Posture[],
  options: { rules?: string[]; settings?: Settings; now?: Date; input?: ScanResult['report']['input']; baseline?: Baseline; threshold?: Threshold; perAccount?: boolean } = {},
): Promise<ScanResult> {
  const policy = await loadEngine();
  const settings = options.settings ?? defaultSettings();
  const catalog = policy.catalog(settings);
  return buildScanResult(
    postures.map((posture) => ({ posture, evaluation: policy.evaluate(posture, settings) })),
    {
      input: options.input ?? { kind: postures[0].source.kind, path: postures[0].source.path },
      toolVersion: '0.0.0-test',
      catalog,
      ruleIds: new Set(options.rules ?? catalog.map((rule) => rule.id)),
      waivers: settings.waivers,
      now: options.now ?? new Date('2026-06-01T12:00:00Z'),
      baseline: options.baseline,
      threshold: options.threshold,
      perAccount: options.perAccount,
    },
  );
}
