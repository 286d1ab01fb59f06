import assert from 'node:assert/strict';
import fs from 'fs';
import path from 'path';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import type { Finding } from '../../src/engine/findings';
import { readPlanFile } from '../../src/inputs/plan';
import type { Posture, Trail } from '../../src/posture/types';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'inputs');
const LAKE = path.join(FIXTURES, 'plan-cloudtrail-lake-provider5.json');

// A real `terraform show -json` plan (test/fixtures/terraform/cloudtrail-lake): an event data store
// with AWS's default selectors, and a trail writing to a central log archive outside the input.
describe('CloudTrail rules on a real plan: AWS defaults and a central log archive', () => {
  let engine: PolicyEngine;
  let posture: Posture;
  before(async () => {
    engine = await PolicyEngine.load();
    posture = await readPlanFile(LAKE);
  });
  const findings = (input: Posture): Finding[] => engine.evaluate(input, defaultSettings()).findings;

  it('reads an event data store without advanced_event_selector as AWS default, though the plan knows its selectors only after apply', () => {
    const plan = JSON.parse(fs.readFileSync(LAKE, 'utf8'));
    const change = plan.resource_changes.find((c: { address: string }) => c.address === 'aws_cloudtrail_event_data_store.lake');
    assert.equal(change.change.after_unknown.advanced_event_selector, true, 'the provider computes the selectors');
    const store = posture.trails.find((t) => t.id === 'aws_cloudtrail_event_data_store.lake') as Trail;
    assert.deepEqual(store.advanced_event_selectors, []);
    assert.equal(store.unknown.advanced_event_selectors, undefined, 'not set is not unknown');
  });

  it('passes CT-003 and fails CT-001 for the event data store alone, with no unknown', () => {
    const lakeOnly = { ...posture, trails: posture.trails.filter((t) => t.kind === 'event_data_store') };
    const found = findings(lakeOnly).filter((f) => ['CT-001', 'CT-003'].includes(f.rule_id));
    assert.deepEqual(found.map((f) => [f.rule_id, f.status]), [['CT-001', 'fail']]);
    assert.match(found[0].message, /event data store ses-lake: it has no advanced event selectors, so it records management events only/);
    assert.ok(!findings(lakeOnly).some((f) => f.status === 'unknown' && f.rule_id.startsWith('CT-')));
  });

  it("leaves the trail's central log-archive bucket unknown for CT-008, though this account blocks public access", () => {
    assert.equal(posture.account_public_access_blocks.length, 1);
    const found = findings(posture).filter((f) => f.rule_id === 'CT-008');
    assert.deepEqual(found.map((f) => [f.resource, f.status]), [['aws_cloudtrail.archive', 'unknown']]);
    assert.match(found[0].message, /S3 bucket example-org-log-archive of trail ses-sends-to-archive .*the bucket is not in the input/);
  });
});
