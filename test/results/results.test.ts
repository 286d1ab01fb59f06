import assert from 'node:assert/strict';
import fs from 'fs';
import path from 'path';
import { defaultSettings, type Settings } from '../../src/engine/settings';
import { ConfigError } from '../../src/errors';
import { emptyPosture, type Posture } from '../../src/posture/types';
import { UnknownRuleError, selectRules } from '../../src/results/catalog';
import { scanPostures } from '../../src/results/scan';
import type { Report, Threshold } from '../../src/results/scan-result';
import { PROJECT_ROOT } from '../../src/project-root';
import { configurationSet, loadEngine, scan, tlsPosture } from '../report/helpers';

/** CS-004 is medium: `optional` and `unset` fail, `computed` is unknown, `secure` passes. */
const RULES = ['CS-004'];
const NOW = new Date('2026-06-01T12:00:00Z');

function threshold(partial: Partial<Threshold> = {}): Threshold {
  return { failOn: 'low', failOnUnknown: false, failOnNew: false, ...partial };
}

function waiving(...resources: string[]): Settings {
  return {
    ...defaultSettings(),
    waivers: resources.map((resource) => ({ rule: 'CS-004', resource, reason: 'legacy sender until Q3', expires: '2026-12-31' })),
  };
}

/** Only the configuration sets named, out of tlsPosture's four. */
function postureWith(...names: string[]): Posture {
  const posture = tlsPosture();
  posture.configuration_sets = posture.configuration_sets.filter((set) => set.name !== null && names.includes(set.name));
  return posture;
}

/** The previous run's JSON report, as --baseline reads it. */
async function previousRun(posture: Posture, settings?: Settings): Promise<{ file: string; report: Report }> {
  return { file: 'previous.json', report: (await scan([posture], { rules: RULES, settings, now: NOW })).report };
}

