import { readBaseline } from '../engine/baseline';
import { ConfigError } from '../errors';
// scan-context holds no AWS SDK: its limits describe the options; the collectors load in the handler.
import { DEFAULT_TIME_LIMITS, timeLimits, type ScanHooks, type TimeLimits } from '../live/scan-context';
import { isRoleArn, partitionOfRegion } from '../posture/arn';
import type { Posture } from '../posture/types';
import type { Cli } from './global-options';
import { runHandler } from './run';
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
}

/** `sescheck live`: reads one account (or a list) and reports like plan and config do. */
export async function scanLive(options: LiveScanOptions): Promise<number> {
  // The AWS SDK is loaded only here: plan, config and rules never pay for it.
  const [{ readAccountList }, { collectAccount }, { credentialsFor, roleArnFor }, { ScanProgress }, { isRegionName }, { mapLimit }] = await Promise.all([
    import('../live/accounts'),
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
  const accounts = options.accountsFile !== undefined ? readAccountList(options.accountsFile) : [undefined];
  const limits = timeLimits(options);

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
    postures = await mapLimit(accounts, ACCOUNT_CONCURRENCY, async (account) => {
      const roleArn = account !== undefined ? roleArnFor(account, options.roleName as string, partitionOfRegion(options.regions[0] ?? 'us-east-1')) : options.roleArn;
      const posture = await collectAccount({
        regions: options.allRegions ? 'all' : options.regions,
        credentials: credentialsFor({ profile: options.profile, roleArn, externalId: options.externalId, endpointUrl: options.endpointUrl, limits }),
        endpointUrl: options.endpointUrl,
        concurrency: options.concurrency,
        limits,
        expectedAccount: account,
        hooks,
      });
      progress?.accountDone(account ?? posture.source.path.replace('aws://', ''));
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
  return reportPostures(postures, { ...options, input, baseline });
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
  if (options.roleName !== undefined && options.accountsFile === undefined) throw new ConfigError('--role-name is used with --accounts; for one role give --role-arn');
  if (options.roleArn !== undefined && !isRoleArn(options.roleArn)) {
    throw new ConfigError(`--role-arn ${options.roleArn}: not an IAM role ARN (arn:aws:iam::111122223333:role/NAME)`);
  }
  if (options.roleName !== undefined && !/^[\w+=,.@/-]{1,512}$/.test(options.roleName)) throw new ConfigError(`--role-name ${options.roleName}: not an IAM role name`);
  if (options.externalId !== undefined && options.roleArn === undefined && options.accountsFile === undefined) {
    throw new ConfigError('--external-id needs --role-arn or --accounts');
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
          .option('role-name', { type: 'string', describe: 'Role assumed in each account of --accounts' })
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
        }),
      ),
  );
}
