import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { trailStackProps, type CloudTrailSesDataEventsStackConfig } from './config';
import { CloudTrailSesDataEvents } from './constructs/cloudtrail-ses-data-events';
import { awsProvider } from './provider';

/** A CloudTrail trail recording SES management and data events (seeds 000, 002), homed in one region. */
export class CloudTrailSesDataEventsStack extends TerraformStack {
  readonly trail: CloudTrailSesDataEvents;

  constructor(scope: Construct, id: string, config: CloudTrailSesDataEventsStackConfig) {
    super(scope, id);
    awsProvider(this, config);
    this.trail = new CloudTrailSesDataEvents(this, 'cloudtrail-ses-data-events', trailStackProps(config));
    new TerraformOutput(this, 'trail_arn', { value: this.trail.trail.arn });
    new TerraformOutput(this, 'trail_log_bucket', { value: this.trail.logBucket.bucket.bucket });
  }
}
