import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/engine/bundle';
import { PolicyEngine } from '../../src/engine/evaluate';
import type { Finding } from '../../src/engine/findings';
import { defaultSettings } from '../../src/engine/settings';
import { readPlanFile } from '../../src/inputs/plan';

// The wasm build supports fewer builtins than OPA itself (no regex.replace, a narrower sprintf):
// every rule must give the same answer in both, or the CLI would crash or differ from `opa test`.
const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures', 'inputs');
const plans = fs.readdirSync(fixtures).filter((name) => /^(plan|state).*\.json$/.test(name));

function key(finding: Pick<Finding, 'rule_id' | 'resource' | 'status' | 'severity' | 'message'>): string {
  return [finding.rule_id, finding.resource, finding.status, finding.severity, finding.message].join(' | ');
}

describe('wasm bundle and OPA agree', () => {
  let engine: PolicyEngine;
  before(async () => {
    engine = await PolicyEngine.load();
  });

  it('has plan fixtures to compare', () => assert.ok(plans.length >= 3, plans.join(', ')));

  for (const name of plans) {
    it(`gives the same findings for ${name}`, async () => {
      const posture = await readPlanFile(path.join(fixtures, name));
      const fromWasm = engine.evaluate(posture, defaultSettings()).findings.map(key).sort();
      const output = execFileSync(
        path.join(PROJECT_ROOT, '.tools', 'bin', 'opa'),
        ['eval', '--format', 'json', '-d', path.join(PROJECT_ROOT, 'policies'), '-I', 'data.sescheck.main.report'],
        { input: JSON.stringify(posture), maxBuffer: 64 * 1024 * 1024 },
      ).toString();
      const report = JSON.parse(output).result[0].expressions[0].value as { findings: Finding[] };
      assert.deepEqual(fromWasm, report.findings.map(key).sort());
    });

    it(`gives at most one finding per rule and resource for ${name} (baselines and SARIF fingerprints key on them)`, async () => {
      const posture = await readPlanFile(path.join(fixtures, name));
      const keys = engine.evaluate(posture, defaultSettings()).findings.map((finding) => `${finding.rule_id} ${finding.resource}`);
      assert.deepEqual(keys.filter((item, index) => keys.indexOf(item) !== index), []);
    });
  }
});
