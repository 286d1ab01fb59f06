/** Makes chosen IAM actions fail as AWS does when the policy lacks them, for the fault tests. */
import type { AwsClient } from '../../src/live/scan-context';
import { iamActionOf } from '../../src/live/iam-policy';

export function denyActions(actions: readonly string[]): (client: AwsClient) => void {
  return (client) => {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => async (args: unknown) => {
        const action = iamActionOf(context.clientName ?? '?', context.commandName ?? '?');
        if (!actions.includes(action)) return next(args);
        throw Object.assign(new Error(`User: arn:aws:sts::123456789012:assumed-role/scanner/sescheck is not authorized to perform: ${action}`), {
          name: action.startsWith('s3:') ? 'AccessDenied' : 'AccessDeniedException',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
        });
      },
      { step: 'initialize', name: 'denyActions', priority: 'high' },
    );
  };
}
