import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { compareWithBaseline } from '../../src/results/baseline';
import { defaultSettings } from '../../src/engine/settings';
import { junitReporter } from '../../src/report/junit';
import { scan, tlsPosture } from './helpers';

interface Attributes {
  [name: string]: string | undefined;
}
type Element = Attributes & { testcase?: Element[]; testsuite?: Element[]; failure?: Element[]; skipped?: Element[]; properties?: { property?: Attributes[] }[] };

function parse(xml: string): Element {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['testsuite', 'testcase', 'failure', 'skipped', 'properties'].includes(name),
  });
  return (parser.parse(xml) as { testsuites: Element }).testsuites;
}

const CONTEXT = { color: false, width: 80, cwd: process.cwd() };

describe('JUnit report', () => {
  it('has one suite per rule and one test case per checked resource, with a failure per failing finding', async () => {
    const result = await scan([tlsPosture()], { rules: ['CS-004'] });
    const root = parse(junitReporter.render(result, CONTEXT));
    assert.equal(root.testsuite?.length, 1);
    const [suite] = root.testsuite ?? [];
    assert.equal(suite.name, 'CS-004 Configuration set requires TLS');
    assert.equal(suite.tests, '4');
    assert.equal(suite.failures, '2');
    assert.equal(suite.skipped, '1');
    const cases = suite.testcase ?? [];
    assert.deepEqual(cases.map((c) => c.name).sort(), [
      'aws_sesv2_configuration_set.computed (eu-west-1)',
      'aws_sesv2_configuration_set.optional (eu-west-1)',
      'aws_sesv2_configuration_set.secure (eu-west-1)',
      'aws_sesv2_configuration_set.unset (eu-west-1)',
    ]);
    assert.ok(cases.every((c) => c.classname === 'CS-004'));
    const optional = cases.find((c) => c.name?.includes('.optional'));
    assert.match(optional?.failure?.[0].message ?? '', /TLS policy OPTIONAL/);
    assert.equal(optional?.failure?.[0].type, 'medium');
    const secure = cases.find((c) => c.name?.includes('.secure'));
    assert.equal(secure?.failure, undefined);
    assert.equal(secure?.skipped, undefined);
    const unset = cases.find((c) => c.name?.includes('.unset'));
    assert.equal(unset?.file, 'ses.tf');
  });

  it('marks unknown and waived findings skipped, with the reason', async () => {
    const settings = {
      ...defaultSettings(),
      waivers: [{ rule: 'CS-004', resource: 'aws_sesv2_configuration_set.optional', reason: 'legacy sender until Q3', expires: '2026-12-31' }],
    };
    const root = parse(junitReporter.render(await scan([tlsPosture()], { rules: ['CS-004'], settings }), CONTEXT));
    const [suite] = root.testsuite ?? [];
    assert.equal(suite.failures, '1');
    assert.equal(suite.skipped, '2');
    const reason = (name: string) =>
      suite.testcase?.find((c) => c.name?.includes(name))?.properties?.[0].property?.find((p) => p.name === 'reason')?.value;
    assert.match(reason('.optional') ?? '', /^waived until 2026-12-31: legacy sender until Q3/);
    assert.match(reason('.computed') ?? '', /^unknown: .*known only after apply/);
  });

  it('gives each finding its baseline mark as a property against a baseline', async () => {
    const result = await scan([tlsPosture()], { rules: ['CS-004'] });
    const previous = { ...result.report, findings: result.report.findings.filter((f) => f.resource.endsWith('.optional')) };
    result.report = compareWithBaseline(result.report, previous, 'prev.json');
    const [suite] = parse(junitReporter.render(result, CONTEXT)).testsuite ?? [];
    const mark = (name: string) => suite.testcase?.find((c) => c.name?.includes(name))?.properties?.[0].property?.find((p) => p.name === 'baseline')?.value;
    assert.deepEqual(['.optional', '.unset', '.computed', '.secure'].map(mark), ['unchanged', 'new', 'new', undefined]);
  });

  it('covers every evaluated rule, totals included', async () => {
    const result = await scan([tlsPosture()]);
    const root = parse(junitReporter.render(result, CONTEXT));
    assert.equal(root.testsuite?.length, result.rules.length);
    const { summary } = result.report;
    assert.equal(Number(root.failures), summary.fail);
    assert.equal(Number(root.skipped), summary.unknown + summary.waived);
    assert.equal(Number(root.tests), summary.passed + result.report.findings.length);
  });

  it('names the stack of each test case when there are several', async () => {
    const result = await scan(
      [tlsPosture({ kind: 'config', path: 'cdktf.out', stack: 'prod' }), tlsPosture({ kind: 'config', path: 'cdktf.out', stack: 'dev' })],
      { rules: ['CS-004'] },
    );
    const [suite] = parse(junitReporter.render(result, CONTEXT)).testsuite ?? [];
    assert.equal(suite.tests, '8');
    assert.ok(suite.testcase?.some((c) => c.name === 'aws_sesv2_configuration_set.secure (eu-west-1) [stack prod]'));
  });
});
