import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/engine/bundle';
import { PolicyEngine } from '../src/engine/evaluate';
import { defaultSettings, loadSettings } from '../src/engine/settings';
import { emptyPosture, type ConfigurationSet } from '../src/posture/types';

const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

function rulesTable(rules: { id: string; severity: string; title: string }[]): string {
  return ['| id | severity | title |', '| --- | --- | --- |', ...rules.map((r) => `| ${r.id} | ${r.severity} | ${r.title} |`)].join('\n');
}

/** The custom rule the README shows (my-rules/org/org_001.rego). */
function customRule(): string {
  const block = /1\. Write `my-rules\/org\/org_001\.rego`:\n\n {3}```rego\n([\s\S]*?)\n {3}```/.exec(readme);
  assert.ok(block, 'README shows the custom rule');
  return block[1].replace(/^ {3}/gm, '');
}

/** A temporary folder with the rule as my-rules/org/org_001.rego. */
function writeCustomRule(rego: string): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-custom-rule-'));
  fs.mkdirSync(path.join(work, 'my-rules', 'org'), { recursive: true });
  fs.writeFileSync(path.join(work, 'my-rules', 'org', 'org_001.rego'), `${rego}\n`);
  return work;
}

/** build-policies.sh with the work folder's rules, as the README's custom-rule steps run it. */
const buildCommand = (work: string): string[] => [path.join(PROJECT_ROOT, 'scripts', 'build-policies.sh'), path.join(work, 'my-rules')];

describe('README', () => {
  it('lists exactly the rules of the built catalog, with their severities and titles', async () => {
    const engine = await PolicyEngine.load();
    const expected = rulesTable(engine.catalog(defaultSettings()));
    const match = /<!-- rules-table[^>]*-->\n([\s\S]*?)\n<!-- \/rules-table -->/.exec(readme);
    assert.ok(match, 'README has the rules-table markers');
    assert.equal(match[1], expected, `README rule table is out of date; it should read:\n${expected}`);
  });

  it('settings example is a valid settings file, read as written (unquoted dates included)', () => {
    const block = /## Settings\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, 'README shows a settings file');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-readme-settings-'));
    try {
      const file = path.join(work, '.sescheck.yaml');
      fs.writeFileSync(file, block[1]);
      const settings = loadSettings(file);
      assert.deepEqual(settings.cloudtrail.regions, ['eu-west-1', 'us-west-2']);
      assert.equal(settings.retention.min_days, 90);
      assert.equal(settings.waivers[0].expires, '2027-03-31');
      assert.equal(settings.cloudtrail.external_trails[0].advanced_event_selectors?.[0].field_selectors.length, 2);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('custom rule example builds into a bundle and is evaluated like the built-in rules', async function () {
    this.timeout(120000);
    const work = writeCustomRule(customRule());
    try {
      const buildDir = path.join(work, 'build');
      execFileSync('bash', buildCommand(work), { env: { ...process.env, SESCHECK_BUILD_DIR: buildDir }, stdio: 'pipe' });
      const engine = await PolicyEngine.load(path.join(buildDir, 'policy.wasm'));
      const settings = defaultSettings();
      assert.ok(engine.catalog(settings).some((rule) => rule.id === 'ORG-001' && rule.severity === 'low'));

      const set = (name: string | null, unknown: Record<string, string> = {}): ConfigurationSet => ({
        id: `aws_sesv2_configuration_set.${name ?? 'computed'}`,
        account: null,
        region: 'eu-west-1',
        location: null,
        unknown,
        name,
        api: 'v2',
        tls_policy: 'REQUIRE',
        event_destinations: [],
      });
      const posture = {
        ...emptyPosture({ kind: 'plan', path: 'plan.json' }),
        configuration_sets: [set('team-mail'), set('marketing'), set(null, { name: 'known only after apply' })],
      };
      const evaluation = engine.evaluate(posture, settings);
      const findings = evaluation.findings.filter((f) => f.rule_id === 'ORG-001');
      // Every set the rule judged is checked under its id: team-mail, without a finding, passes.
      assert.deepEqual(
        evaluation.checked.filter((target) => target.rule_id === 'ORG-001').map((target) => target.resource).sort(),
        ['aws_sesv2_configuration_set.computed', 'aws_sesv2_configuration_set.marketing', 'aws_sesv2_configuration_set.team-mail'],
      );
      assert.deepEqual(
        findings.map((f) => [f.resource, f.status]).sort(),
        [
          ['aws_sesv2_configuration_set.computed', 'unknown'],
          ['aws_sesv2_configuration_set.marketing', 'fail'],
        ],
      );
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('a custom rule that takes a built-in rule id is refused when the bundle is built, with one line naming the id', function () {
    this.timeout(120000);
    const rego = customRule().replace(/ORG-001/g, 'CT-001');
    assert.match(rego, /id: CT-001/, 'the rule now declares a built-in id');
    const work = writeCustomRule(rego);
    try {
      const buildDir = path.join(work, 'build');
      const run = spawnSync('bash', buildCommand(work), { env: { ...process.env, SESCHECK_BUILD_DIR: buildDir }, encoding: 'utf8' });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /^build-policies: rule id CT-001 is declared by more than one rule package \(groups (cloudtrail, org|org, cloudtrail)\): give each rule its own id$/m);
      assert.ok(!fs.existsSync(path.join(buildDir, 'policy.wasm')), 'no bundle is left to be used');
      assert.ok(!fs.existsSync(path.join(buildDir, 'manifest.json')));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
