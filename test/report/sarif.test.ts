import assert from 'node:assert/strict';
import Ajv from 'ajv';
import fs from 'fs';
import path from 'path';
import type { Log } from 'sarif';
import { compareWithBaseline } from '../../src/results/baseline';
import { defaultSettings } from '../../src/engine/settings';
import { sarifReporter } from '../../src/report/sarif';
import { scan, tlsPosture } from './helpers';

/** The official SARIF 2.1.0 schema (OASIS, final rtm.5), as @microsoft/jest-sarif ships it. */
function sarifValidator() {
  const file = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  // A draft-04 schema: Ajv 8 reads it once the draft-04 `id`/`$schema` header is dropped (it uses no other draft-04-only keyword).
  delete schema.$schema;
  delete schema.id;
  // unicodeRegExp off: the official schema's language pattern has a stray ] that only non-unicode regexes accept.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  return ajv.compile(schema);
}

const validate = sarifValidator();
const CONTEXT = { color: false, width: 80, cwd: process.cwd() };

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, `SARIF does not match the 2.1.0 schema: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
}

async function render(options: Parameters<typeof scan>[1] = {}, postures = [tlsPosture()]): Promise<Log> {
  return JSON.parse(sarifReporter.render(await scan(postures, options), CONTEXT)) as Log;
}

describe('SARIF report', () => {
  it('the schema validator rejects what is not SARIF (so the checks below can fail)', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
    assert.equal(validate({ version: '2.0.0', runs: [] }), false);
  });

  it('validates against the SARIF 2.1.0 schema, with every rule of the catalog', async () => {
    const log = await render();
    assertValid(log);
    const result = await scan([tlsPosture()]);
    assert.deepEqual(log.runs[0].tool.driver.rules?.map((rule) => rule.id), result.rules.map((rule) => rule.id));
    assert.equal(log.runs[0].results?.length, result.report.findings.length);
  });

  it('gives each result its baselineState against a baseline, and still validates', async () => {
    const result = await scan([tlsPosture()], { rules: ['CS-004'] });
    const previous = { ...result.report, findings: result.report.findings.filter((f) => f.resource.endsWith('.optional')) };
    result.report = compareWithBaseline(result.report, previous, 'prev.json');
    const log = JSON.parse(sarifReporter.render(result, CONTEXT)) as Log;
    assertValid(log);
    assert.deepEqual(
      log.runs[0].results?.map((r) => [r.locations?.[0].logicalLocations?.[0].fullyQualifiedName, r.baselineState]),
      result.report.findings.map((f) => [f.resource, f.resource.endsWith('.optional') ? 'unchanged' : 'new']),
    );
    assert.deepEqual(log.runs[0].properties?.baseline, { file: 'prev.json', new: 2, unchanged: 1, resolved: [] });
    assert.ok((await render()).runs[0].results?.every((r) => r.baselineState === undefined), 'no baselineState without a baseline');
  });

  it('describes each rule: title, description, help with remediation and links, level from severity', async () => {
    const log = await render({ rules: ['CS-004'] });
    const [rule] = log.runs[0].tool.driver.rules ?? [];
    assert.equal(rule.id, 'CS-004');
    assert.equal(rule.name, 'ConfigurationSetRequiresTLS');
    assert.equal(rule.shortDescription?.text, 'Configuration set requires TLS');
    assert.match(rule.fullDescription?.text ?? '', /unencrypted/);
    assert.match(rule.help?.text ?? '', /Remediation: Set delivery_options/);
    assert.match(rule.help?.text ?? '', /https:\/\/docs\.aws\.amazon\.com\//);
    assert.match(rule.helpUri ?? '', /^https:\/\/docs\.aws\.amazon\.com\//);
    assert.equal(rule.defaultConfiguration?.level, 'warning', 'medium maps to warning');
    assert.equal(rule.properties?.['security-severity'], '5.5');
    assert.ok((rule.properties?.tags as string[]).includes('security'));
  });

  it('tags each rule with its group, the package path of the rule (policies/rules/<group>/)', async () => {
    const log = await render({ rules: ['CS-004', 'ID-001', 'CT-001'] });
    assert.deepEqual(
      log.runs[0].tool.driver.rules?.map((rule) => [rule.id, rule.properties?.tags]),
      [['CS-004', ['security', 'logging', 'ses']], ['CT-001', ['security', 'logging', 'cloudtrail']], ['ID-001', ['security', 'logging', 'identity']]],
    );
  });

  it('maps severities to levels as the settings override them', async () => {
    const high = await render({ rules: ['CS-004'], settings: { ...defaultSettings(), severities: { 'CS-004': 'high' } } });
    assert.equal(high.runs[0].tool.driver.rules?.[0].defaultConfiguration?.level, 'error');
    assert.ok(high.runs[0].results?.filter((r) => r.properties?.status === 'fail').every((r) => r.level === 'error'));
    const low = await render({ rules: ['CS-004'], settings: { ...defaultSettings(), severities: { 'CS-004': 'low' } } });
    assert.equal(low.runs[0].tool.driver.rules?.[0].defaultConfiguration?.level, 'note');
  });

  it('points each result at its rule and at the file and line, else at the input file', async () => {
    const log = await render({ rules: ['CS-004'] });
    const results = log.runs[0].results ?? [];
    for (const result of results) {
      assert.equal(result.ruleId, 'CS-004');
      assert.equal(log.runs[0].tool.driver.rules?.[result.ruleIndex ?? -1]?.id, 'CS-004');
    }
    const unset = results.find((r) => r.properties?.resource === 'aws_sesv2_configuration_set.unset');
    assert.deepEqual(unset?.locations?.[0].physicalLocation, { artifactLocation: { uri: 'ses.tf' }, region: { startLine: 12 } });
    const optional = results.find((r) => r.properties?.resource === 'aws_sesv2_configuration_set.optional');
    assert.deepEqual(optional?.locations?.[0].physicalLocation, { artifactLocation: { uri: 'plan.json' } });
    assert.equal(optional?.locations?.[0].logicalLocations?.[0].fullyQualifiedName, 'aws_sesv2_configuration_set.optional');
  });

  it('makes absolute paths relative to the working directory', async () => {
    const posture = tlsPosture({ kind: 'plan', path: path.join(process.cwd(), 'infra', 'plan.json') });
    const log = JSON.parse(sarifReporter.render(await scan([posture], { rules: ['CS-004'] }), CONTEXT)) as Log;
    const optional = log.runs[0].results?.find((r) => r.properties?.resource === 'aws_sesv2_configuration_set.optional');
    assert.equal(optional?.locations?.[0].physicalLocation?.artifactLocation?.uri, 'infra/plan.json');
  });

  it('points a finding without a location at the file of its stack in a cdktf.out', async () => {
    const stack = (name: string) => tlsPosture({ kind: 'config', path: `cdktf.out/stacks/${name}/cdk.tf.json`, stack: name });
    const result = await scan([stack('prod'), stack('dev')], { rules: ['CS-004'], input: { kind: 'config', path: 'cdktf.out' } });
    const log = JSON.parse(sarifReporter.render(result, CONTEXT)) as Log;
    const uri = (stackName: string) =>
      log.runs[0].results?.find((r) => r.properties?.stack === stackName && r.properties?.resource === 'aws_sesv2_configuration_set.optional')
        ?.locations?.[0].physicalLocation?.artifactLocation?.uri;
    assert.equal(uri('prod'), 'cdktf.out/stacks/prod/cdk.tf.json');
    assert.equal(uri('dev'), 'cdktf.out/stacks/dev/cdk.tf.json');
  });

  it('gives no file for stdin, and the resource as a logical location', async () => {
    const log = await render({ rules: ['CS-004'] }, [tlsPosture({ kind: 'plan', path: '-' })]);
    assertValid(log);
    const optional = log.runs[0].results?.find((r) => r.properties?.resource === 'aws_sesv2_configuration_set.optional');
    assert.deepEqual(optional?.locations, [{ logicalLocations: [{ fullyQualifiedName: 'aws_sesv2_configuration_set.optional', kind: 'resource' }] }]);
  });

  it('shows unknown findings as notes marked unknown, and waived ones as externally suppressed', async () => {
    const settings = {
      ...defaultSettings(),
      waivers: [{ rule: 'CS-004', resource: 'aws_sesv2_configuration_set.optional', reason: 'legacy sender until Q3', expires: '2026-12-31' }],
    };
    const log = await render({ rules: ['CS-004'], settings });
    assertValid(log);
    const results = log.runs[0].results ?? [];
    const unknown = results.find((r) => r.properties?.resource === 'aws_sesv2_configuration_set.computed');
    assert.equal(unknown?.level, 'note');
    assert.equal(unknown?.properties?.status, 'unknown');
    assert.match(unknown?.message.text ?? '', /^Unknown: .*known only after apply/);
    const waived = results.find((r) => r.properties?.resource === 'aws_sesv2_configuration_set.optional');
    assert.equal(waived?.suppressions?.[0].kind, 'external');
    assert.match(waived?.suppressions?.[0].justification ?? '', /legacy sender until Q3/);
    const failing = results.find((r) => r.properties?.resource === 'aws_sesv2_configuration_set.unset');
    assert.equal(failing?.suppressions, undefined);
    assert.equal(failing?.level, 'warning');
  });

  it('gives fingerprints that are stable across runs and distinct between findings', async () => {
    const first = await render({ rules: ['CS-004'] });
    const posture = tlsPosture();
    posture.configuration_sets.reverse();
    const second = await render({ rules: ['CS-004'] }, [posture]);
    const prints = (log: Log) => Object.fromEntries((log.runs[0].results ?? []).map((r) => [r.properties?.resource, r.partialFingerprints?.['sescheckFinding/v1']]));
    assert.deepEqual(prints(first), prints(second));
    assert.equal(new Set(Object.values(prints(first))).size, 3);
  });

  it('still validates with several stacks and with no finding at all', async () => {
    assertValid(await render({ rules: ['CS-004'] }, [tlsPosture({ kind: 'config', path: 'cdktf.out', stack: 'a' }), tlsPosture({ kind: 'config', path: 'cdktf.out', stack: 'b' })]));
    const clean = await render({ rules: [] });
    assertValid(clean);
    assert.deepEqual(clean.runs[0].results, []);
  });
});
