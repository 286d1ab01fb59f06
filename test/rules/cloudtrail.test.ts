import assert from 'node:assert/strict';
import path from 'path';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings, type Settings } from '../../src/engine/settings';
import { readPlanFile } from '../../src/inputs/plan';
import {
  emptyPosture,
  type AdvancedEventSelector,
  type Identity,
  type Posture,
  type S3Bucket,
  type Trail,
} from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'inputs');

// The CloudTrail rules (CT-001..CT-008) through the compiled wasm bundle, on posture documents
// shaped as the plan adapter writes them (each one validated against posture.schema.json).

function selector(name: string, category: 'Data' | 'Management', type?: string, extra: AdvancedEventSelector['field_selectors'] = []): AdvancedEventSelector {
  const fieldSelectors: AdvancedEventSelector['field_selectors'] = [{ field: 'eventCategory', equals: [category] }];
  if (type) fieldSelectors.push({ field: 'resources.type', equals: [type] });
  return { name, field_selectors: [...fieldSelectors, ...extra] };
}

const referenceSelectors: AdvancedEventSelector[] = [
  selector('Management events', 'Management'),
  selector('SES identities', 'Data', 'AWS::SES::EmailIdentity'),
  selector('SES configuration sets', 'Data', 'AWS::SES::ConfigurationSet'),
  selector('SES templates', 'Data', 'AWS::SES::Template'),
];

function trail(overrides: Partial<Trail> = {}): Trail {
  return {
    id: 'aws_cloudtrail.ses',
    account: null,
    region: 'eu-west-1',
    location: null,
    unknown: {},
    kind: 'trail',
    name: 'ses',
    arn: null,
    multi_region: true,
    organization: false,
    logging: true,
    log_file_validation: true,
    kms_key_id: null,
    kms_key: 'aws_kms_key.trail',
    basic_event_selectors: [],
    advanced_event_selectors: referenceSelectors,
    s3_bucket_name: null,
    s3_bucket: 'aws_s3_bucket.trail',
    log_group_arn: null,
    log_group: null,
    declared_in_settings: false,
    ...overrides,
  };
}

