/**
 * The account of each resource of a Terraform input. A provider configuration's credentials decide
 * the account: configurations that set no credentials of their own share the environment's (one
 * account, unnamed unless something names it); one that assumes a role or names its only allowed
 * account is in that account; one with other credentials of its own (a profile, keys) is in an
 * account of its own, unnamed. Any resource ARN the input knows names the account of its group.
 */
import { accountOfArn } from '../../posture/arn';
import type { ResourceInstance } from './instance';

/** Provider arguments that change which credentials, hence which account, a configuration uses. */
const CREDENTIAL_ARGUMENTS = [
  'access_key', 'secret_key', 'token', 'profile', 'shared_config_files', 'shared_credentials_files',
  'assume_role', 'assume_role_with_web_identity',
];

/** What a provider configuration says of its account: the credentials group and the account it names. */
export interface ProviderAccount {
  /** Resources of configurations with the same group are in the same account. */
  group: string;
  account: string | null;
  /** Why the account is not known, when it is null and the configuration has credentials of its own. */
  unknown?: string;
}

export const ENVIRONMENT_ACCOUNT: ProviderAccount = { group: 'environment', account: null };

/**
 * The account a provider configuration names; `argument(name)` gives an argument's evaluated value
 * (undefined when not set, a non-string when not evaluated).
 */
export function providerAccount(key: string, argument: (name: string) => unknown): ProviderAccount {
  const named = namedAccount(argument('assume_role')) ?? onlyAllowedAccount(argument('allowed_account_ids'));
  if (named) return { group: `account ${named}`, account: named };
  const own = CREDENTIAL_ARGUMENTS.filter((name) => argument(name) !== undefined);
  if (own.length === 0) return ENVIRONMENT_ACCOUNT;
  return {
    group: `provider ${key}`,
    account: null,
    unknown: `provider ${key} has credentials of its own (${own.join(', ')}) and names no account`,
  };
}

function namedAccount(assumeRole: unknown): string | null {
  const blocks = Array.isArray(assumeRole) ? assumeRole : [assumeRole];
  const roles = blocks.map((block) => (typeof block === 'object' && block !== null ? (block as Record<string, unknown>).role_arn : undefined));
  // The last role of a chain is the one the resources are created with.
  return roles.length ? accountOfArn(roles[roles.length - 1]) : null;
}

function onlyAllowedAccount(allowed: unknown): string | null {
  return Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === 'string' && /^\d{12}$/.test(allowed[0]) ? allowed[0] : null;
}

/** Sets each instance's account from its provider's group, naming a group by any ARN of its resources (`arnOf`: its ARN, by default values.arn). */
export function assignAccounts<T extends ResourceInstance & { providerAccount: ProviderAccount }>(instances: T[], arnOf: (instance: T) => unknown = (instance) => instance.values.arn): void {
  const fromArns = new Map<string, Set<string>>();
  // Indexed loops over every instance of the input (a for-of allocates an iterator result per element in unoptimized code).
  for (let i = 0; i < instances.length; i++) {
    const instance = instances[i];
    const arn = arnOf(instance);
    // Most ARNs of a plan are known only after apply: nothing to parse.
    if (typeof arn !== 'string') continue;
    const account = accountOfArn(arn);
    if (account) fromArns.set(instance.providerAccount.group, (fromArns.get(instance.providerAccount.group) ?? new Set()).add(account));
  }
  // Every instance of a provider configuration gets the same account: worked out once per configuration (most share the environment's).
  const byProvider = new Map<ProviderAccount, { account: string | null; unknown?: string }>();
  for (let i = 0; i < instances.length; i++) {
    const instance = instances[i];
    const provider = instance.providerAccount;
    let found = byProvider.get(provider);
    if (found === undefined) byProvider.set(provider, (found = accountOfGroup(provider, fromArns)));
    instance.account = found.account;
    if (found.unknown !== undefined) instance.accountUnknown = found.unknown;
  }
}

/** The account of a provider configuration's resources, from what it names or the ARNs of its group's resources. */
function accountOfGroup(provider: ProviderAccount, fromArns: Map<string, Set<string>>): { account: string | null; unknown?: string } {
  const { group, account, unknown } = provider;
  if (account) return { account };
  const seen = [...(fromArns.get(group) ?? [])].sort();
  if (seen.length === 1) return { account: seen[0] };
  if (seen.length > 1) return { account: null, unknown: `the resources of ${group} name several accounts (${seen.join(', ')})` };
  return unknown ? { account: null, unknown } : { account: null };
}
