/**
 * The reference setup created in moto through the AWS SDK, the calls an operator (or Terraform's
 * AWS provider) makes; and, for the few reads moto does not implement, answers built from the same
 * description in the shapes of the AWS API references.
 */
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateDeliveryCommand,
  CreateLogGroupCommand,
  PutDeliveryDestinationCommand,
  PutDeliverySourceCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateArchiveCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import {
  CreateBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { CreateConfigurationSetCommand as CreateV1ConfigurationSetCommand, SESClient, SetIdentityNotificationTopicCommand, VerifyDomainIdentityCommand, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { CreateConfigurationSetCommand, CreateEmailIdentityCommand, SESv2Client, type EventDestination } from '@aws-sdk/client-sesv2';
import { s3ControlSettings } from '../../../src/live/s3';
import type { AwsClient } from '../../../src/live/scan-context';
import { ACCOUNT, DEFAULT_BUS_ARN, REGION, byKey, organizationArn, type PublicAccessBlockSpec, type ReferenceSetup } from './reference-setup';

/** The id of the trail's key in the account (Terraform knows it only after apply). */
export const KMS_KEY_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function config(endpoint: string, region = REGION) {
  return { endpoint, region, credentials, maxAttempts: 1 };
}

function publicAccessBlock(block: PublicAccessBlockSpec) {
  return {
    BlockPublicAcls: block.blockPublicAcls,
    BlockPublicPolicy: block.blockPublicPolicy,
    IgnorePublicAcls: block.ignorePublicAcls,
    RestrictPublicBuckets: block.restrictPublicBuckets,
  };
}

function streamArn(name: string): string {
  return `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${name}`;
}

function logGroupArn(name: string): string {
  return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
}

export async function seedMoto(endpoint: string, setup: ReferenceSetup): Promise<void> {
  // The scan never reads KMS (the trail names its key by ARN), and moto's CreateTrail does not look the key up.
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KMS_KEY_ID}`;

  const s3control = new S3ControlClient(s3ControlSettings(config(endpoint, 'us-east-1')));
  await s3control.send(new PutAccountPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: publicAccessBlock(setup.accountPublicAccessBlock) }));

  const s3 = new S3Client({ ...config(endpoint), forcePathStyle: true });
  for (const bucket of setup.buckets) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket.name, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket.name, PublicAccessBlockConfiguration: publicAccessBlock(bucket.publicAccessBlock) }));
    if (bucket.versioning) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket.name, VersioningConfiguration: { Status: bucket.versioning } }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket.name,
      LifecycleConfiguration: {
        Rules: bucket.lifecycle.map((rule) => ({
          ID: rule.id,
          Status: 'Enabled',
          Filter: rule.prefix === null ? {} : { Prefix: rule.prefix },
          Expiration: { Days: rule.expirationDays },
          ...(rule.noncurrentDays ? { NoncurrentVersionExpiration: { NoncurrentDays: rule.noncurrentDays } } : {}),
        })),
      },
    }));
  }

  const logs = new CloudWatchLogsClient(config(endpoint));
  for (const group of setup.logGroups) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group.name }));
    if (group.retentionDays) await logs.send(new PutRetentionPolicyCommand({ logGroupName: group.name, retentionInDays: group.retentionDays }));
  }

  const cloudtrail = new CloudTrailClient(config(endpoint));
  for (const trail of setup.trails) {
    const group = trail.logGroup ? byKey(setup.logGroups, trail.logGroup) : null;
    await cloudtrail.send(new CreateTrailCommand({
      Name: trail.name,
      S3BucketName: byKey(setup.buckets, trail.bucket).name,
      ...(trail.s3KeyPrefix ? { S3KeyPrefix: trail.s3KeyPrefix } : {}),
      IsMultiRegionTrail: trail.multiRegion,
      EnableLogFileValidation: trail.logFileValidation,
      ...(trail.encrypted ? { KmsKeyId: keyArn } : {}),
      ...(group ? { CloudWatchLogsLogGroupArn: `${logGroupArn(group.name)}:*`, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/sescheck-diff-cloudtrail-logs` } : {}),
    }));
    if (trail.advancedSelectors) {
      await cloudtrail.send(new PutEventSelectorsCommand({
        TrailName: trail.name,
        AdvancedEventSelectors: trail.advancedSelectors.map((s) => ({
          Name: s.name,
          FieldSelectors: s.fieldSelectors.map((c) => ({ Field: c.field, ...(c.equals ? { Equals: c.equals } : {}), ...(c.startsWith ? { StartsWith: c.startsWith } : {}) })),
        })),
      }));
    }
    if (trail.basicSelectors) {
      await cloudtrail.send(new PutEventSelectorsCommand({
        TrailName: trail.name,
        EventSelectors: trail.basicSelectors.map((s) => ({
          IncludeManagementEvents: s.includeManagementEvents,
          ExcludeManagementEventSources: s.excludeManagementEventSources,
          DataResources: s.dataResources.map((r) => ({ Type: r.type, Values: r.values })),
        })),
      }));
    }
    // Terraform's enable_logging defaults to true: the provider starts logging after CreateTrail.
    await cloudtrail.send(new StartLoggingCommand({ Name: trail.name }));
  }

  const firehose = new FirehoseClient(config(endpoint));
  for (const stream of setup.streams) {
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: stream.name,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        RoleARN: `arn:aws:iam::${ACCOUNT}:role/sescheck-diff-firehose`,
        BucketARN: `arn:aws:s3:::${byKey(setup.buckets, stream.bucket).name}`,
        ...(stream.prefix ? { Prefix: stream.prefix } : {}),
        ...(stream.errorOutputPrefix ? { ErrorOutputPrefix: stream.errorOutputPrefix } : {}),
        ...(stream.compression ? { CompressionFormat: stream.compression } : {}),
        ...(stream.logging
          ? { CloudWatchLoggingOptions: { Enabled: true, LogGroupName: byKey(setup.logGroups, stream.logging.logGroup).name, LogStreamName: stream.logging.logStream } }
          : {}),
      },
    }));
  }

  const events = new EventBridgeClient(config(endpoint));
  for (const archive of setup.defaultBus.archives) {
    await events.send(new CreateArchiveCommand({ ArchiveName: archive.name, EventSourceArn: DEFAULT_BUS_ARN, EventPattern: archive.eventPattern, RetentionDays: archive.retentionDays }));
  }
  for (const rule of setup.defaultBus.rules) {
    await events.send(new PutRuleCommand({ Name: rule.name, EventPattern: rule.eventPattern }));
    // The AWS provider's target_id default is a generated unique id.
    await events.send(new PutTargetsCommand({ Rule: rule.name, Targets: [{ Id: `${rule.key}-target`, Arn: logGroupArn(byKey(setup.logGroups, rule.logGroup).name) }] }));
  }

  const sesv2 = new SESv2Client(config(endpoint));
  const ses = new SESClient(config(endpoint));
  for (const set of setup.configurationSets) {
    if (set.api === 'v2') {
      await sesv2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: set.name, ...(set.tlsPolicy ? { DeliveryOptions: { TlsPolicy: set.tlsPolicy } } : {}) }));
    } else {
      await ses.send(new CreateV1ConfigurationSetCommand({ ConfigurationSet: { Name: set.name } }));
    }
    // Event destinations: moto has no SES v2 event destination calls; answered by answerMotoGaps.
  }
  for (const identity of setup.identities) {
    if (identity.api === 'v2') {
      const set = identity.defaultConfigurationSet ? byKey(setup.configurationSets, identity.defaultConfigurationSet) : null;
      await sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: identity.identity, ...(set ? { ConfigurationSetName: set.name } : {}) }));
    } else if (identity.identity.includes('@')) {
      await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: identity.identity }));
    } else {
      await ses.send(new VerifyDomainIdentityCommand({ Domain: identity.identity }));
    }
    if (identity.bounceTopicArn) {
      await ses.send(new SetIdentityNotificationTopicCommand({ Identity: identity.identity, NotificationType: 'Bounce', SnsTopic: identity.bounceTopicArn }));
    }
  }

  const destinationArns = new Map<string, string>();
  for (const delivery of setup.workmail.deliveries) {
    await logs.send(new PutDeliverySourceCommand({ name: delivery.sourceName, resourceArn: organizationArn(setup), logType: delivery.logType }));
    let destinationArn = destinationArns.get(delivery.destinationName);
    if (!destinationArn) {
      const created = await logs.send(new PutDeliveryDestinationCommand({
        name: delivery.destinationName,
        deliveryDestinationConfiguration: { destinationResourceArn: logGroupArn(byKey(setup.logGroups, delivery.logGroup).name) },
      }));
      destinationArn = created.deliveryDestination?.arn as string;
      destinationArns.set(delivery.destinationName, destinationArn);
    }
    await logs.send(new CreateDeliveryCommand({ deliverySourceName: delivery.sourceName, deliveryDestinationArn: destinationArn }));
  }
}

