import type { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

export interface FirehoseDeliveryRoleProps {
  /** Prefix of the role name (IAM appends a unique suffix). */
  readonly namePrefix: string;
  readonly description: string;
  /** Name of the inline policy. */
  readonly policyName: string;
  /** The account Firehose acts for (aws:SourceAccount). */
  readonly accountId: string;
  readonly bucketArn: string;
  readonly errorLogGroupArn: string;
}

/**
 * The role a Firehose stream assumes to write to its log bucket and report delivery errors to its
 * log group. Created directly in `scope` (not a nested construct) so resource addresses stay put.
 */
export function firehoseDeliveryRole(scope: Construct, props: FirehoseDeliveryRoleProps): { role: IamRole; policy: IamRolePolicy } {
  const role = new IamRole(scope, 'firehose-role', {
    namePrefix: props.namePrefix,
    description: props.description,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'firehose.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
      }],
    }),
  });
  const policy = new IamRolePolicy(scope, 'firehose-role-policy', {
    role: role.id,
    name: props.policyName,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'],
          Resource: [props.bucketArn, `${props.bucketArn}/*`],
        },
        { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: `${props.errorLogGroupArn}:*` },
      ],
    }),
  });
  return { role, policy };
}
