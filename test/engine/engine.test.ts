import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DEFAULT_WASM, readPolicyBundle } from '../../src/engine/bundle';
import { loadPolicySync, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { checkedTargets, evaluateJson, memoryPagesFor, PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { emptyPosture, type ConfigurationSet } from '../../src/posture/types';
import { readPlanFile } from '../../src/inputs/plan';
import { writeScaledPlan } from '../../bench/scale-plan';

function configurationSet(tls: ConfigurationSet['tls_policy']): ConfigurationSet {
  return {
    id: 'aws_sesv2_configuration_set.main',
    account: null,
    region: 'eu-west-1',
    location: null,
    unknown: {},
    name: 'main',
    api: 'v2',
    tls_policy: tls,
    event_destinations: [],
  };
}

describe('policy engine (wasm)', () => {
  let engine: PolicyEngine;
  before(async () => {
    engine = await PolicyEngine.load();
  });

  it('reads the catalog from the METADATA annotations in the bundle', () => {
    const rules = engine.catalog(defaultSettings());
    const tls = rules.find((rule) => rule.id === 'CS-004');
    assert.ok(tls, 'CS-004 is in the catalog');
    assert.equal(tls.severity, 'medium');
    assert.equal(tls.title, 'Configuration set requires TLS');
    assert.ok(tls.links.every((link) => link.startsWith('https://docs.aws.amazon.com/')));
    assert.deepEqual(rules.map((r) => r.id), [...rules.map((r) => r.id)].sort());
  });

  it('applies severity overrides from settings to the catalog and to findings', () => {
    const settings = { ...defaultSettings(), severities: { 'CS-004': 'low' as const } };
    assert.equal(engine.catalog(settings).find((r) => r.id === 'CS-004')?.severity, 'low');
    const posture = { ...emptyPosture({ kind: 'plan', path: 'plan.json' }), configuration_sets: [configurationSet('OPTIONAL')] };
    const finding = engine.evaluate(posture, settings).findings.find((f) => f.rule_id === 'CS-004');
    assert.equal(finding?.severity, 'low');
  });

  it('gives the catalog recorded at build time as the wasm evaluates it, severity overrides included', () => {
    assert.ok(readPolicyBundle().catalog, 'build/manifest.json records the catalog (scripts/policy-manifest.js)');
    // The same wasm under another name is a --bundle: its catalog is evaluated, not read from the manifest.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-catalog-'));
    try {
      const copy = path.join(dir, 'policy.wasm');
      fs.copyFileSync(DEFAULT_WASM, copy);
      assert.equal(readPolicyBundle(copy).catalog, undefined);
      const evaluated = PolicyEngine.loadSync(copy);
      const overrides = { 'CS-004': 'critical' as const, 'CT-001': 'info' as const, 'NO-SUCH-RULE': 'low' as const };
      for (const severities of [{}, overrides]) {
        const settings = { ...defaultSettings(), severities };
        assert.deepEqual(engine.catalog(settings), evaluated.catalog(settings));
        assert.equal(JSON.stringify(engine.catalog(settings)), JSON.stringify(evaluated.catalog(settings)), 'the same keys in the same order');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('evaluates a posture document: a failing configuration set gives a CS-004 finding', () => {
    const posture = { ...emptyPosture({ kind: 'plan', path: 'plan.json' }), configuration_sets: [configurationSet('OPTIONAL')] };
    const result = engine.evaluate(posture, defaultSettings());
    const tls = result.findings.filter((f) => f.rule_id === 'CS-004');
    assert.equal(tls.length, 1);
    assert.equal(tls[0].status, 'fail');
    assert.equal(tls[0].resource, 'aws_sesv2_configuration_set.main');
    assert.ok(result.checked.some((c) => c.rule_id === 'CS-004' && c.resource === 'aws_sesv2_configuration_set.main'));
  });

  it('passes a configuration set that requires TLS, and still counts it as checked', () => {
    const posture = { ...emptyPosture({ kind: 'plan', path: 'plan.json' }), configuration_sets: [configurationSet('REQUIRE')] };
    const result = engine.evaluate(posture, defaultSettings());
    assert.equal(result.findings.filter((f) => f.rule_id === 'CS-004').length, 0);
    assert.equal(result.checked.filter((c) => c.rule_id === 'CS-004').length, 1);
  });

  it('gives each checked target the id of the rule whose targets main.rego lists it under', () => {
    const target = { resource: 'aws_sesv2_configuration_set.main', region: 'eu-west-1', account: null, location: { file: 'main.tf.json', line: 3 } };
    assert.deepEqual(checkedTargets([{ rule_id: 'CS-004', targets: [target] }, { rule_id: 'CS-001', targets: [] }]), [{ rule_id: 'CS-004', ...target }]);
  });

  it("reads a rule's checked targets as main.rego read them before grouping: an object's values too, and only objects", () => {
    const target = { resource: 'aws_sesv2_configuration_set.main', region: 'eu-west-1', account: null, location: null };
    // A partial object rule (`checked[cs.id] := result.target(cs)`) gives its targets as an object's values.
    assert.deepEqual(checkedTargets([{ rule_id: 'ORG-001', targets: { 'aws_sesv2_configuration_set.main': target } as never }]), [{ rule_id: 'ORG-001', ...target }]);
    // Values that are not targets (object.union left them undefined) are not passes, and null does not crash the run.
    assert.deepEqual(checkedTargets([{ rule_id: 'ORG-002', targets: [null, 'oops', 3, [target], target] as never }]), [{ rule_id: 'ORG-002', ...target }]);
    assert.deepEqual(checkedTargets([{ rule_id: 'ORG-003', targets: true as never }, null as never]), []);
  });

  it('reads the checked targets of a bundle built from older policies, which list each with its rule id', () => {
    const target = { rule_id: 'CS-004', resource: 'aws_sesv2_configuration_set.main', region: 'eu-west-1', account: null, location: null };
    assert.deepEqual(checkedTargets([target]), [target]);
  });
});

describe('policy engine memory', () => {
  it('starts an instance with memory for what evaluating the input allocates (OPA slows sharply past its initial heap)', () => {
    assert.equal(memoryPagesFor(0), 512, '32 MiB for a small input: a larger memory sets off a garbage collection at start-up');
    assert.equal(memoryPagesFor(30_000), 512, 'a plan of a few dozen resources');
    assert.equal(memoryPagesFor(158_000), 512, 'the 1k bench plan');
    assert.equal(memoryPagesFor(240_000), 8192, '512 MiB for anything larger');
    // 30k identities: a 13.7 MB posture allocates about 570 MB while evaluated.
    assert.ok(memoryPagesFor(13_722_885) * 65_536 > 570_000_000);
    assert.equal(memoryPagesFor(10 * 1024 ** 3), 65_535, 'never past what a wasm32 memory holds');
  });

  it('evaluates a 1k-resource plan in the instance made at load, within its memory', async function () {
    this.timeout(60000);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-memory-'));
    try {
      const file = path.join(directory, 'plan.json');
      writeScaledPlan(file, { instances: 1000 });
      const posture = await readPlanFile(file);
      const bytes = Buffer.byteLength(JSON.stringify(posture));
      assert.ok(bytes > 100_000 && memoryPagesFor(bytes) === 512, `a posture of ${bytes} bytes`);
      const engine = PolicyEngine.loadSync();
      const atLoad = (engine as unknown as { policy: LoadedPolicy }).policy;
      engine.evaluate(posture, defaultSettings());
      const used = (engine as unknown as { policy: LoadedPolicy & { mem: WebAssembly.Memory } }).policy;
      assert.equal(used, atLoad, 'no second instance');
      assert.equal(used.mem.buffer.byteLength, 512 * 65_536, 'the memory did not grow');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('evaluates a posture larger than the first instance holds, in a larger instance, with the same verdicts', () => {
    const engine = PolicyEngine.loadSync();
    const settings = defaultSettings();
    const one = { ...emptyPosture({ kind: 'plan', path: 'one.json' }) };
    const small = engine.evaluate(one, settings);
    // Padding the notes makes the input large enough to need more than 512 MiB (the first instance has 32 MiB).
    const padded = { ...one, notes: Array.from({ length: 6000 }, (_, i) => ({ id: `n${i}`, message: 'x'.repeat(1000), location: null })) };
    const large = engine.evaluate(padded, settings);
    assert.deepEqual(large.findings, small.findings);
    assert.deepEqual(large.checked, small.checked);
  });
});

describe('policy engine input and result', () => {
  const { wasm } = readPolicyBundle();
  const posture = {
    ...emptyPosture({ kind: 'plan', path: 'plan.json' }),
    // Names outside ASCII: the input's length in bytes is not its length in characters.
    configuration_sets: [{ ...configurationSet('OPTIONAL'), id: 'aws_sesv2_configuration_set.café', name: 'café-☕-𝄞' }],
  };
  const json = JSON.stringify(posture);

  it('gives the result opa-wasm gives, with the input written straight into the instance memory', () => {
    const fast = loadPolicySync(wasm, { initial: 512 }, {});
    const plain = loadPolicySync(wasm, { initial: 512 }, {});
    for (const policy of [fast, plain]) policy.setData({ settings: defaultSettings() });
    const result = evaluateJson(fast, json, Buffer.byteLength(json), 'sescheck/main/report');
    assert.deepEqual(result, plain.evaluate(new TextEncoder().encode(json).buffer, 'sescheck/main/report'));
    const findings = (result[0].result as { findings: { resource: string; message: string }[] }).findings;
    assert.ok(findings.some((finding) => finding.resource === 'aws_sesv2_configuration_set.café' && finding.message.includes('café-☕-𝄞')));
  });

  it("takes opa-wasm's own path when the policy does not hold the fields it uses", () => {
    const policy = loadPolicySync(wasm, { initial: 512 }, {});
    policy.setData({ settings: defaultSettings() });
    const withoutFields = { evaluate: policy.evaluate.bind(policy) } as unknown as LoadedPolicy;
    assert.deepEqual(evaluateJson(withoutFields, json, Buffer.byteLength(json), 'sescheck/main/report'), evaluateJson(policy, json, Buffer.byteLength(json), 'sescheck/main/report'));
  });
});
