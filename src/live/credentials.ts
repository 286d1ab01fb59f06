import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { buildArn, parseArn, partitionHomeRegion } from '../posture/arn';
import { DEFAULT_TIME_LIMITS, clientSettingsFor, type TimeLimits } from './scan-context';

export interface CredentialOptions {
  profile?: string;
  /** A role to assume with the base credentials (from the profile or the default chain). */
  roleArn?: string;
  externalId?: string;
  /** Also used for STS when assuming the role. */
  endpointUrl?: string;
  /** Timeouts and attempts of the STS client that assumes the role (default: DEFAULT_TIME_LIMITS). */
  limits?: TimeLimits;
}

/** The credentials a scan uses: the profile or the default chain, then the role if one is named. */
export function credentialsFor(options: CredentialOptions): AwsCredentialIdentityProvider {
  const base = options.profile ? fromIni({ profile: options.profile }) : fromNodeProviderChain();
  if (!options.roleArn) return base;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: options.roleArn,
      RoleSessionName: 'sescheck-live',
      ...(options.externalId ? { ExternalId: options.externalId } : {}),
      DurationSeconds: 3600,
    },
    // STS in the role's partition: us-east-1 cannot assume a role of aws-cn or aws-us-gov.
    clientConfig: {
      region: partitionHomeRegion(parseArn(options.roleArn)?.partition ?? 'aws'),
      ...clientSettingsFor(options.limits ?? DEFAULT_TIME_LIMITS),
      ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    },
  });
}

/** The role to assume in each account of an account list. */
export function roleArnFor(account: string, roleName: string, partition = 'aws'): string {
  return buildArn({ partition, service: 'iam', region: '', account, resource: `role/${roleName}` });
}
