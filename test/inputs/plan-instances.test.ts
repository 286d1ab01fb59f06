import assert from 'node:assert/strict';
import fs from 'fs';
import path from 'path';
import { type AttributeValue, Unknown } from '../../src/inputs/terraform/instance';
import { planInstances } from '../../src/inputs/terraform/plan-instances';
import { fixture } from './helpers';

const PLANS = fs.readdirSync(path.dirname(fixture('state.json'))).filter((name) => /^plan-.*\.json$/.test(name));

function countUnknowns(value: AttributeValue | undefined): number {
  if (value instanceof Unknown) return 1;
  if (typeof value !== 'object' || value === null) return 0;
  return (Array.isArray(value) ? value : Object.values(value)).reduce((sum: number, item) => sum + countUnknowns(item), 0);
}

function read(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(fixture(name), 'utf8')) as Record<string, unknown>;
}

// A plan instance merges after_unknown into its values as they are read (an attribute alone, or all
// of them): whatever the order, what is read is what the whole merge gives, unknowns included.
describe('inputs: plan instances merge the values known only after apply as they are read', () => {
  it('covers every plan fixture', () => assert.ok(PLANS.length >= 10));

  for (const name of PLANS) {
    it(`${name}: each attribute read alone is that of the whole merge, and so are the values read after it`, () => {
      const whole = planInstances(read(name), 'plan').instances;
      const byAttribute = planInstances(read(name), 'plan').instances;
      assert.equal(byAttribute.length, whole.length);
      let unknowns = 0;
      for (let i = 0; i < whole.length; i++) {
        const values = whole[i].values;
        const attribute = byAttribute[i].attribute;
        assert.ok(attribute, 'a plan instance reads attributes alone');
        for (const key of Object.keys(values)) {
          assert.deepEqual(attribute.call(byAttribute[i], key), values[key], `${whole[i].address} ${key}`);
          // A second read merges nothing more.
          assert.deepEqual(attribute.call(byAttribute[i], key), values[key], `${whole[i].address} ${key}, read again`);
        }
        assert.deepEqual(byAttribute[i].values, values, whole[i].address);
        unknowns += countUnknowns(values);
      }
      if (whole.some((instance) => instance.created)) assert.ok(unknowns > 0, 'a plan that creates resources has values known only after apply');
    });
  }
});
