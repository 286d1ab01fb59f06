import { ConfigError } from '../errors';
// scan-context holds no AWS SDK: its limits describe the options; the collectors load in the handler.
import { DEFAULT_TIME_LIMITS, timeLimits, type ScanHooks, type TimeLimits } from '../live/scan-context';
import { isRoleArn, partitionOfRegion } from '../posture/arn';
import type { Posture } from '../posture/types';
import type { Cli } from './global-options';
import { readBaseline } from '../results/baseline';
import type { ScanResult } from '../results/scan-result';
import { EXIT_FINDINGS, runHandler } from './run';
import { assertOutputBeforeScan, reportOptionsFrom, reportPostures, withReportOptions, writeInputNotes, type ReportOptions } from './scan';

/** Accounts scanned at the same time; each scans its regions with `concurrency`. */
const ACCOUNT_CONCURRENCY = 2;

export interface LiveScanOptions extends Omit<ReportOptions, 'baseline'> {
  /** Regions to scan (--region); empty with allRegions. */
  regions: string[];
  /** The account's enabled regions (account:ListRegions). */
  allRegions: boolean;
  profile?: string;
  roleArn?: string;
  externalId?: string;
  /** One account id a line, or a YAML/JSON list; each account is scanned through roleName. */
  accountsFile?: string;
  roleName?: string;
  endpointUrl?: string;
  /** Regions scanned at the same time per account. */
  concurrency: number;
  /** A previous JSON report: mark findings new or unchanged and list the resolved ones. */
  baseline?: string;
  /** The exit code follows only the new findings (needs baseline). */
  failOnNew: boolean;
  /** Attempts per AWS call (adaptive retry) before throttling or a timeout counts as a fault. */
  maxAttempts?: number;
  /** Timeouts in milliseconds (--connect-timeout, --request-timeout, --call-timeout are in seconds). */
  limits?: Partial<TimeLimits>;
  /** Tests: observe calls and clients. */
  hooks?: ScanHooks;
  /** Scan every active account of the organization (listed with the base credentials) through roleName. */
  organization?: boolean;
  /** With organization: only the accounts under these OUs or roots (--ou). */
  organizationalUnits?: string[];
  /** Accounts left out of --organization or --accounts. */
  excludeAccounts?: string[];
  /** Accounts scanned at the same time (default 2). */
  accountConcurrency?: number;
  /** Send the findings (as ASFF) to each account's Security Hub with BatchImportFindings. */
  importSecurityHub?: boolean;
  /** Tests: Security Hub's retry wait. */
  importRetryDelayMs?: number;
}

/** `sescheck live`: reads one account (or a list) and reports like plan and config do. */
export async function scanLive(options: LiveScanOptions): Promise<number> {
  // The AWS SDK is loaded only here: plan, config and rules never pay for it.
  const [{ collectAccount }, { credentialsFor, roleArnFor }, { ScanProgress }, { isRegionName }, { mapLimit }] = await Promise.all([
    import('../live/collect-account'),
    import('../live/credentials'),
    import('../live/progress'),
    import('../live/regions'),
    import('../live/scan-context'),
  ]);
  checkOptions(options, isRegionName);
  const stderr = options.stderr ?? process.stderr;
  // Read before the scan, so a wrong baseline or --output fails at once rather than after it.
  const baseline = options.baseline !== undefined ? { file: options.baseline, report: readBaseline(options.baseline) } : undefined;
  assertOutputBeforeScan(options, options.baseline ? [options.baseline] : []);
  const limits = timeLimits(options);
  const accounts = await accountsToScan(options, credentialsFor);
  const credentialsByAccount = new Map<string, ReturnType<typeof credentialsFor>>();

  const showProgress = ScanProgress.wanted(Boolean(options.quiet), process.stderr) && options.stderr === undefined;
  const progress = showProgress ? new ScanProgress() : undefined;
  const hooks: ScanHooks = {
    ...options.hooks,
    onProgress: (event) => {
      options.hooks?.onProgress?.(event);
      progress?.update(event);
    },
  };
  let postures: Posture[];
  try {
    postures = await mapLimit(accounts, options.accountConcurrency ?? ACCOUNT_CONCURRENCY, async (account) => {
      const roleArn = account !== undefined ? roleArnFor(account, options.roleName as string, partitionOfRegion(homeRegion(options.regions))) : options.roleArn;
      const credentials = credentialsFor({ profile: options.profile, roleArn, externalId: options.externalId, endpointUrl: options.endpointUrl, limits });
      const posture = await collectAccount({
        regions: options.allRegions ? 'all' : options.regions,
        credentials,
        endpointUrl: options.endpointUrl,
        concurrency: options.concurrency,
        limits,
        expectedAccount: account,
        hooks,
      });
      progress?.accountDone(account ?? posture.source.path.replace('aws://', ''));
      credentialsByAccount.set(posture.source.path.replace('aws://', ''), credentials);
      return posture;
    });
  } finally {
    progress?.stop();
  }

  if (!options.quiet) writeInputNotes(postures, stderr);
  const input = {
    kind: 'live' as const,
    path: postures.length === 1 ? postures[0].source.path : `aws://${postures.map((p) => p.source.path.replace('aws://', '')).join(',')}`,
  };
  const several = accounts.length > 1 || options.organization === true;
  const onReport = several || options.importSecurityHub ? (result: ScanResult) => afterReport(result, options, stderr, credentialsByAccount) : undefined;
  return reportPostures(postures, { ...options, input, baseline, perAccount: several, onReport });
}

