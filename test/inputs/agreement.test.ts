/**
 * The same stack read two ways, from its `cdktf synth` JSON and from a plan of it (what
 * `terraform show -json` prints for creating it), gives the same posture wherever both know the values.
 */
import assert from 'node:assert/strict';
import path from 'path';
import { readConfigPath } from '../../src/inputs/config';
import { readPlanFile } from '../../src/inputs/plan';
import type { Posture } from '../../src/posture/types';
import { FIXTURES, assertValid, fixture } from './helpers';

const COLLECTIONS = [
  'trails', 'configuration_sets', 'identities', 's3_buckets', 'account_public_access_blocks', 'log_groups',
  'firehose_streams', 'kms_keys', 'delivery_sources', 'delivery_destinations', 'deliveries',
] as const;
const NOT_COMPARED = new Set(['id', 'location', 'unknown']);

type PostureRecord = Record<string, unknown> & { id: string; unknown: Record<string, string> };

/** Disagreements between two postures on values both know; counts the values compared. */
function disagreements(
  fromConfig: Posture,
  fromPlan: Posture,
  collections: readonly (typeof COLLECTIONS)[number][] = COLLECTIONS,
): { problems: string[]; compared: number } {
  const problems: string[] = [];
  let compared = 0;
  const compareObjects = (configured: PostureRecord[], planned: PostureRecord[], what: string): void => {
    const byId = new Map(planned.map((o) => [o.id, o]));
    assert.deepEqual(configured.map((o) => o.id).sort(), [...byId.keys()].sort(), `${what}: the same objects`);
    for (const object of configured) {
      const other = byId.get(object.id) as PostureRecord;
      const unknown = { ...object.unknown, ...other.unknown };
      for (const [field, value] of Object.entries(object)) {
        if (NOT_COMPARED.has(field) || field in unknown || value === null || other[field] === null) continue;
        if (field === 'event_destinations') {
          compareObjects(value as PostureRecord[], other[field] as PostureRecord[], `${object.id}.${field}`);
          continue;
        }
        compared++;
        if (JSON.stringify(value) !== JSON.stringify(other[field])) {
          problems.push(`${object.id}.${field}: config ${JSON.stringify(value)} vs plan ${JSON.stringify(other[field])}`);
        }
      }
    }
  };
  for (const collection of collections) {
    compareObjects(fromConfig[collection] as unknown as PostureRecord[], fromPlan[collection] as unknown as PostureRecord[], collection);
  }
  return { problems, compared };
}

describe('inputs: plan and synthesized JSON of a stack agree', () => {
  const stacks: [string, string, number][] = [
    ['workmail-audit-logging-eu-west-1', 'plan-workmail-stack.json', 35],
    ['ses-event-publishing-eu-west-1', 'plan-ses-event-publishing-stack.json', 45],
  ];
  for (const [stack, planFixture, minimum] of stacks) {
    it(`${stack}: same objects, same known values, same links`, async () => {
      const fromConfig = (await readConfigPath(fixture('cdktf-synth'))).find((p) => p.source.stack === stack) as Posture;
      const fromPlan = await readPlanFile(fixture(planFixture));
      assertValid(fromConfig);
      assertValid(fromPlan);
      const { problems, compared } = disagreements(fromConfig, fromPlan);
      assert.deepEqual(problems, []);
      // names, regions, settings and every link: the comparison is not empty.
      assert.ok(compared >= minimum, `only ${compared} values compared`);
    });
  }

  it('the HCL of test/fixtures/terraform/compliant and its plan by terraform: same objects, same known values, same links', async () => {
    const [fromHcl] = await readConfigPath(path.join(FIXTURES, '..', 'terraform', 'compliant'));
    const fromPlan = await readPlanFile(fixture('plan-compliant-provider5.json'));
    assertValid(fromHcl);
    // The HCL reader does not evaluate toset(...) (the WorkMail for_each): those objects are left out.
    const { problems, compared } = disagreements(fromHcl, fromPlan, COLLECTIONS.filter((c) => c !== 'delivery_sources' && c !== 'deliveries'));
    assert.deepEqual(problems, []);
    assert.ok(compared >= 60, `only ${compared} values compared`);
  });

  it('would notice a difference', async () => {
    const fromConfig = (await readConfigPath(fixture('cdktf-synth'))).find((p) => p.source.stack === 'workmail-audit-logging-eu-west-1') as Posture;
    const fromPlan = await readPlanFile(fixture('plan-workmail-stack.json'));
    fromPlan.log_groups[0].retention_in_days = 30;
    fromPlan.deliveries[0].delivery_source = fromPlan.delivery_sources[1].id;
    const { problems } = disagreements(fromConfig, fromPlan);
    assert.equal(problems.length, 2);
  });
});
