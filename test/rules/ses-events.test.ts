/**
 * Where SES event records go (CS-002, CS-003, ID-002), identities' default configuration sets
 * (ID-001), Firehose format conversion (FH-001) and declared WorkMail organizations (WM-001),
 * end to end: a real `terraform show -json` plan (AWS provider 5.100) and Terraform JSON for the
 * resources only provider 6 has, through the adapters and the compiled wasm bundle.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'path';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { readConfigPath } from '../../src/inputs/config';
import { readPlanFile } from '../../src/inputs/plan';
import type { Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'inputs');

describe('SES event records, identities, Firehose and WorkMail (wasm, end to end)', () => {
  let engine: PolicyEngine;
  before(async () => {
    engine = await PolicyEngine.load();
  });

  function findings(document: Posture, prefixes: string[]): string[] {
    assert.deepEqual(postureProblems(document), []);
    return engine
      .evaluate(document, defaultSettings())
      .findings.filter((finding) => prefixes.some((prefix) => finding.rule_id.startsWith(prefix)))
      .map((finding) => `${finding.rule_id} ${finding.status} ${finding.resource}`)
      .sort();
  }

  describe('a provider 5 plan with EventBridge, CloudWatch and Parquet destinations', () => {
    let document: Posture;
    before(async () => {
      document = await readPlanFile(path.join(FIXTURES, 'plan-event-bridge-provider5.json'));
    });

    it('maps the default buses with their archive, rule and target', () => {
      const buses = document.event_buses ?? [];
      const euw1 = buses.find((bus) => bus.region === 'eu-west-1');
      const use1 = buses.find((bus) => bus.region === 'us-east-1');
      assert.equal(euw1?.name, 'default');
      assert.equal(euw1?.complete, false);
      assert.deepEqual(euw1?.archives.map((a) => [a.id, a.retention_days, a.event_pattern]), [
        ['aws_cloudwatch_event_archive.ses', 400, '{"source":["aws.ses"]}'],
      ]);
      assert.deepEqual(use1?.rules.map((r) => [r.id, r.state, r.targets.map((t) => t.target)]), [
        ['aws_cloudwatch_event_rule.feedback', 'ENABLED', ['aws_cloudwatch_log_group.feedback']],
      ]);
      const destination = document.configuration_sets.find((set) => set.name === 'archived')?.event_destinations[0];
      assert.equal(destination?.event_bus, euw1?.id);
      const stream = document.firehose_streams.find((s) => s.name === 'ses-parquet');
      assert.equal(stream?.format_conversion, true);
    });

    it('passes the archived bus and the Parquet stream, fails CloudWatch-only, leaves a partly kept bus unknown', () => {
      assert.deepEqual(findings(document, ['CS-', 'FH-', 'ID-']), [
        'CS-002 fail aws_sesv2_configuration_set.metrics',
        // The rule keeps only bounces and complaints; the default bus may have other rules elsewhere.
        'CS-002 unknown aws_sesv2_configuration_set.routed',
        'CS-003 fail aws_sesv2_configuration_set.metrics',
        // Bounces and complaints published only to CloudWatch are not captured.
        'ID-002 fail aws_sesv2_email_identity.metrics',
      ]);
    });

    it('puts the log group an SES rule delivers to in the logging path: RT-002 judges its retention', () => {
      const { checked, findings: all } = engine.evaluate(document, defaultSettings());
      assert.ok(checked.some((c) => c.rule_id === 'RT-002' && c.resource === 'aws_cloudwatch_log_group.feedback'));
      assert.deepEqual(all.filter((f) => f.resource === 'aws_cloudwatch_log_group.feedback'), []);
    });
  });

  describe('Terraform JSON with provider 6 resources', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'sescheck-ses-events-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function read(config: object): Promise<Posture> {
      const file = path.join(dir, `case-${Math.random().toString(36).slice(2)}.tf.json`);
      await writeFile(file, JSON.stringify(config));
      const [document] = await readConfigPath(file);
      return document;
    }

    const firehoseSet = {
      aws_sesv2_configuration_set: { main: { configuration_set_name: 'main', delivery_options: { tls_policy: 'REQUIRE' } } },
      aws_sesv2_configuration_set_event_destination: {
        main: {
          configuration_set_name: '${aws_sesv2_configuration_set.main.configuration_set_name}',
          event_destination_name: 'firehose',
          event_destination: {
            enabled: true,
            matching_event_types: ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'RENDERING_FAILURE', 'DELIVERY_DELAY'],
            kinesis_firehose_destination: { delivery_stream_arn: 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses', iam_role_arn: 'arn:aws:iam::111122223333:role/ses' },
          },
        },
      },
    };

    it('a v1 identity gets its default configuration set from aws_sesv2_email_identity_configuration_set_attributes', async () => {
      const resource = {
        ...firehoseSet,
        aws_ses_domain_identity: { with_default: { domain: 'example.com' }, without: { domain: 'example.org' } },
        aws_sesv2_email_identity_configuration_set_attributes: {
          with_default: {
            email_identity: '${aws_ses_domain_identity.with_default.domain}',
            configuration_set_name: '${aws_sesv2_configuration_set.main.configuration_set_name}',
          },
        },
      };
      const document = await read({ provider: { aws: { region: 'eu-west-1' } }, resource });
      const identity = document.identities.find((i) => i.id === 'aws_ses_domain_identity.with_default');
      assert.equal(identity?.default_configuration_set, 'aws_sesv2_configuration_set.main');
      assert.deepEqual(findings(document, ['ID-001']), ['ID-001 fail aws_ses_domain_identity.without']);
      const message = engine.evaluate(document, defaultSettings()).findings.find((f) => f.rule_id === 'ID-001')?.message ?? '';
      assert.match(message, /aws_sesv2_email_identity_configuration_set_attributes/);
    });

    it('an EventBridge destination whose bus ARN comes from a data source publishes to the default bus of its region', async () => {
      const resource = {
        aws_sesv2_configuration_set: { bridge: { configuration_set_name: 'bridge', delivery_options: { tls_policy: 'REQUIRE' } } },
        aws_sesv2_configuration_set_event_destination: {
          bridge: {
            configuration_set_name: '${aws_sesv2_configuration_set.bridge.configuration_set_name}',
            event_destination_name: 'eventbridge',
            event_destination: {
              enabled: true,
              matching_event_types: ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'RENDERING_FAILURE', 'DELIVERY_DELAY'],
              event_bridge_destination: { event_bus_arn: '${data.aws_cloudwatch_event_bus.default.arn}' },
            },
          },
        },
        aws_cloudwatch_log_group: { ses: { name: '/ses/events', retention_in_days: 400 } },
        // No event_bus_name: the default bus.
        aws_cloudwatch_event_rule: { ses: { name: 'ses-events', event_pattern: '{"source":["aws.ses"]}' } },
        aws_cloudwatch_event_target: { ses: { rule: '${aws_cloudwatch_event_rule.ses.name}', arn: '${aws_cloudwatch_log_group.ses.arn}' } },
      };
      const document = await read({ provider: { aws: { region: 'eu-west-1' } }, resource, data: { aws_cloudwatch_event_bus: { default: { name: 'default' } } } });
      const destination = document.configuration_sets[0].event_destinations[0];
      assert.equal(destination.event_bus, 'event-bus/default@eu-west-1');
      assert.deepEqual(document.event_buses?.[0].rules[0].targets.map((t) => t.target), ['aws_cloudwatch_log_group.ses']);
      assert.deepEqual(findings(document, ['CS-']), []);
    });

    it('a declared WorkMail organization with no delivery fails; one whose sources link to it passes', async () => {
      const logTypes = defaultSettings().workmail.required_log_types;
      const sources = Object.fromEntries(logTypes.map((type) => [type.toLowerCase(), {
        name: type.toLowerCase(), log_type: type, resource_arn: '${aws_workmail_organization.delivered.arn}',
      }]));
      const deliveries = Object.fromEntries(logTypes.map((type) => [type.toLowerCase(), {
        delivery_source_name: `\${aws_cloudwatch_log_delivery_source.${type.toLowerCase()}.name}`,
        delivery_destination_arn: '${aws_cloudwatch_log_delivery_destination.logs.arn}',
      }]));
      const resource = {
        aws_workmail_organization: { delivered: { organization_alias: 'delivered-org' }, silent: { organization_alias: 'silent-org' } },
        aws_cloudwatch_log_group: { workmail: { name: '/workmail/audit', retention_in_days: 400 } },
        aws_cloudwatch_log_delivery_source: sources,
        aws_cloudwatch_log_delivery_destination: {
          logs: { name: 'workmail-logs', delivery_destination_configuration: { destination_resource_arn: '${aws_cloudwatch_log_group.workmail.arn}' } },
        },
        aws_cloudwatch_log_delivery: deliveries,
      };
      const document = await read({ provider: { aws: { region: 'eu-west-1' } }, resource });
      assert.equal(document.delivery_sources[0].workmail_organization, 'aws_workmail_organization.delivered');
      assert.deepEqual(findings(document, ['WM-']), ['WM-001 fail aws_workmail_organization.silent']);
    });
  });
});
