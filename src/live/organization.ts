import {
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListChildren,
  type Account,
} from '@aws-sdk/client-organizations';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { InputError } from '../errors';
import { faultReason, isAwsFault } from './faults';
import { DEFAULT_TIME_LIMITS, boundClient, clientSettingsFor, instrumentClient, type AwsClient, type ScanHooks, type TimeLimits } from './scan-context';
import { distinctPages } from './answers';

/** The Organizations calls `--organization` sends (with the management or delegated-admin credentials). */
export const ORGANIZATION_ACTION_OF_COMMAND: Readonly<Record<string, string>> = {
  'OrganizationsClient.ListAccountsCommand': 'organizations:ListAccounts',
  'OrganizationsClient.ListChildrenCommand': 'organizations:ListChildren',
  'OrganizationsClient.ListAccountsForParentCommand': 'organizations:ListAccountsForParent',
};

/**
 * What the scanning principal needs in the management (or delegated administrator) account for
 * `--organization`: list the accounts, and assume the scan role (here named sescheck-audit) in each.
 * docs/live.md shows it; a test checks both agree and cover every call.
 */
export const ORGANIZATION_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'SescheckListOrganization', Effect: 'Allow', Action: [...new Set(Object.values(ORGANIZATION_ACTION_OF_COMMAND))].sort(), Resource: '*' },
    { Sid: 'SescheckAssumeScanRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: 'arn:aws:iam::*:role/sescheck-audit' },
  ],
} as const;

export interface OrganizationOptions {
  /** The base credentials: the management account's, or a delegated administrator's. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpointUrl?: string;
  /** Organizations answers in one region per partition (us-east-1 for aws). */
  region?: string;
  maxAttempts?: number;
  /** Connection, request and call bounds, as for the scan's own calls. */
  limits?: TimeLimits;
  /** Only the accounts under these organizational units (or roots), at any depth. */
  organizationalUnits?: string[];
  /** Account ids left out. */
  exclude?: string[];
  hooks?: ScanHooks;
}

/**
 * The ids of the organization's active accounts (under the given OUs, without the excluded ones),
 * sorted. Suspended and closing accounts cannot be scanned and are left out. Listing is not a
 * per-account fault: without it there is nothing to scan, so a failure is a user error.
 */
export async function organizationAccounts(options: OrganizationOptions): Promise<string[]> {
  const region = options.region ?? 'us-east-1';
  const limits = options.limits ?? DEFAULT_TIME_LIMITS;
  const client = new OrganizationsClient({
    region,
    credentials: options.credentials,
    endpoint: options.endpointUrl,
    ...clientSettingsFor(limits),
    maxAttempts: options.maxAttempts ?? limits.maxAttempts,
  });
  // Bounded like every scan call: an endpoint that never answers cannot hold the run.
  boundClient(client as unknown as AwsClient, limits);
  // The last call sent, for the message when listing fails.
  let action = 'organizations:ListAccounts';
  (client as unknown as AwsClient).middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => async (args: unknown) => {
      action = ORGANIZATION_ACTION_OF_COMMAND[`${context.clientName}.${context.commandName}`] ?? `UNMAPPED:${context.clientName}.${context.commandName}`;
      options.hooks?.onCall?.(action);
      return next(args);
    },
    { step: 'initialize', name: 'sescheckRecordOrganizationCall' },
  );
  instrumentClient(client, { onClient: options.hooks?.onClient }, { account: 'organization', region });
  try {
    let accounts: Account[] = [];
    if (options.organizationalUnits && options.organizationalUnits.length > 0) {
      for (const parent of options.organizationalUnits) accounts.push(...(await accountsUnder(client, parent)));
    } else {
      for await (const page of distinctPages(paginateListAccounts({ client }, {}), 'NextToken')) accounts.push(...(page.Accounts ?? []));
    }
    const excluded = new Set(options.exclude ?? []);
    accounts = accounts.filter((account) => account.Id !== undefined && isActive(account) && !excluded.has(account.Id));
    return [...new Set(accounts.map((account) => account.Id as string))].sort();
  } catch (error) {
    if (!isAwsFault(error)) throw error;
    if (error.name === 'ParentNotFoundException' || error.name === 'InvalidInputException') {
      throw new InputError(`--ou: ${error.message.split('\n')[0]} (${error.name})`);
    }
    throw new InputError(
      `cannot list the organization's accounts: ${faultReason(error, { action, region })} ` +
        `(run --organization with the management account's or a delegated administrator's credentials)`,
    );
  } finally {
    client.destroy();
  }
}

/** The accounts directly under a parent and under each of its OUs, depth first. */
async function accountsUnder(client: OrganizationsClient, parent: string): Promise<Account[]> {
  const accounts: Account[] = [];
  for await (const page of distinctPages(paginateListAccountsForParent({ client }, { ParentId: parent }), 'NextToken')) accounts.push(...(page.Accounts ?? []));
  const children: string[] = [];
  for await (const page of distinctPages(paginateListChildren({ client }, { ParentId: parent, ChildType: 'ORGANIZATIONAL_UNIT' }), 'NextToken')) {
    for (const child of page.Children ?? []) if (child.Id) children.push(child.Id);
  }
  for (const child of children) accounts.push(...(await accountsUnder(client, child)));
  return accounts;
}

/** `State` replaces the deprecated `Status`; either says ACTIVE for an account that can be scanned. */
function isActive(account: Account): boolean {
  const state = (account as Account & { State?: string }).State;
  return state !== undefined ? state === 'ACTIVE' : account.Status === 'ACTIVE';
}
