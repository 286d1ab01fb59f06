import assert from 'node:assert/strict';
import { Aspects, type IAspect } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudTrailSesDataEvents } from '../../stacks/constructs/cloudtrail-ses-data-events';
import { SesEventPublishing } from '../../stacks/constructs/ses-event-publishing';
import { DetachDefaultConfigurationSet, DropManagementSelector, RemoveLifecycleExpiration, RemoveLogGroupRetention } from './broken-variants';
import { onlyResource, synthScope } from './synth';

function synthBroken(aspect: IAspect, build: (scope: Construct) => void) {
  return synthScope((scope) => {
    build(scope);
    Aspects.of(scope).add(aspect);
  });
}

// The dogfood test relies on these aspects; if one stopped changing the output, its expected finding would be untested.
describe('broken variants (test-only aspects)', () => {
  it('DropManagementSelector leaves only the SES data-event selectors', () => {
    const json = synthBroken(new DropManagementSelector(), (scope) => new CloudTrailSesDataEvents(scope, 'trail', { cloudWatchLogs: true }));
    const selectors = onlyResource(json, 'aws_cloudtrail').advanced_event_selector as { field_selector: { field: string; equals: string[] }[] }[];
    assert.equal(selectors.length, 3);
    assert.ok(selectors.every((selector) => selector.field_selector.some((field) => field.field === 'eventCategory' && field.equals[0] === 'Data')));
  });

  it('RemoveLogGroupRetention and RemoveLifecycleExpiration remove the retention', () => {
    const logGroup = synthBroken(new RemoveLogGroupRetention(), (scope) => new SesEventPublishing(scope, 'ses'));
    assert.equal(onlyResource(logGroup, 'aws_cloudwatch_log_group').retention_in_days, undefined);
    const lifecycle = synthBroken(new RemoveLifecycleExpiration(), (scope) => new SesEventPublishing(scope, 'ses'));
    const rule = onlyResource(lifecycle, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    assert.equal(rule.expiration, undefined);
    assert.equal(rule.status, 'Enabled');
  });

  it('DetachDefaultConfigurationSet leaves the identity without its default configuration set, topics untouched', () => {
    const json = synthBroken(new DetachDefaultConfigurationSet(), (scope) => new SesEventPublishing(scope, 'ses', { identities: ['example.com'] }));
    const identity = onlyResource(json, 'aws_sesv2_email_identity');
    assert.equal(identity.email_identity, 'example.com');
    assert.equal(identity.configuration_set_name, undefined);
    assert.equal(Object.keys(json.resource?.aws_ses_identity_notification_topic ?? {}).length, 2);
  });
});
