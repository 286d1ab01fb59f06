import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { sesStackTrailProps, type SesEventPublishingStackConfig } from './config';
import { CloudTrailSesDataEvents } from './constructs/cloudtrail-ses-data-events';
import { SesEventPublishing } from './constructs/ses-event-publishing';
import { awsProvider } from './provider';

/**
 * SES event publishing (seed 003) in one region, with a trail recording that region's SES sends
 * (seeds 000, 002) unless `cloudTrail` is false: a stack is deployed and checked on its own, and
 * identities without a trail would send mail that CloudTrail never records.
 */
export class SesEventPublishingStack extends TerraformStack {
  readonly publishing: SesEventPublishing;
  readonly trail?: CloudTrailSesDataEvents;

  constructor(scope: Construct, id: string, config: SesEventPublishingStackConfig) {
    super(scope, id);
    awsProvider(this, config);
    this.publishing = new SesEventPublishing(this, 'ses-event-publishing', config);
    const trail = sesStackTrailProps(config);
    if (trail) this.trail = new CloudTrailSesDataEvents(this, 'cloudtrail-ses-data-events', trail);
    new TerraformOutput(this, 'configuration_set_name', { value: this.publishing.configurationSet.configurationSetName });
    new TerraformOutput(this, 'event_log_bucket', { value: this.publishing.logBucket.bucket.bucket });
    new TerraformOutput(this, 'feedback_topic_arn', { value: this.publishing.feedbackTopic.arn, description: 'Subscribe to receive bounces and complaints' });
    new TerraformOutput(this, 'athena_workgroup', { value: this.publishing.workgroup.name });
    new TerraformOutput(this, 'glue_database', { value: this.publishing.database.name });
    if (this.trail) new TerraformOutput(this, 'trail_arn', { value: this.trail.trail.arn });
  }
}
