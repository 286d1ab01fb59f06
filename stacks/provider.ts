import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { StackPlacement } from './config';

export const DEFAULT_TAGS = { ManagedBy: 'sescheck-stacks' };

/** The stack's AWS provider: its region is every resource's region; credentials are needed only to plan or deploy. */
export function awsProvider(stack: Construct, placement: StackPlacement): AwsProvider {
  return new AwsProvider(stack, 'aws', {
    region: placement.region,
    defaultTags: [{ tags: placement.tags ?? DEFAULT_TAGS }],
  });
}
