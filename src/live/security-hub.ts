import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AsffFinding } from '../report/asff';
import { faultReason, isAwsFault } from './faults';
import { DEFAULT_TIME_LIMITS, boundClient, clientSettingsFor, instrumentClient, mapLimit, type AwsClient, type ScanHooks, type TimeLimits } from './scan-context';

/**
 * What `--import-security-hub` adds to the scan role of each account (not to the read-only policy):
 * with the default product, only the finding's own account may import it.
 */
export const SECURITY_HUB_IMPORT_STATEMENT = {
  Sid: 'SescheckSecurityHubImport',
  Effect: 'Allow',
  Action: ['securityhub:BatchImportFindings'],
  Resource: 'arn:aws:securityhub:*:*:product/*/default',
} as const;

/** BatchImportFindings takes at most 100 findings a call. */
export const IMPORT_BATCH_SIZE = 100;

export interface ImportOptions {
  /** The credentials of each account: with the default product, only the finding's own account may import it. */
  credentialsOf: (account: string) => AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  /**
   * The accounts credentialsOf speaks for (the ones scanned in this run); findings of any other
   * account (an organization trail's, say) are not imported: the SDK would fall back to the base
   * credentials. Default: every account.
   */
  accounts?: ReadonlySet<string>;
  endpointUrl?: string;
  /** SDK attempts per call (adaptive retry for throttling). */
  maxAttempts?: number;
  /** Connection, request and call bounds, as for the scan's own calls. */
  limits?: TimeLimits;
  /** Sends of the findings Security Hub reports as failed in a batch, the first included (default 3). */
  attempts?: number;
  /** Wait before resending failed findings, doubled each time (default 1000 ms). */
  retryDelayMs?: number;
  /** Account and region pairs imported at the same time (default 4). */
  concurrency?: number;
  hooks?: ScanHooks;
}

/** What happened to one account's findings in one region. */
export interface ImportOutcome {
  account: string;
  region: string;
  imported: number;
  /** Findings still failed after the last attempt, with Security Hub's reason. */
  failed: { id: string; reason: string }[];
  /** The call itself failed (Security Hub not enabled, access denied...): nothing was imported. */
  fault?: string;
}

/**
 * Sends findings to Security Hub, each to its account and region (the region of its ProductArn),
 * in batches of 100; the findings a batch reports as failed are sent again, a bounded number of
 * times. Faults are outcomes, not exceptions: one account's missing permission does not stop the others.
 */
export async function importToSecurityHub(findings: readonly AsffFinding[], options: ImportOptions): Promise<ImportOutcome[]> {
  const groups = new Map<string, AsffFinding[]>();
  for (const finding of findings) {
    const key = `${finding.AwsAccountId}/${finding.Region}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return mapLimit([...groups.entries()], options.concurrency ?? 4, async ([key, group]) => {
    const [account, region] = key.split('/');
    return importGroup(account, region, group, options);
  });
}

async function importGroup(account: string, region: string, findings: AsffFinding[], options: ImportOptions): Promise<ImportOutcome> {
  const limits = options.limits ?? DEFAULT_TIME_LIMITS;
  // Without this account's own credentials the SDK would fall back to the base ones: never import with those.
  if (options.accounts && !options.accounts.has(account)) {
    return { account, region, imported: 0, failed: [], fault: `no credentials of account ${account}: it was not scanned in this run, so its findings are not imported` };
  }
  const client = new SecurityHubClient({
    region,
    credentials: options.credentialsOf(account),
    endpoint: options.endpointUrl,
    ...clientSettingsFor(limits),
    maxAttempts: options.maxAttempts ?? limits.maxAttempts,
  });
  boundClient(client as unknown as AwsClient, limits);
  (client as unknown as AwsClient).middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      options.hooks?.onCall?.(context.commandName === 'BatchImportFindingsCommand' ? 'securityhub:BatchImportFindings' : `UNMAPPED:SecurityHubClient.${context.commandName}`);
      return next(args);
    },
    { step: 'initialize', name: 'sescheckRecordImportCall' },
  );
  instrumentClient(client as unknown as AwsClient, { onClient: options.hooks?.onClient }, { account, region });
  const outcome: ImportOutcome = { account, region, imported: 0, failed: [] };
  const attempts = options.attempts ?? 3;
  try {
    for (let start = 0; start < findings.length; start += IMPORT_BATCH_SIZE) {
      let batch = findings.slice(start, start + IMPORT_BATCH_SIZE);
      for (let attempt = 1; batch.length > 0; attempt++) {
        const answer = await client.send(new BatchImportFindingsCommand({ Findings: batch satisfies AwsSecurityFinding[] }));
        const failed = new Map((answer.FailedFindings ?? []).map((f) => [f.Id ?? '', `${f.ErrorCode ?? 'Error'}: ${f.ErrorMessage ?? ''}`.trim()]));
        outcome.imported += batch.length - failed.size;
        const again = batch.filter((finding) => failed.has(finding.Id));
        if (attempt >= attempts) {
          outcome.failed.push(...again.map((finding) => ({ id: finding.Id, reason: failed.get(finding.Id) as string })));
          break;
        }
        batch = again;
        if (batch.length > 0) await sleep((options.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
      }
    }
  } catch (error) {
    if (!isAwsFault(error)) throw error;
    outcome.fault = faultReason(error, { action: 'securityhub:BatchImportFindings', region });
  } finally {
    client.destroy();
  }
  return outcome;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One account and region's import for stderr: imported, failed, or the fault. */
export function importLine(outcome: ImportOutcome): string {
  const where = `account ${outcome.account} ${outcome.region}`;
  if (outcome.fault) return `Security Hub import failed for ${where} after ${outcome.imported} finding(s): ${outcome.fault}`;
  const failed = outcome.failed.length > 0 ? `, ${outcome.failed.length} failed (${outcome.failed[0].reason})` : '';
  return `Security Hub: ${where}: ${outcome.imported} finding(s) imported${failed}`;
}
