import assert from 'node:assert/strict';
import { ComplianceStatus, Partition, RecordState, SeverityLabel, WorkflowStatus } from '@aws-sdk/client-securityhub';
import Ajv from 'ajv';
import { compareWithBaseline } from '../../src/results/baseline';
import { defaultSettings } from '../../src/engine/settings';
import { ConfigError } from '../../src/errors';
import type { Posture } from '../../src/posture/types';
import { asffReporter, findingId, type AsffFinding } from '../../src/report/asff';
import { configurationSet, scan, tlsPosture } from './helpers';

const ACCOUNT = '111122223333';
const CONTEXT = { color: false, width: 80, cwd: process.cwd(), now: new Date('2026-06-01T12:00:00Z') };

/**
 * The ASFF attributes AWS documents as required for every finding (Security Hub user guide,
 * "Required top-level ASFF attributes"), their limits (AwsSecurityFinding in the API reference),
 * and the enumerations as the Security Hub SDK client publishes them.
 */
const ASFF_REQUIRED = ['AwsAccountId', 'CreatedAt', 'Description', 'GeneratorId', 'Id', 'ProductArn', 'Resources', 'SchemaVersion', 'Severity', 'Title', 'Types', 'UpdatedAt'];
const text = (maxLength?: number) => ({ type: 'string', minLength: 1, ...(maxLength ? { maxLength } : {}) });
const timestamp = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' };
const ASFF_SCHEMA = {
  type: 'object',
  required: ASFF_REQUIRED,
  properties: {
    SchemaVersion: { const: '2018-10-08' },
    Id: text(512),
    ProductArn: { type: 'string', pattern: '^arn:aws(-cn|-us-gov)?:securityhub:[a-z0-9-]+:\\d{12}:product/\\d{12}/default$' },
    GeneratorId: text(512),
    AwsAccountId: { type: 'string', pattern: '^\\d{12}$' },
    Types: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', pattern: '^[^/]+(/[^/]+){0,2}$' } },
    CreatedAt: timestamp,
    UpdatedAt: timestamp,
    LastObservedAt: timestamp,
    Severity: { type: 'object', required: ['Label'], properties: { Label: { enum: Object.values(SeverityLabel) } } },
    Title: text(256),
    Description: text(1024),
    Remediation: { type: 'object', properties: { Recommendation: { type: 'object', properties: { Text: text(512), Url: text() } } } },
    Resources: {
      type: 'array', minItems: 1, maxItems: 32,
      items: { type: 'object', required: ['Id', 'Type'], properties: { Id: text(), Type: text(256), Partition: { enum: Object.values(Partition) }, Region: text(16) } },
    },
    Compliance: { type: 'object', required: ['Status'], properties: { Status: { enum: Object.values(ComplianceStatus) } } },
    Workflow: { type: 'object', properties: { Status: { enum: Object.values(WorkflowStatus) } } },
    RecordState: { enum: Object.values(RecordState) },
    ProductFields: { type: 'object', maxProperties: 50, additionalProperties: { type: 'string' } },
  },
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(ASFF_SCHEMA);

function assertValid(findings: unknown[]): void {
  for (const finding of findings) assert.ok(validate(finding), `not an ASFF finding: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(finding)}`);
}

/** The TLS posture (CS-004: optional and unset fail, computed unknown, secure passes) as read from a live account. */
function livePosture(): Posture {
  const posture = tlsPosture({ kind: 'live', path: `aws://${ACCOUNT}` });
  posture.configuration_sets = posture.configuration_sets.map((set) => ({
    ...set,
    id: `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/${set.name}`,
    account: ACCOUNT,
    location: null,
  }));
  return posture;
}

async function render(postures: Posture[] = [livePosture()], options: Parameters<typeof scan>[1] = {}, context = CONTEXT) {
  const result = await scan(postures, { rules: ['CS-004'], ...options });
  return { result, findings: JSON.parse(asffReporter.render(result, context)) as AsffFinding[] };
}

describe('ASFF report (--format asff)', () => {
  it('the validator rejects what is not an ASFF finding (so the checks below can fail)', async () => {
    const [finding] = (await render()).findings;
    assert.equal(validate(finding), true);
    const withoutAccount: Partial<AsffFinding> = { ...finding };
    delete withoutAccount.AwsAccountId;
    assert.equal(validate(withoutAccount), false);
    assert.equal(validate({ ...finding, Compliance: { Status: 'UNKNOWN' } }), false);
    assert.equal(validate({ ...finding, Title: 't'.repeat(257) }), false);
  });

  it('gives one valid finding per failing or unknown check, in its account and region, with the rule as generator', async () => {
    const { findings } = await render();
    assertValid(findings);
    const byResource = new Map(findings.map((f) => [f.Resources[0].Id, f]));
    const optional = byResource.get(`arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/optional`);
    assert.ok(optional);
    assert.deepEqual(
      [optional.AwsAccountId, optional.Region, optional.GeneratorId, optional.ProductArn, optional.Compliance.Status, optional.RecordState, optional.Workflow?.Status],
      [ACCOUNT, 'eu-west-1', 'CS-004', `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`, 'FAILED', 'ACTIVE', 'NEW'],
    );
    assert.equal(optional.Severity.Label, 'MEDIUM');
    assert.deepEqual(optional.FindingProviderFields.Severity, optional.Severity);
    assert.match(optional.Title, /^CS-004 /);
    assert.match(optional.Description, /TLS policy OPTIONAL/);
    assert.equal(optional.CreatedAt, '2026-06-01T12:00:00.000Z');
    // The undecidable one is a warning, never a pass.
    const computed = byResource.get(`arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/computed`);
    assert.deepEqual([computed?.Compliance.Status, computed?.RecordState], ['WARNING', 'ACTIVE']);
    assert.match(computed?.Description ?? '', /^Unknown: /);
    assert.ok(!byResource.has(`arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/secure`), 'a pass is no finding');
    assert.equal(findings.length, 3);
  });

  it('keeps each finding Id from run to run (an update, not a duplicate), distinct across resources', async () => {
    const first = (await render()).findings;
    const later = (await render(undefined, {}, { ...CONTEXT, now: new Date('2026-06-02T12:00:00Z') })).findings;
    assert.deepEqual(later.map((f) => f.Id), first.map((f) => f.Id));
    assert.equal(new Set(first.map((f) => f.Id)).size, first.length);
    assert.ok(later.every((f) => f.UpdatedAt === '2026-06-02T12:00:00.000Z'), 'UpdatedAt moves, so Security Hub takes the update');
    assert.equal(findingId('CS-004', ACCOUNT, 'eu-west-1', 'arn:x'), `sescheck/CS-004/${ACCOUNT}/eu-west-1/arn:x`);
    const long = findingId('CS-004', ACCOUNT, 'eu-west-1', `arn:${'x'.repeat(600)}`);
    assert.ok(long.length <= 512 && long === findingId('CS-004', ACCOUNT, 'eu-west-1', `arn:${'x'.repeat(600)}`));
  });

  it('archives as PASSED the findings resolved since the baseline', async () => {
    const { result } = await render();
    const previous = structuredClone(result.report);
    const gone = { ...previous.findings[0], resource: `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/removed` };
    previous.findings.push(gone);
    result.report = compareWithBaseline(result.report, previous, 'previous.json');
    const findings = JSON.parse(asffReporter.render(result, CONTEXT)) as AsffFinding[];
    assertValid(findings);
    const resolved = findings.filter((f) => f.RecordState === 'ARCHIVED');
    assert.deepEqual(resolved.map((f) => [f.Resources[0].Id, f.Compliance.Status, f.Id]), [[gone.resource, 'PASSED', findingId('CS-004', ACCOUNT, 'eu-west-1', gone.resource)]]);
    assert.equal(resolved[0].Workflow, undefined, 'Security Hub resolves the workflow itself when compliance passes');
    assert.equal(findings.filter((f) => f.RecordState === 'ACTIVE').length, 3);
  });

  it('starts waived findings suppressed, names the account as the resource of a region check, and clips long texts', async () => {
    const settings = defaultSettings();
    settings.waivers = [{ rule: 'CS-004', resource: `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/optional`, reason: 'legacy relay', expires: '2099-12-31' }];
    const posture = livePosture();
    posture.configuration_sets.push(configurationSet('x'.repeat(1500), 'OPTIONAL', { id: `arn:aws:ses:eu-west-1:${ACCOUNT}:configuration-set/${'x'.repeat(1500)}`, account: ACCOUNT }));
    const { findings } = await render([posture], { settings });
    assertValid(findings);
    const waived = findings.find((f) => f.Resources[0].Id.endsWith('/optional'));
    assert.deepEqual([waived?.Compliance.Status, waived?.Workflow?.Status, waived?.ProductFields['sescheck/WaiverExpires']], ['FAILED', 'SUPPRESSED', '2099-12-31']);
    assert.ok(findings.some((f) => f.Description.length === 1024 && f.Description.endsWith('…')));

    // A CloudTrail rule judges the region of the account: the resource is the account, as Security Hub's controls name it.
    const regional = await scan([livePosture()], { rules: ['CT-001'] });
    const trailFindings = JSON.parse(asffReporter.render(regional, CONTEXT)) as AsffFinding[];
    assertValid(trailFindings);
    assert.deepEqual(trailFindings.map((f) => [f.Resources[0].Type, f.Resources[0].Id, f.Region]), [['AwsAccount', `AWS::::Account:${ACCOUNT}`, 'eu-west-1']]);
  });

  it('refuses plan and configuration input: their findings have no account (exit 2)', async () => {
    const result = await scan([tlsPosture()], { rules: ['CS-004'] });
    assert.throws(() => asffReporter.render(result, CONTEXT), (e: Error) => e instanceof ConfigError && /--format asff needs the AWS account .* `sescheck live`/.test(e.message));
  });
});
