import assert from 'node:assert/strict';
import type { Finding } from '../../src/engine/findings';
import type { Waiver } from '../../src/engine/settings';
import { applyWaivers, checkWaivers, resourceMatcher } from '../../src/results/waivers';
import { ConfigError } from '../../src/errors';

function finding(resource: string, status: Finding['status'] = 'fail', rule_id = 'CS-004'): Finding {
  return {
    rule_id,
    title: 'Configuration set requires TLS',
    severity: 'medium',
    status,
    resource,
    region: 'eu-west-1',
    account: null,
    message: `configuration set ${resource} has TLS policy OPTIONAL`,
    remediation: 'Set tls_policy to REQUIRE.',
    location: null,
  };
}

function waiver(resource: string, expires = '2026-12-31', rule = 'CS-004'): Waiver {
  return { rule, resource, reason: 'legacy sender, migration tracked in OPS-1234', expires };
}

const JUNE = new Date('2026-06-01T08:00:00Z');

describe('waivers', () => {
  describe('resource patterns', () => {
    it('matches an exact address and nothing else', () => {
      const matches = resourceMatcher('aws_sesv2_configuration_set.main');
      assert.equal(matches('aws_sesv2_configuration_set.main'), true);
      assert.equal(matches('aws_sesv2_configuration_set.main2'), false);
      assert.equal(matches('module.a.aws_sesv2_configuration_set.main'), false);
    });

    it('treats * as any run of characters and ? as one character', () => {
      const star = resourceMatcher('module.legacy.*');
      assert.equal(star('module.legacy.aws_sesv2_configuration_set.main'), true);
      assert.equal(star('module.legacy.'), true);
      assert.equal(star('module.current.aws_sesv2_configuration_set.main'), false);
      const one = resourceMatcher('aws_sesv2_configuration_set.set?');
      assert.equal(one('aws_sesv2_configuration_set.set1'), true);
      assert.equal(one('aws_sesv2_configuration_set.set'), false);
      assert.equal(one('aws_sesv2_configuration_set.set12'), false);
    });

    it('takes every other character literally (dots, brackets, quotes, slashes)', () => {
      const matches = resourceMatcher('module.a.aws_s3_bucket.logs["eu"]*');
      assert.equal(matches('module.a.aws_s3_bucket.logs["eu"]'), true);
      assert.equal(matches('moduleXa.aws_s3_bucket.logs["eu"]'), false, 'a dot is not a regex wildcard');
      assert.equal(resourceMatcher('aws://default/*')('aws://default/eu-west-1'), true);
      assert.equal(resourceMatcher('arn:aws:ses:*:111122223333:identity/(a|b)')('arn:aws:ses:eu-west-1:111122223333:identity/a'), false);
    });

    it('agrees with the regular-expression reading of the glob on every small case', () => {
      // The previous implementation, kept here as the reference: correct, but exponential on many `*`.
      const reference = (pattern: string, resource: string) =>
        new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('')}$`, 's').test(resource);
      let seed = 12345;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const word = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
      for (let i = 0; i < 5000; i++) {
        const pattern = word('ab*?.', random(7));
        const resource = word('ab.', random(9));
        assert.equal(resourceMatcher(pattern)(resource), reference(pattern, resource), `${JSON.stringify(pattern)} on ${JSON.stringify(resource)}`);
      }
    });

    it('matches in at most pattern × resource steps: many `*` on a long resource finish at once', function () {
      // A backtracking regex (`^.*a.*a…b$`) needs about n^30 steps here; this is 30 × 20 000 at most.
      this.timeout(20_000);
      const resource = 'a'.repeat(20_000);
      assert.equal(resourceMatcher(`${'*a'.repeat(30)}b`)(resource), false);
      assert.equal(resourceMatcher(`${'*a'.repeat(30)}*`)(resource), true);
      assert.equal(resourceMatcher(`${'?*'.repeat(200)}`)(resource), true);
      assert.equal(resourceMatcher(`*${'a'.repeat(500)}b*`)(resource), false);
    });
  });

  describe('applying', () => {
    it('turns a matching failing finding into waived, with the reason and expiry', () => {
      const { findings, expired } = applyWaivers([finding('aws_sesv2_configuration_set.main')], [waiver('aws_sesv2_configuration_set.main')], JUNE);
      assert.equal(findings[0].status, 'waived');
      assert.deepEqual(findings[0].waiver, { reason: 'legacy sender, migration tracked in OPS-1234', expires: '2026-12-31' });
      assert.deepEqual(expired, []);
    });

    it('waives by glob and leaves findings of other resources and other rules failing', () => {
      const input = [finding('module.legacy.aws_sesv2_configuration_set.a'), finding('aws_sesv2_configuration_set.b'), finding('module.legacy.x', 'fail', 'CS-001')];
      const { findings } = applyWaivers(input, [waiver('module.legacy.*')], JUNE);
      assert.deepEqual(findings.map((f) => f.status), ['waived', 'fail', 'fail']);
    });

    it('never waives an unknown finding', () => {
      const { findings } = applyWaivers([finding('aws_sesv2_configuration_set.main', 'unknown')], [waiver('*')], JUNE);
      assert.equal(findings[0].status, 'unknown');
      assert.equal(findings[0].waiver, undefined);
    });

    it('applies through the expiry day (UTC) and not after, and reports the expired waiver', () => {
      const lastDay = applyWaivers([finding('r')], [waiver('r', '2026-06-01')], new Date('2026-06-01T23:59:59Z'));
      assert.equal(lastDay.findings[0].status, 'waived');
      assert.deepEqual(lastDay.expired, []);
      const dayAfter = applyWaivers([finding('r')], [waiver('other', '2027-01-01'), waiver('r', '2026-06-01')], new Date('2026-06-02T00:00:00Z'));
      assert.equal(dayAfter.findings[0].status, 'fail');
      assert.deepEqual(dayAfter.expired, [{ ...waiver('r', '2026-06-01'), index: 1 }]);
    });

    it('compares dates in UTC whatever the local clock says', () => {
      // 2026-06-02 00:30 in UTC+2 is still 2026-06-01 in UTC.
      const { findings } = applyWaivers([finding('r')], [waiver('r', '2026-06-01')], new Date('2026-06-02T00:30:00+02:00'));
      assert.equal(findings[0].status, 'waived');
    });
  });

  describe('checking against the catalog', () => {
    it('names the key of a waiver for a rule id that is not in the catalog', () => {
      assert.throws(
        () => checkWaivers([waiver('a'), waiver('b'), waiver('c', '2026-12-31', 'CT-999')], ['CS-004'], '.sescheck.yaml'),
        (error: unknown) => error instanceof ConfigError && /key waivers\[2\]\.rule: no rule CT-999 in the catalog/.test(error.message),
      );
    });

    it('rejects an expiry that is not a calendar date', () => {
      assert.throws(() => checkWaivers([waiver('a', '2026-02-30')], ['CS-004'], 's.yaml'), /key waivers\[0\]\.expires: 2026-02-30 is not a calendar date/);
    });

    it('accepts waivers for rules in the catalog', () => {
      assert.doesNotThrow(() => checkWaivers([waiver('a')], ['CS-004'], 's.yaml'));
    });
  });
});
