/**
 * Whole answers only: a 2xx answer without a body, or without the field every answer of its API
 * carries (the list a list call returns, even when empty), is a fault, never "nothing there".
 */
import { IncompleteAnswerError } from './faults';
import { IAM_ACTION_OF_COMMAND } from './iam-policy';

/**
 * For each call the scan makes, the output field AWS always returns on success (an empty list
 * when there is nothing); null where no field is always there, and the non-empty body is the check.
 */
export const ANSWER_FIELDS: Readonly<Record<string, string | null>> = {
  'cloudtrail:DescribeTrails': 'trailList',
  'cloudtrail:GetTrailStatus': 'IsLogging',
  'cloudtrail:GetEventSelectors': 'TrailARN',
  'cloudtrail:ListEventDataStores': 'EventDataStores',
  'cloudtrail:GetEventDataStore': 'EventDataStoreArn',
  'ses:ListEmailIdentities': 'EmailIdentities',
  'ses:GetEmailIdentity': 'IdentityType',
  'ses:ListConfigurationSets': 'ConfigurationSets',
  'ses:GetConfigurationSet': 'ConfigurationSetName',
  'ses:GetConfigurationSetEventDestinations': 'EventDestinations',
  'ses:GetIdentityNotificationAttributes': 'NotificationAttributes',
  'ses:ListMultiRegionEndpoints': 'MultiRegionEndpoints',
  // LocationConstraint is absent for us-east-1, Status for a bucket never versioned.
  's3:GetBucketLocation': null,
  's3:GetBucketVersioning': null,
  's3:GetLifecycleConfiguration': 'Rules',
  's3:GetBucketPublicAccessBlock': 'PublicAccessBlockConfiguration',
  's3:GetAccountPublicAccessBlock': 'PublicAccessBlockConfiguration',
  // A bucket without Object Lock answers ObjectLockConfigurationNotFoundError, never an empty 200.
  's3:GetBucketObjectLockConfiguration': 'ObjectLockConfiguration',
  'events:ListArchives': 'Archives',
  'events:DescribeArchive': 'ArchiveName',
  'events:ListRules': 'Rules',
  'events:ListTargetsByRule': 'Targets',
  'logs:DescribeLogGroups': 'logGroups',
  'logs:DescribeDeliverySources': 'deliverySources',
  'logs:DescribeDeliveryDestinations': 'deliveryDestinations',
  'logs:DescribeDeliveries': 'deliveries',
  'firehose:DescribeDeliveryStream': 'DeliveryStreamDescription',
  'workmail:ListOrganizations': 'OrganizationSummaries',
  'account:ListRegions': 'Regions',
  'sts:GetCallerIdentity': 'Account',
};

/** Calls the scan makes that have no entry above (a test keeps this empty). */
export function actionsWithoutAnswerCheck(): string[] {
  return [...new Set(Object.values(IAM_ACTION_OF_COMMAND))].filter((action) => !(action in ANSWER_FIELDS));
}

/** Throws IncompleteAnswerError when a successful output lacks the field its API always returns. */
export function checkAnswer(action: string, output: unknown): void {
  const field = ANSWER_FIELDS[action];
  if (!field) return;
  const value = (output as Record<string, unknown> | undefined)?.[field];
  if (value === undefined || value === null) {
    const status = (output as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
    throw new IncompleteAnswerError(`the answer has no ${field}`, status);
  }
}

type Next = (args: unknown) => Promise<{ response: unknown; output?: unknown }>;
interface RawResponse {
  statusCode?: number;
  body?: unknown;
}

/**
 * Deserialize-step middleware, next to the HTTP handler: reads a 2xx body whole (a pause past the
 * socket timeout or a cut connection fails the attempt, and the SDK retries it) and refuses an
 * empty one. The SDK then parses the bytes as it would have parsed the stream.
 */
export const readWholeAnswer = (next: Next) => async (args: unknown) => {
  const result = await next(args);
  const response = result.response as RawResponse | undefined;
  const status = response?.statusCode ?? 0;
  if (!response || status < 200 || status >= 300) return result;
  const body = await bodyBytes(response.body);
  if (body.length === 0) throw new IncompleteAnswerError(`the ${status} answer has no body`, status);
  response.body = body;
  return result;
};

async function bodyBytes(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  throw new TypeError(`answer body of an unexpected kind: ${Object.prototype.toString.call(body)}`);
}

/**
 * The pages of an SDK paginator, each checked as it arrives. A page token that comes back
 * again would make the paginator call forever: a fault, never the end of the list.
 */
export async function* distinctPages<Page extends object>(pages: AsyncIterable<Page>, tokenField: 'NextToken' | 'nextToken'): AsyncGenerator<Page> {
  const seen = new Set<string>();
  for await (const page of pages) {
    yield page;
    const token = (page as Record<string, unknown>)[tokenField];
    nextPageToken(typeof token === 'string' ? token : undefined, seen);
  }
}

/** The next page's token, or undefined at the end; one seen before would loop forever: a fault, not the end of the list. */
export function nextPageToken(token: string | undefined, seen: Set<string>): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (seen.has(token)) throw new IncompleteAnswerError('the same page token came back twice');
  seen.add(token);
  return token;
}
