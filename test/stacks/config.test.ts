import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  defaultStacksConfig,
  EXAMPLE_ORGANIZATION_ARN,
  loadStacksConfig,
  parseStacksConfig,
  stacksConfigPath,
} from '../../stacks/config';
import { StackPropsError } from '../../stacks/constructs/props';

const ORGANIZATION_US = 'arn:aws:workmail:us-east-1:111122223333:organization/m-0123456789abcdef0123456789abcdef';

describe('stacks configuration', () => {
  it('defaults to every setup in eu-west-1 (the trail inside the SES stack), with example.com and the example organization', () => {
    const config = defaultStacksConfig({});
    assert.deepEqual(config.sesEventPublishing, [{ region: 'eu-west-1', identities: ['example.com'], stackName: 'ses-event-publishing-eu-west-1' }]);
    assert.deepEqual(config.cloudTrailSesDataEvents, []);
    assert.deepEqual(config.workmailAuditLogging, [{
      region: 'eu-west-1', organizationArn: EXAMPLE_ORGANIZATION_ARN, stackName: 'workmail-audit-logging-eu-west-1',
    }]);
  });

  it('takes the region, identities and organization from the environment', () => {
    const config = defaultStacksConfig({
      SESCHECK_STACKS_REGION: 'us-east-1',
      SESCHECK_SES_IDENTITIES: 'example.net, mail@example.org',
      SESCHECK_WORKMAIL_ORGANIZATION_ARN: ORGANIZATION_US,
    });
    assert.deepEqual(config.sesEventPublishing[0].identities, ['example.net', 'mail@example.org']);
    assert.equal(config.sesEventPublishing[0].stackName, 'ses-event-publishing-us-east-1');
    assert.equal(config.workmailAuditLogging[0].organizationArn, ORGANIZATION_US);
  });

  it('adds the SES global endpoint pair\'s second trail with one entry', () => {
    const config = parseStacksConfig({ cloudTrailSesDataEvents: [{ region: 'eu-west-1' }, { region: 'us-west-2' }] }, 'test');
    assert.deepEqual(config.cloudTrailSesDataEvents.map((stack) => stack.stackName), [
      'cloudtrail-ses-data-events-eu-west-1', 'cloudtrail-ses-data-events-us-west-2',
    ]);
    assert.deepEqual(config.sesEventPublishing, []);
  });

  it('refuses instances whose resources would collide at deploy time', () => {
    assert.throws(() => parseStacksConfig({ sesEventPublishing: [{ region: 'eu-west-1' }, { region: 'eu-west-1', stackName: 'second' }] }, 'test'),
      /sesEventPublishing\[1\] and sesEventPublishing\[0\] would create the SES event publishing resources "sescheck-ses-events" in eu-west-1; give one another namePrefix/);
    assert.throws(() => parseStacksConfig({ sesEventPublishing: [{ region: 'eu-west-1' }], cloudTrailSesDataEvents: [{ region: 'eu-west-1' }] }, 'test'),
      /cloudTrailSesDataEvents\[0\] and sesEventPublishing\[0\] would both create trail "sescheck-ses-eu-west-1" in eu-west-1; give one another trailName/);
    // A multi-region trail has a copy in every region, so its name is taken everywhere.
    assert.throws(() => parseStacksConfig({ cloudTrailSesDataEvents: [{ region: 'eu-west-1', trailName: 'ses' }, { region: 'us-west-2', trailName: 'ses', multiRegion: false }] }, 'test'),
      /would both create trail "ses" in us-west-2/);
    const fine = parseStacksConfig({
      sesEventPublishing: [{ region: 'eu-west-1' }, { region: 'eu-west-1', stackName: 'second', namePrefix: 'other' }],
      cloudTrailSesDataEvents: [{ region: 'eu-west-1', trailName: 'org-ses' }, { region: 'us-west-2', trailName: 'org-ses-west', multiRegion: false }],
      workmailAuditLogging: [{ region: 'us-east-1', organizationArn: ORGANIZATION_US }],
    }, 'test');
    assert.equal(fine.sesEventPublishing.length, 2);
  });

  it('reads SESCHECK_STACKS_CONFIG, else ./sescheck-stacks.json, else the defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-stacks-config-'));
    try {
      assert.equal(stacksConfigPath({}, dir), undefined);
      assert.equal(loadStacksConfig({}, dir).sesEventPublishing[0].stackName, 'ses-event-publishing-eu-west-1');
      fs.writeFileSync(path.join(dir, 'sescheck-stacks.json'), JSON.stringify({ sesEventPublishing: [{ region: 'us-west-2', retentionDays: 90 }] }));
      assert.equal(loadStacksConfig({}, dir).sesEventPublishing[0].retentionDays, 90);
      fs.writeFileSync(path.join(dir, 'other.json'), '{"cloudTrailSesDataEvents": [{"region": "ap-south-1"}]}');
      const other = loadStacksConfig({ SESCHECK_STACKS_CONFIG: 'other.json' }, dir);
      assert.equal(other.cloudTrailSesDataEvents[0].region, 'ap-south-1');
      assert.throws(() => loadStacksConfig({ SESCHECK_STACKS_CONFIG: 'missing.json' }, dir), /cannot read stacks configuration .*missing\.json: ENOENT/);
      fs.writeFileSync(path.join(dir, 'broken.json'), '{"sesEventPublishing": [');
      assert.throws(() => loadStacksConfig({ SESCHECK_STACKS_CONFIG: 'broken.json' }, dir), /broken\.json is not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the key and the problem in every error', () => {
    const cases: [unknown, RegExp][] = [
      [[], /must be a JSON object/],
      [{ trails: [] }, /unknown key "trails"/],
      [{ sesEventPublishing: {} }, /sesEventPublishing must be a list/],
      [{ sesEventPublishing: [{}] }, /sesEventPublishing\[0\]: "region" is required/],
      [{ sesEventPublishing: [{ region: 'europe' }] }, /region must be an AWS region name/],
      [{ sesEventPublishing: [{ region: 'eu-west-1', retention: 400 }] }, /unknown key "retention"/],
      [{ sesEventPublishing: [{ region: 'eu-west-1', retentionDays: '400' }] }, /"retentionDays" must be a number/],
      [{ sesEventPublishing: [{ region: 'eu-west-1', identities: 'example.com' }] }, /"identities" must be a list of strings/],
      [{ cloudTrailSesDataEvents: [{ region: 'eu-west-1' }, { region: 'eu-west-1' }] }, /cloudTrailSesDataEvents\[1\]: stack name "cloudtrail-ses-data-events-eu-west-1" is used twice/],
      [{ sesEventPublishing: [{ region: 'eu-west-1', cloudTrail: 'yes' }] }, /"cloudTrail" must be true, false or an object/],
      [{ sesEventPublishing: [{ region: 'eu-west-1', cloudTrail: { region: 'us-west-2' } }] }, /unknown key "cloudTrail.region"/],
      [{ sesEventPublishing: [{ region: 'eu-west-1', cloudTrail: { multiRegion: 'yes' } }] }, /cloudTrail: "multiRegion" must be a boolean/],
      [{ workmailAuditLogging: [{ region: 'eu-west-1' }] }, /"organizationArn" is required/],
      [{ workmailAuditLogging: [{ region: 'eu-west-1', organizationArn: ORGANIZATION_US }] }, /organization is in us-east-1 but the stack deploys into eu-west-1/],
      [{ workmailAuditLogging: [{ region: 'us-east-1', organizationArn: ORGANIZATION_US, destinationType: 'sqs' }] }, /"destinationType" must be one of/],
    ];
    for (const [parsed, message] of cases) {
      assert.throws(() => parseStacksConfig(parsed, 'test'), (error: Error) => error instanceof StackPropsError && message.test(error.message), String(message));
    }
  });
});
