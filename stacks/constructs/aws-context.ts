import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';

/** The partition, account and region the provider deploys into, for ARNs in policies (resolved at plan time). */
export class AwsContext extends Construct {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.partition = new DataAwsPartition(this, 'partition').partition;
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.region = new DataAwsRegion(this, 'region').region;
  }

  /** An ARN in this partition, region and account. */
  arn(service: string, resource: string, options: { region?: boolean } = {}): string {
    const region = options.region === false ? '' : this.region;
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}
