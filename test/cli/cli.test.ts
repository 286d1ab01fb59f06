import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PROJECT_ROOT } from '../../src/engine/bundle';
import type { Report } from '../../src/results/scan-result';
import { snapshotBundle } from '../report/helpers';

/**
 * End to end: the built CLI (bin/sescheck → dist/) in a real process, on the bundled examples
 * (real `terraform show -json` plans and their .tf sources). Needs `npm run build` first.
 */
const BIN = path.join(PROJECT_ROOT, 'bin', 'sescheck');
const SECURE_PLAN = 'examples/secure/plan.json';
const INSECURE_PLAN = 'examples/insecure/plan.json';

function sescheck(args: string[], options: { input?: string; cwd?: string } = {}) {
  const env = { ...process.env };
  delete env.NO_COLOR;
  // --bundle (hidden): the snapshot of build/policy.wasm, so every run sees the same rules.
  const run = spawnSync(process.execPath, [BIN, ...args, '--bundle', snapshotBundle()], { cwd: options.cwd ?? PROJECT_ROOT, input: options.input, encoding: 'utf8', env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function json(stdout: string): Report {
  return JSON.parse(stdout) as Report;
}

let dir: string;

describe('sescheck CLI (end to end)', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('plan', () => {
    it('passes the secure example: exit 0, no findings', () => {
      const { code, stdout, stderr } = sescheck(['plan', SECURE_PLAN]);
      assert.equal(stderr, '');
      assert.equal(code, 0);
      assert.match(stdout, /^No findings\.$/m);
      assert.match(stdout, /\d+ rules: \d+ passed, 0 failed, 0 unknown, 0 waived\n$/);
    });

    it('catches what the insecure example gets wrong: exit 1, the findings named by rule', () => {
      const { code, stdout } = sescheck(['plan', INSECURE_PLAN, '--format', 'json']);
      assert.equal(code, 1);
      const report = json(stdout);
      assert.deepEqual(report.input, { kind: 'plan', path: INSECURE_PLAN });
      const failing = (rule: string) => report.findings.filter((f) => f.rule_id === rule && f.status === 'fail').map((f) => f.resource).sort();
      assert.deepEqual(failing('ID-001'), ['aws_ses_domain_identity.legacy', 'aws_sesv2_email_identity.marketing']);
      assert.deepEqual(failing('CS-002'), ['aws_sesv2_configuration_set.main']);
      assert.deepEqual(failing('CS-004'), ['aws_sesv2_configuration_set.main']);
      assert.deepEqual(failing('CT-001'), ['aws://default/eu-west-1']);
      assert.match(report.findings.find((f) => f.rule_id === 'CT-001')?.message ?? '', /readOnly Equals \[("?)false\1\]/);
      assert.deepEqual(failing('RT-001'), ['aws_s3_bucket.ses_events', 'aws_s3_bucket.trail_logs']);
      assert.deepEqual(failing('RT-002'), ['aws_cloudwatch_log_group.firehose_errors']);
      assert.equal(report.summary.fail, report.findings.filter((f) => f.status === 'fail').length);
    });

    it('reads the plan from stdin with -', () => {
      const { code, stdout } = sescheck(['plan', '-', '--format', 'json', '--rule', 'CS-004'], { input: fs.readFileSync(path.join(PROJECT_ROOT, INSECURE_PLAN), 'utf8') });
      assert.equal(code, 1);
      assert.deepEqual(json(stdout).findings.map((f) => f.resource), ['aws_sesv2_configuration_set.main']);
    });

    it('narrows with --rule and --skip-rule (comma-separated or repeated), and --fail-on sets the threshold', () => {
      const only = json(sescheck(['plan', INSECURE_PLAN, '--format', 'json', '--rule', 'CS-004', '--rule', 'ID-001']).stdout);
      assert.deepEqual([...new Set(only.findings.map((f) => f.rule_id))].sort(), ['CS-004', 'ID-001']);
      assert.equal(only.summary.rules, 2);
      const skipped = json(sescheck(['plan', INSECURE_PLAN, '--format', 'json', '--skip-rule', 'CS-004,ID-001']).stdout);
      assert.ok(skipped.findings.every((f) => !['CS-004', 'ID-001'].includes(f.rule_id)));
      assert.ok(skipped.findings.length > 0);
      // CS-004 is medium: below --fail-on high.
      assert.equal(sescheck(['plan', INSECURE_PLAN, '--rule', 'CS-004', '--fail-on', 'high']).code, 0);
      assert.equal(sescheck(['plan', INSECURE_PLAN, '--rule', 'CS-004', '--fail-on', 'medium']).code, 1);
      assert.equal(sescheck(['plan', INSECURE_PLAN, '--fail-on', 'none']).code, 0);
    });

    it('waives failures named in the settings file and exits 0 when nothing else fails', () => {
      const settings = path.join(dir, 'settings.yaml');
      fs.writeFileSync(settings, 'waivers:\n  - rule: CS-004\n    resource: "aws_sesv2_configuration_set.*"\n    reason: partner relay without TLS until MAIL-142\n    expires: "2099-12-31"\n');
      const { code, stdout } = sescheck(['plan', INSECURE_PLAN, '--config', settings, '--rule', 'CS-004']);
      assert.equal(code, 0);
      assert.match(stdout, /WAIVED {3}aws_sesv2_configuration_set\.main/);
      assert.match(stdout, /waived until 2099-12-31: partner relay without TLS until MAIL-142/);
    });

    it('applies the example settings file (examples/sescheck.yaml): a waiver and a severity override', () => {
      const report = json(sescheck(['plan', INSECURE_PLAN, '--config', 'examples/sescheck.yaml', '--format', 'json']).stdout);
      const tls = report.findings.find((f) => f.rule_id === 'CS-004');
      assert.equal(tls?.status, 'waived');
      assert.match(tls?.waiver?.reason ?? '', /MAIL-142/);
      assert.ok(report.findings.filter((f) => f.rule_id === 'CT-006').every((f) => f.severity === 'low'));
      assert.equal(report.summary.waived, 1);
    });

    it('reads ./.sescheck.yaml from the working directory by default', () => {
      fs.copyFileSync(path.join(PROJECT_ROOT, INSECURE_PLAN), path.join(dir, 'plan.json'));
      fs.writeFileSync(path.join(dir, '.sescheck.yaml'), 'severities:\n  CS-004: info\n');
      const report = json(sescheck(['plan', 'plan.json', '--format', 'json', '--rule', 'CS-004'], { cwd: dir }).stdout);
      assert.equal(report.findings[0].severity, 'info');
    });
  });

  describe('config', () => {
    it('checks .tf files and points at file and line, in SARIF too', () => {
      const out = path.join(dir, 'results.sarif');
      const { code, stderr } = sescheck(['config', 'examples/insecure/main.tf', '--format', 'sarif', '--output', out, '--rule', 'ID-001']);
      assert.equal(code, 1);
      assert.match(stderr, /results\.sarif/);
      const log = JSON.parse(fs.readFileSync(out, 'utf8'));
      const marketing = log.runs[0].results.find((r: { properties: { resource: string } }) => r.properties.resource === 'aws_sesv2_email_identity.marketing');
      assert.equal(marketing.locations[0].physicalLocation.artifactLocation.uri, 'examples/insecure/main.tf');
      assert.equal(typeof marketing.locations[0].physicalLocation.region.startLine, 'number');
    });

    it('reads every stack of a cdktf.out into one report, naming each finding\'s stack', () => {
      // Two stacks as `cdktf synth` writes them: the dev one lets TLS be optional.
      for (const [stack, tls] of [['dev', 'OPTIONAL'], ['prod', 'REQUIRE']]) {
        const folder = path.join(dir, 'cdktf.out', 'stacks', stack);
        fs.mkdirSync(folder, { recursive: true });
        const synthesized = {
          '//': { metadata: { backend: 'local', stackName: stack, version: '0.21.0' }, outputs: {} },
          provider: { aws: [{ region: 'eu-west-1' }] },
          resource: {
            aws_sesv2_configuration_set: {
              mail_configuration_set_1A2B3C4D: {
                '//': { metadata: { path: `${stack}/mail/configuration-set`, uniqueId: 'mail_configuration_set_1A2B3C4D' } },
                configuration_set_name: `${stack}-mail`,
                delivery_options: { tls_policy: tls },
              },
            },
          },
          terraform: { backend: { local: { path: `terraform.${stack}.tfstate` } }, required_providers: { aws: { source: 'aws', version: '6.x' } } },
        };
        fs.writeFileSync(path.join(folder, 'cdk.tf.json'), JSON.stringify(synthesized, null, 2));
      }
      const { code, stdout } = sescheck(['config', 'cdktf.out', '--format', 'json', '--rule', 'CS-004'], { cwd: dir });
      assert.equal(code, 1);
      const report = json(stdout);
      assert.deepEqual(report.input, { kind: 'config', path: 'cdktf.out' });
      assert.deepEqual(report.findings.map((f) => [f.stack, f.resource, f.status]), [['dev', 'aws_sesv2_configuration_set.mail_configuration_set_1A2B3C4D', 'fail']]);
      assert.equal(report.summary.passed, 1, 'the prod stack passes');
    });

    it('passes the secure example', () => {
      assert.equal(sescheck(['config', 'examples/secure/main.tf', '--quiet']).code, 0);
    });
  });

  describe('output', () => {
    it('writes JUnit to --output and prints only the summary on stderr', () => {
      const out = path.join(dir, 'junit.xml');
      const { code, stdout, stderr } = sescheck(['plan', INSECURE_PLAN, '--format', 'junit', '--output', out]);
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(stderr, /^sescheck: \d+ rules: \d+ passed, \d+ failed, 0 unknown, 0 waived \(junit report written to .*junit\.xml\)\n$/);
      assert.match(fs.readFileSync(out, 'utf8'), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    });

    it('refuses to overwrite the input with --output (exit 2) and leaves it untouched', () => {
      const plan = path.join(dir, 'plan.json');
      fs.copyFileSync(path.join(PROJECT_ROOT, INSECURE_PLAN), plan);
      const before = fs.readFileSync(plan, 'utf8');
      const { code, stderr } = sescheck(['plan', 'plan.json', '--format', 'json', '--output', './plan.json'], { cwd: dir });
      assert.equal(code, 2);
      assert.match(stderr, /^sescheck: --output \.\/plan\.json is the input file plan\.json: refusing to overwrite it\n$/);
      assert.equal(fs.readFileSync(plan, 'utf8'), before);
    });
  });

  describe('errors: one line on stderr, exit 2', () => {
    const cases: [string, string[], RegExp][] = [
      ['a rule id not in the catalog', ['plan', SECURE_PLAN, '--rule', 'CT-999'], /--rule CT-999: no such rule in the catalog/],
      ['a skipped rule id not in the catalog', ['plan', SECURE_PLAN, '--skip-rule', 'ct-001'], /--skip-rule ct-001: no such rule/],
      ['an unknown format', ['plan', SECURE_PLAN, '--format', 'html'], /Invalid values:[\s\S]*format/],
      ['an unknown --fail-on level', ['plan', SECURE_PLAN, '--fail-on', 'severe'], /Invalid values:[\s\S]*fail-on/],
      ['a missing input file', ['plan', 'no-such-plan.json'], /no-such-plan\.json/],
      ['a missing settings file', ['plan', SECURE_PLAN, '--config', 'no-such-settings.yaml'], /cannot read settings file no-such-settings\.yaml/],
      ['no input at all', ['plan'], /Not enough non-option arguments/],
    ];
    for (const [what, args, message] of cases) {
      it(what, () => {
        const { code, stdout, stderr } = sescheck(args);
        assert.equal(code, 2, stderr);
        assert.match(stderr, message);
        assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
        assert.equal(stdout, '');
      });
    }

    it('input that is not JSON', () => {
      const { code, stderr } = sescheck(['plan', '-'], { input: 'not json' });
      assert.equal(code, 2);
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
    });

    it('a waiver for a rule id not in the catalog, naming the key', () => {
      const settings = path.join(dir, 'settings.yaml');
      fs.writeFileSync(settings, 'waivers:\n  - rule: XX-001\n    resource: "*"\n    reason: a reason that is long enough\n    expires: "2099-01-01"\n');
      const { code, stderr } = sescheck(['plan', SECURE_PLAN, '--config', settings]);
      assert.equal(code, 2);
      assert.match(stderr, /^sescheck: settings file .*settings\.yaml: key waivers\[0\]\.rule: no rule XX-001 in the catalog/);
    });

    it('an unknown settings key, naming it', () => {
      const settings = path.join(dir, 'settings.yaml');
      fs.writeFileSync(settings, 'waiver: []\n');
      const { code, stderr } = sescheck(['plan', SECURE_PLAN, '--config', settings]);
      assert.equal(code, 2);
      assert.match(stderr, /unknown key waiver/);
    });
  });
});
