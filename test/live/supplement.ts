/**
 * Answers for the few calls moto does not implement (its SES v2 event destination calls, CloudTrail
 * Lake, WorkMail), in the shapes of the AWS API references, added to the scan's clients as a
 * middleware: the collectors send the same commands they send to AWS and parse the same outputs.
 */
import type { AwsClient } from '../../src/live/scan-context';
import { ACCOUNT, ORGANIZATION_ARN, STREAM_ARN } from './seed';

type Answer = (input: Record<string, unknown>, region: string, account: string) => Record<string, unknown>;

export const MOTO_GAPS: Record<string, Answer> = {
  'CloudTrailClient.ListEventDataStoresCommand': () => ({ EventDataStores: [] }),
  'SESv2Client.ListMultiRegionEndpointsCommand': () => ({ MultiRegionEndpoints: [] }),
  'SESv2Client.GetConfigurationSetEventDestinationsCommand': (input) =>
    input.ConfigurationSetName === 'ses-logging'
      ? {
          EventDestinations: [
            {
              Name: 'firehose',
              Enabled: true,
              MatchingEventTypes: ['SEND', 'DELIVERY', 'REJECT', 'BOUNCE', 'COMPLAINT', 'RENDERING_FAILURE', 'DELIVERY_DELAY', 'SUBSCRIPTION'],
              KinesisFirehoseDestination: { IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/ses-firehose`, DeliveryStreamArn: STREAM_ARN },
            },
          ],
        }
      : { EventDestinations: [] },
  'WorkMailClient.ListOrganizationsCommand': (_input, region, account) =>
    region === 'eu-west-1' && account === ACCOUNT
      ? { OrganizationSummaries: [{ OrganizationId: ORGANIZATION_ARN.split('/')[1], Alias: 'example', State: 'Active' }] }
      : { OrganizationSummaries: [] },
};

/** Adds the answers above to a client the scan creates; every other call goes to moto. */
export function answerMotoGaps(client: AwsClient, scope: { account: string; region: string }): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
      const answer = MOTO_GAPS[`${context.clientName}.${context.commandName}`];
      if (!answer) return next(args);
      return { output: { $metadata: { httpStatusCode: 200 }, ...answer(args.input, scope.region, scope.account) }, response: {} };
    },
    { step: 'initialize', name: 'answerMotoGaps' },
  );
}