describe('results stage (ScanResult)', () => {
  describe('exit code', () => {
    it('is 1 for a failing finding at or above --fail-on, 0 below it and with none', async () => {
      for (const [failOn, code] of [['info', 1], ['low', 1], ['medium', 1], ['high', 0], ['critical', 0], ['none', 0]] as const) {
        const result = await scan([tlsPosture()], { rules: RULES, threshold: threshold({ failOn }) });
        assert.equal(result.exitCode, code, `--fail-on ${failOn}`);
      }
    });

    it('is 0 for unknown findings by default, 1 with --fail-on-unknown at the threshold', async () => {
      const onlyUnknown = postureWith('computed', 'secure');
      assert.equal((await scan([onlyUnknown], { rules: RULES })).exitCode, 0, 'the default threshold');
      assert.equal((await scan([onlyUnknown], { rules: RULES, threshold: threshold() })).exitCode, 0);
      assert.equal((await scan([onlyUnknown], { rules: RULES, threshold: threshold({ failOnUnknown: true }) })).exitCode, 1);
      assert.equal((await scan([onlyUnknown], { rules: RULES, threshold: threshold({ failOnUnknown: true, failOn: 'high' }) })).exitCode, 0, 'below the threshold');
      assert.equal((await scan([onlyUnknown], { rules: RULES, threshold: threshold({ failOnUnknown: true, failOn: 'none' }) })).exitCode, 0);
    });

    it('is 0 when every failure is waived, and still 1 for an unknown with --fail-on-unknown (unknowns are never waived)', async () => {
      const settings = waiving('aws_sesv2_configuration_set.*');
      const waived = await scan([tlsPosture()], { rules: RULES, settings });
      assert.deepEqual(waived.report.summary, { rules: 1, passed: 1, fail: 0, unknown: 1, waived: 2 });
      assert.equal(waived.exitCode, 0);
      assert.equal((await scan([tlsPosture()], { rules: RULES, settings, threshold: threshold({ failOnUnknown: true }) })).exitCode, 1);
    });

    it('is 1 again for a failure whose waiver expired, which the result lists', async () => {
      const settings = { ...waiving('aws_sesv2_configuration_set.optional'), waivers: [{ ...waiving('aws_sesv2_configuration_set.optional').waivers[0], expires: '2026-05-31' }] };
      const result = await scan([postureWith('optional')], { rules: RULES, settings, now: NOW });
      assert.equal(result.report.findings[0].status, 'fail');
      assert.equal(result.report.expired_waivers?.length, 1);
      assert.equal(result.exitCode, 1);
    });
  });

  describe('against a baseline', () => {
    it('marks findings new or unchanged, lists the resolved ones, and fails on all findings without --fail-on-new', async () => {
      const baseline = await previousRun(postureWith('optional', 'secure'));
      const result = await scan([tlsPosture()], { rules: RULES, baseline, now: NOW });
      assert.deepEqual(
        result.report.findings.map((f) => [f.resource.split('.').pop(), f.status, f.baseline]),
        [['computed', 'unknown', 'new'], ['optional', 'fail', 'unchanged'], ['unset', 'fail', 'new']],
      );
      assert.deepEqual(result.report.baseline, { file: 'previous.json', new: 2, unchanged: 1, resolved: [] });
      assert.equal(result.exitCode, 1);
    });

    it('with --fail-on-new: 0 when the only failures are unchanged, 1 for a new failure at the threshold', async () => {
      const unchanged = await scan([postureWith('optional')], { rules: RULES, baseline: await previousRun(postureWith('optional')), threshold: threshold({ failOnNew: true }) });
      assert.equal(unchanged.report.baseline?.unchanged, 1);
      assert.equal(unchanged.exitCode, 0, 'the failure was in the baseline');

      const baseline = await previousRun(postureWith('optional'));
      assert.equal((await scan([postureWith('optional', 'unset')], { rules: RULES, baseline, threshold: threshold({ failOnNew: true }) })).exitCode, 1, 'unset fails and is new');
      assert.equal((await scan([postureWith('optional', 'unset')], { rules: RULES, baseline, threshold: threshold({ failOnNew: true, failOn: 'high' }) })).exitCode, 0, 'new, but below --fail-on');
    });

    it('with --fail-on-new: a new unknown fails only with --fail-on-unknown', async () => {
      const baseline = await previousRun(postureWith('optional'));
      const now = [postureWith('optional', 'computed')];
      assert.equal((await scan(now, { rules: RULES, baseline, threshold: threshold({ failOnNew: true }) })).exitCode, 0);
      assert.equal((await scan(now, { rules: RULES, baseline, threshold: threshold({ failOnNew: true, failOnUnknown: true }) })).exitCode, 1);
    });

    it('a failure waived since the baseline is a new waived finding and a resolved fail: it never fails the run', async () => {
      const baseline = await previousRun(postureWith('optional'));
      const settings = waiving('aws_sesv2_configuration_set.optional');
      for (const failOnNew of [false, true]) {
        const result = await scan([postureWith('optional')], { rules: RULES, settings, baseline, threshold: threshold({ failOnNew }) });
        assert.deepEqual(result.report.findings.map((f) => [f.status, f.baseline]), [['waived', 'new']]);
        assert.deepEqual(result.report.baseline?.resolved.map((f) => [f.resource, f.status]), [['aws_sesv2_configuration_set.optional', 'fail']]);
        assert.equal(result.exitCode, 0);
      }
    });

    it('a waiver that expired since the baseline brings back a failure that is new, which fails with --fail-on-new', async () => {
      const settings = waiving('aws_sesv2_configuration_set.optional');
      const baseline = await previousRun(postureWith('optional'), settings);
      assert.equal(baseline.report.findings[0].status, 'waived');
      const expired = { ...settings, waivers: [{ ...settings.waivers[0], expires: '2026-05-31' }] };
      const result = await scan([postureWith('optional')], { rules: RULES, settings: expired, baseline, now: NOW, threshold: threshold({ failOnNew: true }) });
      assert.deepEqual(result.report.findings.map((f) => [f.status, f.baseline]), [['fail', 'new']]);
      assert.equal(result.exitCode, 1);
    });
  });

  describe('per-account summary', () => {
    function accountPosture(account: string, names: string[], notes: Posture['notes'] = []): Posture {
      const posture: Posture = {
        ...emptyPosture({ kind: 'live', path: `aws://${account}` }),
        configuration_sets: names.map((name) => configurationSet(name, name === 'secure' ? 'REQUIRE' : 'OPTIONAL', { id: `arn:aws:ses:eu-west-1:${account}:configuration-set/${name}`, account })),
        notes,
      };
      return posture;
    }

    it('counts each account\'s findings and failed calls, and names an account that could not be read', async () => {
      const postures = [
        accountPosture('111122223333', ['a', 'b', 'secure']),
        accountPosture('444455556666', [], [{ message: 'AccessDenied: cannot assume the role', api: 'GetCallerIdentity', service: 'sts' }]),
      ];
      const result = await scan(postures, { rules: RULES, input: { kind: 'live', path: 'aws://111122223333,444455556666' }, perAccount: true });
      assert.deepEqual(result.accounts, [
        { account: '111122223333', fail: 2, unknown: 0, waived: 0, faults: 0 },
        { account: '444455556666', fail: 0, unknown: 0, waived: 0, faults: 1, notScanned: 'AccessDenied: cannot assume the role' },
      ]);
      assert.equal((await scan(postures, { rules: RULES })).accounts, undefined, 'only when asked (a scan of several accounts)');
    });
  });

  describe('rule selection', () => {
    const catalog = ['CS-001', 'CS-004', 'CT-001'].map((id) => ({ id, group: 'ses', title: id, description: '', severity: 'high' as const, remediation: '', links: [] }));

    it('--rule keeps only the named rules; --skip-rule removes rules', () => {
      assert.deepEqual([...selectRules(catalog, ['CS-004'], [])], ['CS-004']);
      assert.deepEqual([...selectRules(catalog, [], ['CS-004'])], ['CS-001', 'CT-001']);
      assert.deepEqual([...selectRules(catalog, ['CS-004', 'CT-001'], ['CT-001'])], ['CS-004']);
    });

    it('refuses an id the catalog does not have, naming the option and the id', () => {
      assert.throws(() => selectRules(catalog, ['CT-999'], []), (error: unknown) => error instanceof UnknownRuleError && error instanceof ConfigError && error.ruleId === 'CT-999' && /^--rule CT-999: no such rule/.test(error.message));
      assert.throws(() => selectRules(catalog, [], ['ct-001']), { message: /^--skip-rule ct-001: no such rule/ });
    });

    it('scanPostures: settings checked against the catalog, rules selected, every posture evaluated', async () => {
      const engine = await loadEngine();
      const options = { settingsOrigin: 'test.yaml', input: { kind: 'plan' as const, path: 'plan.json' }, toolVersion: 'test', now: NOW };
      const result = scanPostures(engine, defaultSettings(), [tlsPosture()], { ...options, selection: { only: RULES, skip: [] } });
      assert.deepEqual(result.rules.map((rule) => rule.id), RULES);
      assert.equal(result.exitCode, 1);
      const skipped = scanPostures(engine, defaultSettings(), [tlsPosture()], { ...options, selection: { only: RULES, skip: RULES } });
      assert.deepEqual([skipped.report.findings, skipped.exitCode], [[], 0]);
      const typo = { ...defaultSettings(), severities: { 'CS-999': 'low' as const } };
      assert.throws(() => scanPostures(engine, typo, [tlsPosture()], options), { message: /^settings file test\.yaml: key severities\.CS-999: no rule CS-999/ });
      const broken = { ...tlsPosture(), trails: [{ id: 'no fields' }] } as unknown as Posture;
      assert.throws(() => scanPostures(engine, defaultSettings(), [broken], options), (error: unknown) => !(error instanceof ConfigError) && /does not match the schema/.test(String(error)));
    });
  });

  describe('rule group', () => {
    it('is the rule package\'s group, the folder under policies/rules/ that holds the rule', async () => {
      const catalog = (await loadEngine()).catalog(defaultSettings());
      assert.ok(catalog.length > 0);
      for (const rule of catalog) {
        const file = path.join(PROJECT_ROOT, 'policies', 'rules', rule.group, `${rule.id.toLowerCase().replace('-', '_')}.rego`);
        assert.ok(fs.existsSync(file), `${rule.id} is in ${path.relative(PROJECT_ROOT, file)}`);
      }
      assert.equal(catalog.find((rule) => rule.id === 'ID-001')?.group, 'identity');
      assert.equal(catalog.find((rule) => rule.id === 'CT-001')?.group, 'cloudtrail');
    });
  });
});
