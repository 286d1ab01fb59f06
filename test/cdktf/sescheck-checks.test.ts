import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { App, Aspects } from 'cdktf';
import { SescheckChecks } from '../../src/cdktf/sescheck-checks';
import { buildApp } from '../../stacks/app';
import { defaultStacksConfig } from '../../stacks/config';
import { SesEventPublishingStack } from '../../stacks/ses-event-publishing-stack';
import { DetachDefaultConfigurationSet } from '../stacks/broken-variants';

/** An app with the reference SES stack (default identities), the aspects given, synthesized into a temp dir. */
function synthSesStack(...aspects: (SescheckChecks | DetachDefaultConfigurationSet)[]): { synth: () => void; annotations: () => { level: string; message: string; path: string }[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-aspect-'));
  const app = new App({ outdir, stackTraces: false });
  const stack = new SesEventPublishingStack(app, 'ses', defaultStacksConfig({}).sesEventPublishing[0]);
  for (const aspect of aspects) Aspects.of(stack).add(aspect);
  return {
    synth: () => {
      try {
        app.synth();
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    },
    annotations: () =>
      stack.node.findAll().flatMap((node) =>
        node.node.metadata.filter((entry) => /^@cdktf\/(error|warn|info)$/.test(entry.type)).map((entry) => ({ level: entry.type, message: String(entry.data), path: node.node.path })),
      ),
  };
}

describe('SescheckChecks (checks at synth time)', () => {
  it('lets the reference stacks synthesize: no failing and no unknown finding', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-aspect-'));
    try {
      const app = buildApp(defaultStacksConfig({}), outdir);
      const checks = SescheckChecks.checkEveryStack(app);
      app.synth();
      assert.deepStrictEqual(checks.results.map((result) => result.stack).sort(), ['ses-event-publishing-eu-west-1', 'workmail-audit-logging-eu-west-1'], 'every stack was checked');
      const notPassing = checks.results.flatMap((result) => result.findings.map((f) => `${result.stack} ${f.rule_id} ${f.status} ${f.resource}`));
      assert.deepStrictEqual(notPassing, []);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('fails the synth of a broken stack with the rule id, on the construct at fault', () => {
    const app = synthSesStack(new DetachDefaultConfigurationSet(), new SescheckChecks());
    assert.throws(app.synth, (error: Error) => {
      assert.match(error.message, /\[ID-001\]/);
      assert.match(error.message, /\[ses\/ses-event-publishing\/[^\]]*identity[^\]]*\] \[ID-001\]/i, 'the annotation sits on the identity construct');
      return true;
    });
  });

  it('only annotates with failOn none: warnings, and the synth goes on', () => {
    const checks = new SescheckChecks({ failOn: 'none' });
    const app = synthSesStack(new DetachDefaultConfigurationSet(), checks);
    app.synth();
    assert.ok(app.annotations().some((a) => a.level === '@cdktf/warn' && a.message.startsWith('[ID-001]')));
    assert.ok(checks.results[0].findings.some((f) => f.rule_id === 'ID-001' && f.status === 'fail'));
  });

  it('applies the waivers of the settings file: the finding is waived, an info annotation says why', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-aspect-settings-'));
    const settingsFile = path.join(dir, 'sescheck.yaml');
    fs.writeFileSync(
      settingsFile,
      ['waivers:', '  - rule: ID-001', '  - resource: "*"'].join('\n').replace('  - resource', '    resource') + '\n    reason: mail from this identity always names its configuration set\n    expires: "2999-12-31"\n',
    );
    try {
      const checks = new SescheckChecks({ settingsFile });
      const app = synthSesStack(new DetachDefaultConfigurationSet(), checks);
      app.synth();
      assert.ok(app.annotations().some((a) => a.level === '@cdktf/info' && /\[ID-001\].*waived: mail from this identity/.test(a.message)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is applied to the stacks, not the App, which cdktf never visits: checkEveryStack covers an app', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-aspect-'));
    try {
      const app = buildApp(defaultStacksConfig({}), outdir);
      const onApp = new SescheckChecks();
      Aspects.of(app).add(onApp);
      app.synth();
      assert.deepStrictEqual(onApp.results, [], 'cdktf does not invoke aspects of the App');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('checks the settings against the catalog as the CLI does: a severity override of no rule is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-aspect-settings-'));
    const settingsFile = path.join(dir, 'sescheck.yaml');
    fs.writeFileSync(settingsFile, 'severities:\n  CT-999: low\n');
    try {
      const app = synthSesStack(new SescheckChecks({ settingsFile }));
      assert.throws(app.synth, /key severities\.CT-999: no rule CT-999 in the catalog/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a rule id that is not in the catalog', () => {
    const app = synthSesStack(new SescheckChecks({ rules: ['XX-999'] }));
    assert.throws(app.synth, /no rule XX-999/);
  });
});