/** GetConfigurationSetEventDestinations as SES v2 answers it for a set of the description. */
function eventDestinations(setup: ReferenceSetup, setName: unknown): { EventDestinations: EventDestination[] } {
  const set = setup.configurationSets.find((s) => s.name === setName);
  return {
    EventDestinations: (set?.destinations ?? []).map((d) => ({
      Name: d.name,
      Enabled: d.enabled,
      MatchingEventTypes: d.eventTypes,
      ...(d.kind === 'firehose'
        ? { KinesisFirehoseDestination: { IamRoleArn: d.roleArn, DeliveryStreamArn: streamArn(byKey(setup.streams, d.stream as string).name) } }
        : d.kind === 'event_bridge'
          ? { EventBridgeDestination: { EventBusArn: DEFAULT_BUS_ARN } }
          : { CloudWatchDestination: { DimensionConfigurations: [{ DimensionName: 'ses:configuration-set', DimensionValueSource: 'MESSAGE_TAG', DefaultDimensionValue: set?.name }] } }),
    })),
  };
}

type Answer = (input: Record<string, unknown>, region: string) => Record<string, unknown>;
type Addition = (output: Record<string, unknown>, input: Record<string, unknown>) => Record<string, unknown>;

/** The reads moto does not implement, answered from the description. */
export function motoGaps(setup: ReferenceSetup): Record<string, Answer> {
  return {
    'CloudTrailClient.ListEventDataStoresCommand': () => ({ EventDataStores: [] }),
    'SESv2Client.ListMultiRegionEndpointsCommand': () => ({ MultiRegionEndpoints: [] }),
    'SESv2Client.GetConfigurationSetEventDestinationsCommand': (input, region) => (region === REGION ? eventDestinations(setup, input.ConfigurationSetName) : { EventDestinations: [] }),
    'WorkMailClient.ListOrganizationsCommand': (_input, region) =>
      region === REGION ? { OrganizationSummaries: [{ OrganizationId: setup.workmail.organizationId, Alias: setup.workmail.alias, State: 'Active' }] } : { OrganizationSummaries: [] },
  };
}

