import assert from 'node:assert/strict';
import path from 'path';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { readConfigPath } from '../../src/inputs/config';
import { readPlanFile } from '../../src/inputs/plan';
import type { Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';

// The retention rules (RT-001, RT-003) through the compiled wasm bundle on a real
// `terraform show -json` plan (test/fixtures/terraform/retention, AWS provider 5.100) and on the
// same configuration read as HCL: both give the same verdicts.
const PLAN = path.join(__dirname, '..', 'fixtures', 'inputs', 'plan-retention-provider5.json');
const CONFIG = path.join(__dirname, '..', 'fixtures', 'terraform', 'retention');

describe('retention rules on a real plan and its configuration (wasm)', () => {
  let engine: PolicyEngine;
  let fromPlan: Posture;
  let fromConfig: Posture;
  before(async () => {
    engine = await PolicyEngine.load();
    fromPlan = await readPlanFile(PLAN);
    [fromConfig] = await readConfigPath(CONFIG);
  });

  function verdicts(posture: Posture) {
    const result = engine.evaluate(posture, defaultSettings());
    const findings = result.findings.filter((f) => f.rule_id.startsWith('RT-')).map((f) => ({ rule: f.rule_id, status: f.status, resource: f.resource, message: f.message }));
    const checked = result.checked.filter((c) => c.rule_id.startsWith('RT-')).map((c) => `${c.rule_id} ${c.resource}`);
    return { findings, checked };
  }

  it('reads key prefixes, lifecycle details, Object Lock, MFA delete and event data store retention', () => {
    for (const posture of [fromPlan, fromConfig]) {
      assert.deepEqual(postureProblems(posture), []);
      const trail = posture.trails.find((t) => t.id === 'aws_cloudtrail.prefixed');
      assert.equal(trail?.s3_key_prefix, 'ct');
      const stores = Object.fromEntries(posture.trails.filter((t) => t.kind === 'event_data_store').map((t) => [t.id, t.retention_days]));
      assert.deepEqual(stores, { 'aws_cloudtrail_event_data_store.bounded': 365, 'aws_cloudtrail_event_data_store.default_retention': 2555 });
      const stream = posture.firehose_streams[0];
      assert.deepEqual([stream.prefix, stream.error_output_prefix], ['ses/!{partitionKeyFromQuery:EventType}/!{timestamp:yyyy/MM/dd}/', 'errors/!{firehose:error-output-type}/']);
      const buckets = Object.fromEntries(posture.s3_buckets.map((b) => [b.id, b]));
      assert.deepEqual([buckets['aws_s3_bucket.events'].object_lock_retention_days, buckets['aws_s3_bucket.events'].versioning], [3650, 'Enabled']);
      assert.deepEqual([buckets['aws_s3_bucket.mfa'].mfa_delete, buckets['aws_s3_bucket.versioned'].mfa_delete], [true, false]);
      assert.equal(buckets['aws_s3_bucket.versioned'].lifecycle_rules[0].noncurrent_newer_versions, 2);
      assert.equal(buckets['aws_s3_bucket.events'].lifecycle_rules.find((r) => r.id === 'errors')?.expiration_date, '2027-01-01T00:00:00Z');
    }
  });

  it('judges each writer against the rules that can match its keys, the same from the plan and the configuration', () => {
    const planned = verdicts(fromPlan);
    assert.deepEqual(verdicts(fromConfig).findings.sort((a, b) => a.resource.localeCompare(b.resource)), [...planned.findings].sort((a, b) => a.resource.localeCompare(b.resource)));
    const byResource = Object.fromEntries(planned.findings.map((f) => [`${f.rule} ${f.resource}`, f]));
    assert.equal(planned.findings.every((f) => f.status === 'fail'), true, 'nothing is left unknown');
    // The trail writes under ct/AWSLogs/: the rule on that prefix bounds it, the tmp/ rule cannot meet it.
    assert.ok(planned.checked.includes('RT-001 aws_s3_bucket.prefixed'));
    assert.equal(byResource['RT-001 aws_s3_bucket.prefixed'], undefined);
    assert.match(byResource['RT-001 aws_s3_bucket.versioned'].message, /lifecycle rule "trail-logs" keeps the 2 newest previous versions of each object forever/);
    assert.match(byResource['RT-001 aws_s3_bucket.mfa'].message, /has MFA delete enabled: S3 Lifecycle does not run/);
    const events = byResource['RT-001 aws_s3_bucket.events'].message;
    assert.match(events, /expires the failed records of Firehose stream retention-events on a date \(lifecycle rule "errors" on 2027-01-01T00:00:00Z\)/);
    assert.match(events, /locks every new object version for 3650 days by default \(Object Lock\), more than the 540-day maximum/);
    assert.doesNotMatch(events, /records Firehose stream retention-events delivers after/, 'the ses/ rule covers the records within bounds');
    assert.equal(byResource['RT-003 aws_cloudtrail_event_data_store.default_retention'].message, 'event data store default-retention records SES activity and keeps its events 2555 days, more than the 540-day maximum');
    assert.ok(planned.checked.includes('RT-003 aws_cloudtrail_event_data_store.bounded'));
    assert.equal(byResource['RT-003 aws_cloudtrail_event_data_store.bounded'], undefined);
  });
});