function bucket(overrides: Partial<S3Bucket> = {}): S3Bucket {
  return {
    id: 'aws_s3_bucket.trail',
    account: null,
    region: 'eu-west-1',
    location: null,
    unknown: {},
    name: null,
    arn: null,
    lifecycle_rules: [],
    public_access_block: { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
    public_access_block_source: 'resource',
    ...overrides,
  };
}

const identity: Identity = {
  id: 'aws_sesv2_email_identity.example',
  account: null,
  region: 'eu-west-1',
  location: { file: 'main.tf', line: 40 },
  unknown: {},
  identity: 'example.com',
  kind: 'domain',
  api: 'v2',
  default_configuration_set_name: 'ses-logging',
  default_configuration_set: null,
  notification_topics: [],
  feedback_forwarding_enabled: true,
};

function posture(trails: Trail[], buckets: S3Bucket[] = [bucket()]): Posture {
  const document: Posture = {
    ...emptyPosture({ kind: 'plan', path: 'plan.json' }),
    trails,
    identities: [identity],
    s3_buckets: buckets,
  };
  assert.deepEqual(postureProblems(document), [], 'the fixture follows posture.schema.json');
  return document;
}

describe('CloudTrail rules (wasm)', () => {
  let engine: PolicyEngine;
  before(async () => {
    engine = await PolicyEngine.load();
  });

  function ctFindings(document: Posture, settings: Settings = defaultSettings()) {
    return engine
      .evaluate(document, settings)
      .findings.filter((finding) => finding.rule_id.startsWith('CT-'))
      .map((finding) => ({ rule: finding.rule_id, status: finding.status, resource: finding.resource, message: finding.message }))
      .sort((a, b) => `${a.rule}${a.message}`.localeCompare(`${b.rule}${b.message}`));
  }

  it('lists CT-001 to CT-008 in the catalog', () => {
    const ids = engine.catalog(defaultSettings()).map((rule) => rule.id).filter((id) => id.startsWith('CT-'));
    assert.deepEqual(ids, ['CT-001', 'CT-002', 'CT-003', 'CT-004', 'CT-005', 'CT-006', 'CT-007', 'CT-008']);
  });

  it('passes the reference trail, and counts every CT rule as checked', () => {
    const result = engine.evaluate(posture([trail()]), defaultSettings());
    assert.deepEqual(result.findings.filter((finding) => finding.rule_id.startsWith('CT-')), []);
    const checked = new Set(result.checked.map((target) => `${target.rule_id} ${target.resource}`));
    for (const id of ['CT-001', 'CT-002', 'CT-003', 'CT-004']) assert.ok(checked.has(`${id} aws://default/eu-west-1`), id);
    for (const id of ['CT-005', 'CT-006', 'CT-007']) assert.ok(checked.has(`${id} aws_cloudtrail.ses`), id);
    assert.ok(checked.has('CT-008 aws_s3_bucket.trail'));
  });

  it('fails a trail from before SES data events: basic selectors, no validation, no key', () => {
    const legacy = trail({
      basic_event_selectors: [{ read_write_type: 'All', include_management_events: true, exclude_management_event_sources: [], data_resources: [] }],
      advanced_event_selectors: [],
      log_file_validation: false,
      kms_key: null,
    });
    const findings = ctFindings(posture([legacy]));
    assert.deepEqual(findings.map((finding) => `${finding.rule} ${finding.status}`), [
      'CT-001 fail', 'CT-002 fail', 'CT-006 fail', 'CT-007 fail',
    ]);
    assert.match(findings[0].message, /trail ses: it uses basic \(legacy\) event selectors, which cannot select SES data events/);
  });

  it('names the condition that drops sends (readOnly false), in the wasm build as in opa test', () => {
    const writesOnly = selector('SES identities', 'Data', 'AWS::SES::EmailIdentity', [{ field: 'readOnly', equals: ['false'] }]);
    const findings = ctFindings(posture([trail({ advanced_event_selectors: [referenceSelectors[0], writesOnly, ...referenceSelectors.slice(2)] })]));
    assert.equal(findings.length, 1);
    assert.equal(
      findings[0].message,
      'SES sends in eu-west-1 are not recorded as data events (AWS::SES::EmailIdentity): trail ses: selector "SES identities": readOnly Equals [false] excludes sends (CloudTrail records them with readOnly true)',
    );
  });

  it('checks both regions of the SES global endpoint (CT-004)', () => {
    const settings: Settings = { ...defaultSettings(), cloudtrail: { ...defaultSettings().cloudtrail, regions: ['eu-west-1', 'us-west-2'] } };
    const findings = ctFindings(posture([trail({ multi_region: false })]), settings);
    assert.deepEqual(findings.map((finding) => [finding.rule, finding.resource]), [
      ['CT-003', 'aws://default/us-west-2'],
      ['CT-004', 'aws://default/us-west-2'],
    ]);
    assert.equal(findings[1].message, 'no trail that records SES sends covers us-west-2: trail ses is single-region in eu-west-1');
  });

  it('counts an organization trail declared in the settings', () => {
    const settings: Settings = {
      ...defaultSettings(),
      cloudtrail: {
        ...defaultSettings().cloudtrail,
        external_trails: [{
          name: 'org-trail',
          home_region: 'us-east-1',
          multi_region: true,
          organization: true,
          log_file_validation: true,
          kms_key_id: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          advanced_event_selectors: referenceSelectors.map(({ name, field_selectors }) => ({ name: name ?? undefined, field_selectors })),
        }],
      },
    };
    const findings = ctFindings(posture([], []), settings);
    // Its bucket is not in the input: only CT-008 cannot be decided.
    assert.deepEqual(findings.map((finding) => `${finding.rule} ${finding.status} ${finding.resource}`), [
      'CT-008 unknown settings:cloudtrail.external_trails/org-trail',
    ]);
  });

  it('answers unknown, not fail, when the selectors are known only after apply', () => {
    const computed = trail({ advanced_event_selectors: [], unknown: { advanced_event_selectors: 'known only after apply' } });
    const findings = ctFindings(posture([computed]));
    assert.deepEqual(findings.map((finding) => `${finding.rule} ${finding.status}`), ['CT-001 unknown', 'CT-002 unknown', 'CT-003 unknown']);
    assert.ok(findings.every((finding) => finding.message.includes('known only after apply')));
  });

  describe('end to end from `terraform show -json` plans', () => {
    async function ctIds(fixture: string): Promise<string[]> {
      const document = await readPlanFile(path.join(FIXTURES, fixture));
      return [...new Set(ctFindings(document).map((finding) => `${finding.rule} ${finding.status}`))];
    }

    it('passes the compliant plan', async () => {
      assert.deepEqual(await ctIds('plan-compliant.json'), []);
    });

    it('passes the compliant plan from AWS provider 5, planned by terraform (key, bucket and log group known only after apply)', async () => {
      assert.deepEqual(await ctIds('plan-compliant-provider5.json'), []);
    });

    it('fails the provider 5 plan with a legacy single-region trail', async () => {
      assert.deepEqual(await ctIds('plan-noncompliant-provider5.json'), [
        'CT-001 fail', 'CT-002 fail', 'CT-003 fail', 'CT-006 fail', 'CT-007 fail', 'CT-008 fail',
      ]);
    });
  });
});
