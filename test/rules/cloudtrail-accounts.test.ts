import assert from 'node:assert/strict';
import path from 'path';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { readConfigPath } from '../../src/inputs/config';
import type { Finding } from '../../src/engine/findings';
import type { Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'inputs');

// Accounts named by Terraform provider configurations, end to end: Terraform JSON -> posture -> wasm rules.
describe('CloudTrail rules: accounts from provider configurations (Terraform JSON)', () => {
  let engine: PolicyEngine;
  let posture: Posture;
  let findings: Finding[];
  const PROFILED = 'provider aws.profiled has credentials of its own (profile) and names no account';

  before(async () => {
    engine = await PolicyEngine.load();
    [posture] = await readConfigPath(path.join(FIXTURES, 'tfjson-accounts'));
    findings = engine.evaluate(posture, defaultSettings()).findings;
  });

  const account = (collection: 'trails' | 'identities' | 'account_public_access_blocks', id: string): [string | null, string | undefined] => {
    const object = (posture[collection] as { id: string; account: string | null; unknown: Record<string, string> }[]).find((o) => o.id === id);
    assert.ok(object, id);
    return [object.account, object.unknown.account];
  };
  const of = (rule: string, resource: string): Finding[] => findings.filter((f) => f.rule_id === rule && f.resource === resource);

  it('names the account of assume_role (object or list) and of a single allowed account; a profile is an unnamed account', () => {
    assert.deepEqual(postureProblems(posture), []);
    assert.deepEqual(account('identities', 'aws_sesv2_email_identity.sending'), ['111122223333', undefined]);
    assert.deepEqual(account('trails', 'aws_cloudtrail.audit'), ['111122223333', undefined]);
    assert.deepEqual(account('trails', 'aws_cloudtrail.other'), ['444455556666', undefined]);
    assert.deepEqual(account('account_public_access_blocks', 'aws_s3_account_public_access_block.audit'), ['111122223333', undefined]);
    assert.deepEqual(account('identities', 'aws_sesv2_email_identity.marketing'), [null, PROFILED]);
  });

  it('credits a trail to places of its own account only; an account it cannot be told from is unknown', () => {
    assert.deepEqual(of('CT-001', 'aws://111122223333/eu-west-1'), [], 'the audit trail is in the sending account');
    assert.deepEqual(of('CT-003', 'aws://111122223333/eu-west-1'), []);
    const unnamed = `aws://default/eu-west-1 (${PROFILED})`;
    const [sends] = of('CT-001', unnamed);
    assert.equal(sends?.status, 'unknown');
    assert.match(sends.message, /whether trail ses-audit \(account 111122223333\) is in the account of eu-west-1 \(an unnamed account/);
    assert.equal(of('CT-003', unnamed)[0]?.status, 'unknown');
    // The trail of account 444455556666 may record the unnamed account's sends, so CT-005..CT-008 judge it;
    // without that place, it is a trail of another account, not counted.
    assert.ok(findings.some((f) => f.resource === 'aws_cloudtrail.other'));
    const named = { ...posture, identities: posture.identities.filter((i) => i.account !== null) };
    const { findings: namedFindings, checked } = engine.evaluate(named, defaultSettings());
    assert.ok(!checked.some((c) => c.resource === 'aws_cloudtrail.other') && !namedFindings.some((f) => f.resource === 'aws_cloudtrail.other'));
  });

  it("leaves a central log-archive bucket outside the input unknown for CT-008, whatever the account's block", () => {
    const [bucket] = of('CT-008', 'aws_cloudtrail.audit');
    assert.equal(bucket?.status, 'unknown');
    assert.match(bucket.message, /S3 bucket central-log-archive of trail ses-audit .* the bucket is not in the input/);
  });
});