/**
 * Where moto 5.2.5 answers otherwise than AWS: its GetIdentityNotificationAttributes stores
 * SetIdentityNotificationTopic but answers without BounceTopic (added from the description); its
 * GetEventSelectors answers a trail created without selectors with none, where AWS answers the
 * default selector (every management event).
 */
function motoOmissions(setup: ReferenceSetup): Record<string, Addition> {
  return {
    'CloudTrailClient.GetEventSelectorsCommand': (output) => {
      const none = !(output.EventSelectors as unknown[] | undefined)?.length && !(output.AdvancedEventSelectors as unknown[] | undefined)?.length;
      return none ? { ...output, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] } : output;
    },
    'SESClient.GetIdentityNotificationAttributesCommand': (output) => {
      const attributes = (output.NotificationAttributes ?? {}) as Record<string, Record<string, unknown>>;
      for (const identity of setup.identities) {
        if (identity.bounceTopicArn && attributes[identity.identity]) attributes[identity.identity].BounceTopic = identity.bounceTopicArn;
      }
      return output;
    },
  };
}

/** Adds the answers of motoGaps and the omissions of moto to a client the scan creates; every other call goes to moto as it is. */
export function answerMotoGaps(setup: ReferenceSetup): (client: AwsClient, scope: { account: string; region: string }) => void {
  const gaps = motoGaps(setup);
  const omissions = motoOmissions(setup);
  return (client, scope) => {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<{ output: Record<string, unknown> }>, context: { clientName?: string; commandName?: string }) =>
        async (args: { input: Record<string, unknown> }) => {
          const command = `${context.clientName}.${context.commandName}`;
          const answer = gaps[command];
          if (answer) return { output: { $metadata: { httpStatusCode: 200 }, ...answer(args.input, scope.region) }, response: {} };
          const result = await next(args);
          const addition = omissions[command];
          return addition ? { ...result, output: addition(result.output, args.input) } : result;
        },
      { step: 'initialize', name: 'answerMotoGaps' },
    );
  };
}
