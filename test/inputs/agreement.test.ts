/**
 * The same stack read two ways, from its `cdktf synth` JSON and from a plan of it, gives the
 * same posture wherever both inputs know the values.
 */
import assert from 'node:assert/strict';
import { readConfigPath } from '../../src/inputs/config';
import { readPlanFile } from '../../src/inputs/plan';
import type { Posture } from '../../src/posture/types';
import { assertValid, fixture } from './helpers';

const COLLECTIONS = [
  'trails', 'configuration_sets', 'identities', 's3_buckets', 'account_public_access_blocks', 'log_groups',
  'firehose_streams', 'kms_keys', 'delivery_sources', 'delivery_destinations', 'deliveries',
] as const;
const NOT_COMPARED = new Set(['id', 'location', 'unknown']);

/** Disagreements between two postures on values both know; counts the values compared. */
function disagreements(fromConfig: Posture, fromPlan: Posture): { problems: string[]; compared: number } {
  const problems: string[] = [];
  let compared = 0;
  for (const collection of COLLECTIONS) {
    const planned = new Map((fromPlan[collection] as { id: string }[]).map((o) => [o.id, o as unknown as Record<string, unknown>]));
    const configured = fromConfig[collection] as unknown as Record<string, unknown>[];
    assert.deepEqual(configured.map((o) => o.id).sort(), [...planned.keys()].sort(), `${collection}: the same objects`);
    for (const object of configured) {
      const other = planned.get(object.id as string) as Record<string, unknown>;
      const unknown = { ...(object.unknown as object), ...(other.unknown as object) };
      for (const [field, value] of Object.entries(object)) {
        if (NOT_COMPARED.has(field) || field in unknown || value === null || other[field] === null) continue;
        compared++;
        if (JSON.stringify(value) !== JSON.stringify(other[field])) {
          problems.push(`${object.id as string}.${field}: config ${JSON.stringify(value)} vs plan ${JSON.stringify(other[field])}`);
        }
      }
    }
  }
  return { problems, compared };
}

describe('inputs: plan and synthesized JSON of one stack agree', () => {
  it('workmail-audit-logging: same objects, same known values, same links', async () => {
    const [fromConfig] = await readConfigPath(fixture('cdktf.out'));
    const fromPlan = await readPlanFile(fixture('plan-workmail-stack.json'));
    assertValid(fromConfig);
    assertValid(fromPlan);
    const { problems, compared } = disagreements(fromConfig, fromPlan);
    assert.deepEqual(problems, []);
    // names, log types, organization ARNs, regions, retention and every link: the comparison is not empty.
    assert.ok(compared >= 35, `only ${compared} values compared`);
    for (const delivery of fromPlan.deliveries) assert.ok(delivery.delivery_source && delivery.delivery_destination);
  });

  it('would notice a difference', async () => {
    const [fromConfig] = await readConfigPath(fixture('cdktf.out'));
    const fromPlan = await readPlanFile(fixture('plan-workmail-stack.json'));
    fromPlan.log_groups[0].retention_in_days = 30;
    fromPlan.deliveries[0].delivery_source = fromPlan.delivery_sources[1].id;
    const { problems } = disagreements(fromConfig, fromPlan);
    assert.equal(problems.length, 2);
  });
});
