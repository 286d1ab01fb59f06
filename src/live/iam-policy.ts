/**
 * The read-only IAM policy `sescheck live` needs, and the IAM action each SDK command it sends
 * requires. docs/live.md shows READ_ONLY_POLICY; a test checks that every call a scan makes is in it.
 */

/** `<SDK client name>.<command name>` -> the IAM action that authorizes it. */
export const IAM_ACTION_OF_COMMAND: Readonly<Record<string, string>> = {
  'CloudTrailClient.DescribeTrailsCommand': 'cloudtrail:DescribeTrails',
  'CloudTrailClient.GetTrailStatusCommand': 'cloudtrail:GetTrailStatus',
  'CloudTrailClient.GetEventSelectorsCommand': 'cloudtrail:GetEventSelectors',
  'CloudTrailClient.ListEventDataStoresCommand': 'cloudtrail:ListEventDataStores',
  'CloudTrailClient.GetEventDataStoreCommand': 'cloudtrail:GetEventDataStore',
  'SESv2Client.ListEmailIdentitiesCommand': 'ses:ListEmailIdentities',
  'SESv2Client.GetEmailIdentityCommand': 'ses:GetEmailIdentity',
  'SESv2Client.ListConfigurationSetsCommand': 'ses:ListConfigurationSets',
  'SESv2Client.GetConfigurationSetCommand': 'ses:GetConfigurationSet',
  'SESv2Client.GetConfigurationSetEventDestinationsCommand': 'ses:GetConfigurationSetEventDestinations',
  'SESv2Client.ListMultiRegionEndpointsCommand': 'ses:ListMultiRegionEndpoints',
  'SESClient.GetIdentityNotificationAttributesCommand': 'ses:GetIdentityNotificationAttributes',
  'S3Client.GetBucketLocationCommand': 's3:GetBucketLocation',
  'S3Client.GetBucketLifecycleConfigurationCommand': 's3:GetLifecycleConfiguration',
  'S3Client.GetBucketVersioningCommand': 's3:GetBucketVersioning',
  'S3Client.GetObjectLockConfigurationCommand': 's3:GetBucketObjectLockConfiguration',
  'S3Client.GetPublicAccessBlockCommand': 's3:GetBucketPublicAccessBlock',
  'S3ControlClient.GetPublicAccessBlockCommand': 's3:GetAccountPublicAccessBlock',
  'CloudWatchLogsClient.DescribeLogGroupsCommand': 'logs:DescribeLogGroups',
  'CloudWatchLogsClient.DescribeDeliverySourcesCommand': 'logs:DescribeDeliverySources',
  'CloudWatchLogsClient.DescribeDeliveryDestinationsCommand': 'logs:DescribeDeliveryDestinations',
  'CloudWatchLogsClient.DescribeDeliveriesCommand': 'logs:DescribeDeliveries',
  'FirehoseClient.DescribeDeliveryStreamCommand': 'firehose:DescribeDeliveryStream',
  'WorkMailClient.ListOrganizationsCommand': 'workmail:ListOrganizations',
  'EventBridgeClient.ListArchivesCommand': 'events:ListArchives',
  'EventBridgeClient.DescribeArchiveCommand': 'events:DescribeArchive',
  'EventBridgeClient.ListRulesCommand': 'events:ListRules',
  'EventBridgeClient.ListTargetsByRuleCommand': 'events:ListTargetsByRule',
  'AccountClient.ListRegionsCommand': 'account:ListRegions',
  // GetCallerIdentity needs no permission; it is listed so the recorder knows it.
  'STSClient.GetCallerIdentityCommand': 'sts:GetCallerIdentity',
};

/** Actions the scan may call without any grant. */
export const ACTIONS_NEEDING_NO_GRANT: readonly string[] = ['sts:GetCallerIdentity'];

/** The policy to attach to the scanning role (or user): read-only, nothing else. */
export const READ_ONLY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SescheckLiveReadOnly',
      Effect: 'Allow',
      Action: [...new Set(Object.values(IAM_ACTION_OF_COMMAND))]
        .filter((action) => !ACTIONS_NEEDING_NO_GRANT.includes(action))
        .sort(),
      Resource: '*',
    },
  ],
} as const;

/** The IAM action for an SDK command, or an UNMAPPED marker a test will flag. */
export function iamActionOf(clientName: string, commandName: string): string {
  return IAM_ACTION_OF_COMMAND[`${clientName}.${commandName}`] ?? `UNMAPPED:${clientName}.${commandName}`;
}