/** The accounts of --organization or --accounts (less --exclude-accounts), or the one of the credentials. */
async function accountsToScan(options: LiveScanOptions, credentialsFor: typeof import('../live/credentials').credentialsFor): Promise<(string | undefined)[]> {
  const excluded = new Set(options.excludeAccounts ?? []);
  let accounts: string[];
  if (options.organization) {
    const { organizationAccounts } = await import('../live/organization');
    accounts = await organizationAccounts({
      credentials: credentialsFor({ profile: options.profile, endpointUrl: options.endpointUrl }),
      endpointUrl: options.endpointUrl,
      region: organizationsRegion(options.regions),
      maxAttempts: options.maxAttempts,
      limits: timeLimits(options),
      organizationalUnits: options.organizationalUnits,
      exclude: options.excludeAccounts,
      hooks: options.hooks,
    });
  } else if (options.accountsFile !== undefined) {
    const { readAccountList } = await import('../live/accounts');
    accounts = readAccountList(options.accountsFile).filter((account) => !excluded.has(account));
  } else {
    return [undefined];
  }
  if (accounts.length === 0) throw new ConfigError(`no account to scan: ${options.organization ? 'the organization (under --ou) has no active account' : '--accounts'} left after --exclude-accounts`);
  return accounts;
}

/** The first region asked for, else the environment's: it tells the partition (role ARNs, Organizations). */
function homeRegion(regions: string[]): string {
  return regions[0] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** Organizations answers in one region of each partition. */
function organizationsRegion(regions: string[]): string {
  const first = homeRegion(regions);
  if (first.startsWith('cn-')) return 'cn-northwest-1';
  if (first.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/** After the report: the Security Hub import (each account's findings with its own credentials), then the per-account summary. */
async function afterReport(
  result: ScanResult,
  options: LiveScanOptions,
  stderr: NodeJS.WritableStream,
  credentialsByAccount: Map<string, ReturnType<typeof import('../live/credentials').credentialsFor>>,
): Promise<number> {
  let code = 0;
  if (options.importSecurityHub) {
    const [{ asffFindings }, { importToSecurityHub, importLine }] = await Promise.all([import('../report/asff'), import('../live/security-hub')]);
    const outcomes = await importToSecurityHub(asffFindings(result, options.now ?? new Date()), {
      credentialsOf: (account) => credentialsByAccount.get(account),
      accounts: new Set(credentialsByAccount.keys()),
      endpointUrl: options.endpointUrl,
      maxAttempts: options.maxAttempts,
      limits: timeLimits(options),
      retryDelayMs: options.importRetryDelayMs,
      hooks: options.hooks,
    });
    for (const outcome of outcomes) {
      const complete = outcome.fault === undefined && outcome.failed.length === 0;
      if (!complete) stderr.write(`sescheck: warning: ${importLine(outcome)}\n`);
      else if (!options.quiet) stderr.write(`sescheck: ${importLine(outcome)}\n`);
      // Findings that did not reach Security Hub are not where the team looks: the run fails.
      if (!complete) code = EXIT_FINDINGS;
    }
  }
  if (result.accounts && !options.quiet) {
    const { accountLines } = await import('../report/text');
    for (const line of accountLines(result.accounts)) stderr.write(`sescheck: ${line}\n`);
  }
  return code;
}

function checkOptions(options: LiveScanOptions, isRegionName: (name: string) => boolean): void {
  if (options.allRegions && options.regions.length > 0) throw new ConfigError('--region and --all-regions exclude each other');
  if (!options.allRegions && options.regions.length === 0) {
    throw new ConfigError('name the regions to scan with --region (repeatable) or --all-regions');
  }
  const wrong = options.regions.find((region) => !isRegionName(region));
  if (wrong !== undefined) throw new ConfigError(`--region ${wrong}: not an AWS region name (like eu-west-1)`);
  if (options.accountsFile !== undefined && options.roleArn !== undefined) throw new ConfigError('--accounts and --role-arn exclude each other: --accounts assumes --role-name in each account');
  if (options.accountsFile !== undefined && !options.roleName) throw new ConfigError('--accounts needs --role-name, the role to assume in each account');
  if (options.roleName !== undefined && options.accountsFile === undefined && !options.organization) throw new ConfigError('--role-name is used with --accounts or --organization; for one role give --role-arn');
  checkOrganizationOptions(options);
  if (options.roleArn !== undefined && !isRoleArn(options.roleArn)) {
    throw new ConfigError(`--role-arn ${options.roleArn}: not an IAM role ARN (arn:aws:iam::111122223333:role/NAME)`);
  }
  if (options.roleName !== undefined && !/^[\w+=,.@/-]{1,512}$/.test(options.roleName)) throw new ConfigError(`--role-name ${options.roleName}: not an IAM role name`);
  if (options.externalId !== undefined && options.roleArn === undefined && options.accountsFile === undefined && !options.organization) {
    throw new ConfigError('--external-id needs --role-arn, --accounts or --organization');
  }
  if (options.failOnNew && options.baseline === undefined) throw new ConfigError('--fail-on-new needs --baseline');
  if (options.endpointUrl !== undefined && !isHttpUrl(options.endpointUrl)) {
    throw new ConfigError(`--endpoint-url ${options.endpointUrl}: not an http(s) URL`);
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 32) {
    throw new ConfigError(`--concurrency ${options.concurrency}: give a whole number from 1 to 32`);
  }
  const { maxAttempts, connectTimeoutMs, requestTimeoutMs, callTimeoutMs } = timeLimits(options);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) throw new ConfigError(`--max-attempts ${maxAttempts}: give a whole number from 1 to 10`);
  for (const [option, ms] of [['--connect-timeout', connectTimeoutMs], ['--request-timeout', requestTimeoutMs], ['--call-timeout', callTimeoutMs]] as const) {
    if (!Number.isFinite(ms) || ms < 10 || ms > 3_600_000) throw new ConfigError(`${option} ${ms / 1000}: give seconds from 0.01 to 3600`);
  }
}

/** Seconds from the command line as milliseconds; a repeated or non-numeric value is refused. */
function milliseconds(option: string, seconds: unknown): number | undefined {
  if (seconds === undefined) return undefined;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw new ConfigError(`${option} ${String(seconds)}: give a number of seconds`);
  return Math.round(seconds * 1000);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

function checkOrganizationOptions(options: LiveScanOptions): void {
  const ous = options.organizationalUnits ?? [];
  const excluded = options.excludeAccounts ?? [];
  if (options.organization && options.accountsFile !== undefined) throw new ConfigError('--organization and --accounts exclude each other');
  if (options.organization && options.roleArn !== undefined) throw new ConfigError('--organization and --role-arn exclude each other: --organization assumes --role-name in each account');
  if (options.organization && !options.roleName) throw new ConfigError('--organization needs --role-name, the role to assume in each account');
  if (ous.length > 0 && !options.organization) throw new ConfigError('--ou needs --organization');
  if (excluded.length > 0 && !options.organization && options.accountsFile === undefined) throw new ConfigError('--exclude-accounts needs --organization or --accounts');
  const wrongOu = ous.find((id) => !/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/.test(id));
  if (wrongOu !== undefined) throw new ConfigError(`--ou ${wrongOu}: not an organizational unit id (ou-ab12-cd34ef56) or root id (r-ab12)`);
  const wrongAccount = excluded.find((id) => !/^\d{12}$/.test(id));
  if (wrongAccount !== undefined) throw new ConfigError(`--exclude-accounts ${wrongAccount}: not a 12-digit AWS account id`);
  const accountConcurrency = options.accountConcurrency ?? ACCOUNT_CONCURRENCY;
  if (!Number.isInteger(accountConcurrency) || accountConcurrency < 1 || accountConcurrency > 32) {
    throw new ConfigError(`--account-concurrency ${accountConcurrency}: give a whole number from 1 to 32`);
  }
}

/** `--region a --region b` and `--region a,b` mean the same. */
function list(values: string | string[] | undefined): string[] {
  if (values === undefined) return [];
  return ([] as string[]).concat(values).flatMap((value) => String(value).split(',')).map((v) => v.trim()).filter(Boolean);
}

export function liveCommand(cli: Cli): Cli {
  return cli.command(
    'live',
    'Check a live AWS account (or a list of accounts) with read-only API calls',
    (command) =>
      withReportOptions(
        command
          .option('region', { type: 'string', coerce: list, describe: 'Region to scan (repeatable, or comma-separated)' })
          .option('all-regions', { type: 'boolean', default: false, describe: "Scan the account's enabled regions" })
          .option('profile', { type: 'string', describe: 'AWS profile for the base credentials (default: the SDK chain)' })
          .option('role-arn', { type: 'string', describe: 'Role to assume for the scan' })
          .option('external-id', { type: 'string', describe: 'External id for the role' })
          .option('accounts', { type: 'string', describe: 'File of account ids (one a line, or a YAML/JSON list); needs --role-name' })
          .option('role-name', { type: 'string', describe: 'Role assumed in each account of --accounts or --organization' })
          .option('organization', { type: 'boolean', default: false, describe: "Scan the organization's active accounts (listed with the base credentials); needs --role-name" })
          .option('ou', { type: 'string', coerce: list, describe: 'With --organization: only the accounts under this OU or root, at any depth (repeatable)' })
          .option('exclude-accounts', { type: 'string', coerce: list, describe: 'Account ids left out of --organization or --accounts (comma-separated)' })
          .option('account-concurrency', { type: 'number', default: ACCOUNT_CONCURRENCY, describe: 'Accounts scanned at the same time' })
          .option('import-security-hub', { type: 'boolean', default: false, describe: "Send the findings (ASFF) to each account's Security Hub" })
          .option('endpoint-url', { type: 'string', describe: 'One endpoint for every AWS call (tests, private endpoints)' })
          .option('concurrency', { type: 'number', default: 4, describe: 'Regions scanned at the same time per account' })
          .option('connect-timeout', { type: 'number', describe: `Seconds to open a connection to AWS, per attempt (default ${DEFAULT_TIME_LIMITS.connectTimeoutMs / 1000})` })
          .option('request-timeout', { type: 'number', describe: `Seconds for an answer to begin, and the longest pause in one, per attempt (default ${DEFAULT_TIME_LIMITS.requestTimeoutMs / 1000})` })
          .option('max-attempts', { type: 'number', describe: `Attempts per AWS call before throttling or a timeout counts as unknown (default ${DEFAULT_TIME_LIMITS.maxAttempts})` })
          .option('call-timeout', { type: 'number', describe: `Seconds for one AWS call with all its attempts (default ${DEFAULT_TIME_LIMITS.callTimeoutMs / 1000})` })
          .option('baseline', { type: 'string', describe: 'A previous JSON report: mark findings new or unchanged, list resolved ones' })
          .option('fail-on-new', { type: 'boolean', default: false, describe: 'Exit 1 only for new findings (with --baseline)' }),
      ),
    (argv) =>
      runHandler(() =>
        scanLive({
          ...reportOptionsFrom(argv),
          regions: (argv.region as unknown as string[] | undefined) ?? [],
          allRegions: argv['all-regions'],
          profile: argv.profile,
          roleArn: argv['role-arn'],
          externalId: argv['external-id'],
          accountsFile: argv.accounts,
          roleName: argv['role-name'],
          endpointUrl: argv['endpoint-url'],
          concurrency: argv.concurrency,
          maxAttempts: argv['max-attempts'],
          limits: {
            connectTimeoutMs: milliseconds('--connect-timeout', argv['connect-timeout']),
            requestTimeoutMs: milliseconds('--request-timeout', argv['request-timeout']),
            callTimeoutMs: milliseconds('--call-timeout', argv['call-timeout']),
          },
          baseline: argv.baseline,
          failOnNew: argv['fail-on-new'],
          organization: argv.organization,
          organizationalUnits: (argv.ou as unknown as string[] | undefined) ?? [],
          excludeAccounts: (argv['exclude-accounts'] as unknown as string[] | undefined) ?? [],
          accountConcurrency: argv['account-concurrency'],
          importSecurityHub: argv['import-security-hub'],
        }),
      ),
  );
}
