import assert from 'node:assert/strict';
import path from 'path';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { readConfigPath } from '../../src/inputs/config';
import { postureProblems } from '../../src/posture/validate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'inputs');

// The SES global endpoint's secondary region is in scope without listing it in the settings.
describe('CloudTrail rules: an SES global endpoint (Terraform JSON, AWS provider 6)', () => {
  it('puts the secondary region of aws_sesv2_multi_region_endpoint in scope', async () => {
    const [posture] = await readConfigPath(path.join(FIXTURES, 'tfjson-global-endpoint'));
    assert.deepEqual(postureProblems(posture), []);
    assert.deepEqual(posture.multi_region_endpoints?.map((e) => [e.id, e.name, e.regions]), [['aws_sesv2_multi_region_endpoint.global', 'global', ['eu-west-1', 'us-west-2']]]);
    const engine = await PolicyEngine.load();
    const findings = engine.evaluate(posture, defaultSettings()).findings.filter((f) => ['CT-001', 'CT-003', 'CT-004'].includes(f.rule_id));
    assert.deepEqual(findings.map((f) => [f.rule_id, f.resource, f.status]).sort(), [
      ['CT-003', 'aws://default/us-west-2', 'fail'],
      ['CT-004', 'aws://default/us-west-2', 'fail'],
    ]);
  });

  it('keeps the regions unknown when the secondary region is', async () => {
    const [posture] = await readConfigPath(path.join(FIXTURES, 'tfjson-global-endpoint'));
    const endpoint = posture.multi_region_endpoints![0];
    endpoint.regions = null;
    endpoint.unknown.regions = 'expression not evaluated: ${var.secondary}';
    const engine = await PolicyEngine.load();
    const [finding] = engine.evaluate(posture, defaultSettings()).findings.filter((f) => f.rule_id === 'CT-003');
    assert.equal(finding.status, 'unknown');
    assert.equal(finding.resource, 'aws_sesv2_multi_region_endpoint.global');
  });
});
