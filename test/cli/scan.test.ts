import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Writable } from 'stream';
import { reportPostures, writeInputNotes, type ReportOptions } from '../../src/cli/scan';
import type { BaselineReport } from '../../src/results/baseline';
import { ConfigError } from '../../src/errors';
import type { Report, ReportFinding } from '../../src/results/scan-result';
import { snapshotBundle, tlsPosture } from '../report/helpers';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

let dir: string;

function run(options: Partial<ReportOptions> = {}, postures = [tlsPosture()]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const exit = reportPostures(postures, {
    format: 'json',
    failOn: 'low',
    rules: ['CS-004'],
    bundle: snapshotBundle(),
    cwd: dir,
    now: new Date('2026-06-01T00:00:00Z'),
    stdout,
    stderr,
    ...options,
  });
  return exit.then((code) => ({ code, stdout: stdout.text, stderr: stderr.text }));
}

function writeSettings(text: string): string {
  const file = path.join(dir, '.sescheck.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('reportPostures (what plan, config and live share)', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-scan-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('exit codes', () => {
    it('is 1 with a failing finding at or above --fail-on, 0 below it or with none', async () => {
      assert.equal((await run({ failOn: 'low' })).code, 1);
      assert.equal((await run({ failOn: 'medium' })).code, 1);
      assert.equal((await run({ failOn: 'high' })).code, 0, 'CS-004 is medium');
      assert.equal((await run({ failOn: 'none' })).code, 0);
    });

    it('is 0 for a compliant input', async () => {
      const posture = tlsPosture();
      posture.configuration_sets = posture.configuration_sets.filter((set) => set.tls_policy === 'REQUIRE');
      const { code, stdout } = await run({}, [posture]);
      assert.equal(code, 0);
      assert.deepEqual(JSON.parse(stdout).summary, { rules: 1, passed: 1, fail: 0, unknown: 0, waived: 0 });
    });

    it('does not fail for unknown findings unless --fail-on-unknown', async () => {
      const posture = tlsPosture();
      posture.configuration_sets = posture.configuration_sets.filter((set) => set.name === 'computed');
      assert.equal((await run({}, [posture])).code, 0);
      assert.equal((await run({ failOnUnknown: true }, [posture])).code, 1);
    });

    it('is 0 when every failure is waived, and the report shows the waivers', async () => {
      writeSettings(
        'waivers:\n  - rule: CS-004\n    resource: "aws_sesv2_configuration_set.*"\n    reason: migrating to TLS-only in Q3\n    expires: "2026-09-30"\n',
      );
      const { code, stdout } = await run();
      assert.equal(code, 0);
      const report = JSON.parse(stdout);
      assert.equal(report.summary.waived, 2);
      assert.ok(report.findings.filter((f: { status: string }) => f.status === 'waived').every((f: { waiver?: object }) => f.waiver));
    });

    it('fails again once the waiver expired, and warns about it on stderr', async () => {
      writeSettings('waivers:\n  - rule: CS-004\n    resource: "*"\n    reason: migrating to TLS-only in Q3\n    expires: "2026-05-31"\n');
      const { code, stdout, stderr } = await run({ quiet: true });
      assert.equal(code, 1);
      assert.deepEqual(JSON.parse(stdout).expired_waivers, [{ rule: 'CS-004', resource: '*', reason: 'migrating to TLS-only in Q3', expires: '2026-05-31' }]);
      assert.match(stderr, /warning: the waiver for CS-004 \* expired on 2026-05-31 and no longer applies/);
    });
  });

  describe('settings and usage errors (exit 2)', () => {
    it('rejects a waiver for a rule id not in the catalog, naming the key', async () => {
      writeSettings('waivers:\n  - rule: CS-004\n    resource: a\n    reason: a good reason here\n    expires: "2026-09-30"\n  - rule: XX-999\n    resource: a\n    reason: a good reason here\n    expires: "2026-09-30"\n');
      await assert.rejects(run(), (error: unknown) => error instanceof ConfigError && /key waivers\[1\]\.rule: no rule XX-999/.test(error.message));
    });

    it('rejects a severity override for a rule id not in the catalog, naming the key', async () => {
      writeSettings('severities:\n  CS-999: low\n');
      await assert.rejects(run(), (error: unknown) => error instanceof ConfigError && /key severities\.CS-999: no rule CS-999 in the catalog/.test(error.message));
    });

    it('rejects a waiver without a reason of at least 10 characters', async () => {
      writeSettings('waivers:\n  - rule: CS-004\n    resource: a\n    reason: short\n    expires: "2026-09-30"\n');
      await assert.rejects(run(), /key waivers\[0\]\.reason/);
    });

    it('rejects --rule and --skip-rule ids not in the catalog, naming them', async () => {
      await assert.rejects(run({ rules: ['CT-999'] }), (error: unknown) => error instanceof ConfigError && /--rule CT-999: no such rule/.test(error.message));
      await assert.rejects(run({ rules: [], skipRules: ['nope'] }), /--skip-rule nope: no such rule/);
    });
  });

  describe('rule filters', () => {
    it('skipping the only failing rule gives exit 0 and an empty report', async () => {
      const { code, stdout } = await run({ rules: ['CS-004'], skipRules: ['CS-004'] });
      assert.equal(code, 0);
      assert.deepEqual(JSON.parse(stdout).findings, []);
    });
  });

  describe('--output', () => {
    it('writes the report atomically to the file, leaves no temporary file, and says so on stderr', async () => {
      fs.writeFileSync(path.join(dir, 'out.json'), 'old report');
      const { code, stdout, stderr } = await run({ output: 'out.json' });
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).version, 1);
      assert.deepEqual(fs.readdirSync(dir), ['out.json']);
      assert.match(stderr, /1 rule: 1 passed, 2 failed, 1 unknown, 0 waived \(json report written to out\.json\)/);
    });

    it('refuses to overwrite the input file, also through another spelling of its path', async () => {
      const input = path.join(dir, 'plan.json');
      fs.writeFileSync(input, '{"the":"plan"}');
      const posture = tlsPosture({ kind: 'plan', path: input });
      await assert.rejects(run({ output: './sub/../plan.json' }, [posture]), (error: unknown) => error instanceof ConfigError && /refusing to overwrite/.test(error.message));
      assert.equal(fs.readFileSync(input, 'utf8'), '{"the":"plan"}');
    });

    it('refuses to overwrite the settings file', async () => {
      writeSettings('severities: {}\n');
      await assert.rejects(run({ output: '.sescheck.yaml' }), /refusing to overwrite/);
    });

    it('reports a directory that does not exist as a user error', async () => {
      await assert.rejects(run({ output: 'missing/dir/out.json' }), /--output missing\/dir\/out\.json: the directory .*missing\/dir does not exist/);
    });
  });

  describe('stderr', () => {
    it('prints the summary for non-text formats, nothing with --quiet', async () => {
      assert.match((await run({ format: 'sarif' })).stderr, /^sescheck: 1 rule: 1 passed, 2 failed, 1 unknown, 0 waived\n$/);
      assert.equal((await run({ format: 'sarif', quiet: true })).stderr, '');
    });

    it('prints what the input adapter could not read as notes, one line each', () => {
      const posture = tlsPosture({ kind: 'config', path: 'cdktf.out', stack: 'prod' });
      posture.notes = [{ message: 'expression not evaluated: ${var.tls}', id: 'aws_sesv2_configuration_set.computed' }, { message: 'no provider region' }];
      const stderr = new Capture();
      writeInputNotes([posture], stderr);
      assert.equal(
        stderr.text,
        'sescheck: note: stack prod, aws_sesv2_configuration_set.computed: expression not evaluated: ${var.tls}\nsescheck: note: stack prod: no provider region\n',
      );
    });

    it('leaves stderr alone for the text report on stdout, which ends with the summary', async () => {
      const { stdout, stderr } = await run({ format: 'text' });
      assert.equal(stderr, '');
      assert.match(stdout, /1 rule: 1 passed, 2 failed, 1 unknown, 0 waived\n$/);
      assert.ok(!stdout.includes('\u001b['), 'no colour when stdout is not a TTY');
    });
  });

  describe('--baseline', () => {
    /** The previous run: `optional` failed as now, `computed` failed (now unknown: a new finding, the fail resolved), `old` failed and is gone. */
    async function previousReport(): Promise<Report> {
      const report = JSON.parse((await run()).stdout) as Report;
      const [optional, computed] = ['optional', 'computed'].map((name) => report.findings.find((f) => f.resource === `aws_sesv2_configuration_set.${name}`) as ReportFinding);
      const old = { ...optional, resource: 'aws_sesv2_configuration_set.old', message: 'configuration set old has TLS policy OPTIONAL' };
      return { ...report, findings: [{ ...optional, message: 'reworded' }, { ...computed, status: 'fail' }, old] };
    }

    it('marks each finding of the JSON report and lists the resolved ones', async () => {
      const previous = await previousReport();
      const { code, stdout } = await run({ baseline: { file: 'prev.json', report: previous } });
      assert.equal(code, 1);
      const report = JSON.parse(stdout) as BaselineReport;
      assert.deepEqual(
        report.findings.map((f) => [f.resource.split('.')[1], f.status, f.baseline]),
        [['computed', 'unknown', 'new'], ['optional', 'fail', 'unchanged'], ['unset', 'fail', 'new']],
      );
      assert.deepEqual({ ...report.baseline, resolved: report.baseline.resolved.map((f) => f.resource) }, { file: 'prev.json', new: 2, unchanged: 1, resolved: ['aws_sesv2_configuration_set.computed', 'aws_sesv2_configuration_set.old'] });
      assert.equal(Object.keys(report).at(-1), 'baseline', 'the comparison follows the report it marks');
      assert.ok(report.findings.every((f) => Object.keys(f).at(-1) === 'baseline'));
      assert.deepEqual(report.summary, { rules: 1, passed: 1, fail: 2, unknown: 1, waived: 0 }, 'the summary is of this scan');
    });

    it('with failOnNew, exits 1 only for new failing findings at or above --fail-on', async () => {
      const previous = await previousReport();
      assert.equal((await run({ baseline: { file: 'prev.json', report: previous }, failOnNew: true })).code, 1, '`unset` is a new fail');
      const unsetToo = (JSON.parse((await run()).stdout) as Report).findings.find((f) => f.resource.endsWith('.unset')) as ReportFinding;
      const knownFails = { file: 'prev.json', report: { ...previous, findings: [...previous.findings, unsetToo] } };
      assert.equal((await run({ baseline: knownFails, failOnNew: true })).code, 0, 'only the unknown `computed` is new');
      assert.equal((await run({ baseline: knownFails, failOnNew: true, failOnUnknown: true })).code, 1);
      assert.equal((await run({ baseline: knownFails })).code, 1, 'without failOnNew every failing finding counts');
    });

    it('shows the marks, the resolved findings and the comparison in the text report', async () => {
      const { stdout, stderr } = await run({ format: 'text', baseline: { file: 'prev.json', report: await previousReport() } });
      assert.equal(stderr, '', 'the text report on stdout already holds the comparison');
      assert.match(stdout, /FAIL {5}aws_sesv2_configuration_set\.optional \(eu-west-1\) \[unchanged\]\n/);
      assert.match(stdout, /FAIL {5}aws_sesv2_configuration_set\.unset \(eu-west-1\) \[new\]\n/);
      assert.match(stdout, /UNKNOWN {2}aws_sesv2_configuration_set\.computed \(eu-west-1\) \[new\]\n/);
      assert.match(stdout, /Resolved since the baseline \(gone from this scan\):\n {2}CS-004 fail aws_sesv2_configuration_set\.computed\n {2}CS-004 fail aws_sesv2_configuration_set\.old\n/);
      assert.match(stdout, /against baseline prev\.json: 2 new, 1 unchanged, 2 resolved\n1 rule: 1 passed, 2 failed, 1 unknown, 0 waived\n$/);
    });

    it('sets SARIF baselineState and prints the comparison on stderr for the other formats', async () => {
      const { stdout, stderr } = await run({ format: 'sarif', baseline: { file: 'prev.json', report: await previousReport() } });
      const results = JSON.parse(stdout).runs[0].results as { locations: { logicalLocations: { fullyQualifiedName: string }[] }[]; baselineState: string }[];
      assert.deepEqual(
        Object.fromEntries(results.map((r) => [r.locations[0].logicalLocations[0].fullyQualifiedName.split('.')[1], r.baselineState])),
        { computed: 'new', optional: 'unchanged', unset: 'new' },
      );
      assert.equal(
        stderr,
        'sescheck: 1 rule: 1 passed, 2 failed, 1 unknown, 0 waived\n' +
          'sescheck: against baseline prev.json: 2 new, 1 unchanged, 2 resolved\n' +
          '  new       CS-004 unknown aws_sesv2_configuration_set.computed\n' +
          '  new       CS-004 fail aws_sesv2_configuration_set.unset\n' +
          '  resolved  CS-004 fail aws_sesv2_configuration_set.computed\n' +
          '  resolved  CS-004 fail aws_sesv2_configuration_set.old\n',
      );
      assert.equal((await run({ format: 'sarif', quiet: true, baseline: { file: 'prev.json', report: await previousReport() } })).stderr, '');
    });

    it('refuses an --output that would overwrite the baseline', async () => {
      fs.writeFileSync(path.join(dir, 'prev.json'), '{}');
      await assert.rejects(run({ output: 'prev.json', baseline: { file: 'prev.json', report: await previousReport() } }), /refusing to overwrite/);
      assert.equal(fs.readFileSync(path.join(dir, 'prev.json'), 'utf8'), '{}');
    });
  });

  describe('colour', () => {
    const noColor = process.env.NO_COLOR;
    afterEach(() => {
      if (noColor === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = noColor;
    });

    async function textOn(tty: boolean): Promise<string> {
      const stdout = new Capture();
      stdout.isTTY = tty;
      await reportPostures([tlsPosture()], { format: 'text', failOn: 'low', rules: ['CS-004'], bundle: snapshotBundle(), cwd: dir, stdout, stderr: new Capture() });
      return stdout.text;
    }

    it('colours the text report on a terminal, unless NO_COLOR is set', async () => {
      delete process.env.NO_COLOR;
      assert.ok((await textOn(true)).includes('\u001b['));
      assert.ok(!(await textOn(false)).includes('\u001b['));
      process.env.NO_COLOR = '1';
      assert.ok(!(await textOn(true)).includes('\u001b['));
    });
  });

  it('treats a posture document that breaks the schema as a bug, not a user error', async () => {
    const posture = tlsPosture() as unknown as Record<string, unknown>;
    delete posture.trails;
    await assert.rejects(run({}, [posture as never]), (error: unknown) => error instanceof Error && !(error instanceof ConfigError) && /does not match the schema/.test(error.message));
  });
});
