/**
 * The scheduled scan's Lambda function: scans one account (the Step Functions map item) through
 * its role, compares with the previous report kept in the bucket, writes the JSON and SARIF
 * reports, and says whether there are new failing findings (the state machine then notifies).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { reportPostures } from '../cli/scan';
import { readBaseline } from '../engine/baseline';
import { UserError } from '../errors';
import { collectAccount } from '../live/collect-account';
import { credentialsFor, roleArnFor } from '../live/credentials';
import { isNotFound } from '../live/faults';
import type { ScanHooks } from '../live/scan-context';
import { partitionOfRegion } from '../posture/arn';
import type { ScanResult } from '../report/report';
import { reporterFor } from '../report/reporter';

/** One item of the Distributed Map: the account to scan and how. */
export interface ScanAccountEvent {
  accountId: string;
  /** The role assumed in the account (the member-account stack creates it). */
  roleName: string;
  /** Regions to scan, or 'all' for the account's enabled regions. */
  regions: string[] | 'all';
  externalId?: string;
  /** Also send the findings (ASFF, resolved ones archived) to the account's Security Hub, with the account's role. */
  importSecurityHub?: boolean;
}

export interface ScanAccountSettings {
  /** The bucket the reports go to (REPORT_BUCKET). */
  bucket: string;
  /** Key prefix (REPORT_PREFIX, default `sescheck`): reports under `<prefix>/<account>/`. */
  prefix?: string;
  /** One endpoint for every AWS call (tests). */
  endpointUrl?: string;
  /** The run's time: names the report objects. */
  now?: Date;
  maxAttempts?: number;
  hooks?: ScanHooks;
}

/** What the state machine gets back for the account. */
export interface ScanAccountResult {
  accountId: string;
  fail: number;
  unknown: number;
  /** Failing findings that the previous report did not have (all of them on the first run). */
  newFailing: number;
  /** The rule and resource of each new failing finding (at most 50), for the notification. */
  newFailingFindings: string[];
  /** No previous report was found: everything is new. */
  firstRun: boolean;
  /** Why the account could not be read at all (its role could not be assumed or used): every check is unknown. */
  notScanned?: string;
  jsonKey: string;
  sarifKey: string;
  /** With importSecurityHub: findings imported, and what could not be (region and reason). */
  securityHub?: { imported: number; problems: string[] };
}

/** Scans the account, writes `<prefix>/<account>/<time>/report.{json,sarif}` and `<prefix>/<account>/latest.json`. */
export async function scanAccountToBucket(event: ScanAccountEvent, settings: ScanAccountSettings): Promise<ScanAccountResult> {
  if (!/^\d{12}$/.test(event.accountId ?? '')) throw new UserError(`accountId ${JSON.stringify(event.accountId)}: not a 12-digit AWS account id`);
  const prefix = (settings.prefix ?? 'sescheck').replace(/\/+$/, '');
  const now = settings.now ?? new Date();
  const s3 = new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: settings.endpointUrl, forcePathStyle: settings.endpointUrl !== undefined, maxAttempts: settings.maxAttempts });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-'));
  try {
    const latestKey = `${prefix}/${event.accountId}/latest.json`;
    const previous = await readObject(s3, settings.bucket, latestKey);
    let baseline: { file: string; report: ReturnType<typeof readBaseline> } | undefined;
    if (previous !== null) {
      const file = path.join(work, 'previous.json');
      fs.writeFileSync(file, previous);
      baseline = { file: `s3://${settings.bucket}/${latestKey}`, report: readBaseline(file) };
    }

    // The role is in the function's own partition (aws-cn, aws-us-gov... as well as aws).
    const partition = partitionOfRegion(process.env.AWS_REGION ?? 'us-east-1');
    const credentials = credentialsFor({ roleArn: roleArnFor(event.accountId, event.roleName, partition), externalId: event.externalId, endpointUrl: settings.endpointUrl });
    const posture = await collectAccount({
      regions: event.regions,
      credentials,
      endpointUrl: settings.endpointUrl,
      expectedAccount: event.accountId,
      maxAttempts: settings.maxAttempts,
      hooks: settings.hooks,
    });
    let result: ScanResult | undefined;
    const jsonFile = path.join(work, 'report.json');
    await reportPostures([posture], {
      format: 'json', output: jsonFile, failOn: 'none', quiet: true, baseline, now, cwd: work,
      stderr: { write: (text: string) => process.stderr.write(text) } as NodeJS.WritableStream,
      onReport: async (scanned) => {
        result = scanned;
      },
    });
    if (!result) throw new Error('the report was not built');
    const json = fs.readFileSync(jsonFile, 'utf8');
    const sarif = (await reporterFor('sarif')).render(result, { color: false, width: 80, cwd: work, now });

    const run = `${prefix}/${event.accountId}/${now.toISOString().replace(/[:.]/g, '-')}`;
    const jsonKey = `${run}/report.json`;
    const sarifKey = `${run}/report.sarif`;
    await putObject(s3, settings.bucket, jsonKey, json, 'application/json');
    await putObject(s3, settings.bucket, sarifKey, sarif, 'application/sarif+json');
    const notScanned = posture.notes.find((note) => note.api === 'GetCallerIdentity')?.message;
    // Written last: a run that fails before here, or an account that could not be read, leaves the previous baseline in place.
    if (notScanned === undefined) await putObject(s3, settings.bucket, latestKey, json, 'application/json');

    const { findings, summary } = result.report;
    const newFailing = findings.filter((f) => f.status === 'fail' && (baseline === undefined || f.baseline === 'new'));
    const securityHub = event.importSecurityHub ? await importFindings(result, now, credentials, settings) : undefined;
    return {
      ...(securityHub ? { securityHub } : {}),
      accountId: event.accountId,
      fail: summary.fail,
      unknown: summary.unknown,
      newFailing: newFailing.length,
      newFailingFindings: newFailing.slice(0, 50).map((f) => `${f.rule_id} ${f.resource}`),
      firstRun: baseline === undefined,
      ...(notScanned !== undefined ? { notScanned } : {}),
      jsonKey,
      sarifKey,
    };
  } finally {
    s3.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The account's findings to its Security Hub; failures are reported in the result, the reports being written already. */
async function importFindings(
  result: ScanResult,
  now: Date,
  credentials: ReturnType<typeof credentialsFor>,
  settings: ScanAccountSettings,
): Promise<{ imported: number; problems: string[] }> {
  const [{ asffFindings }, { importToSecurityHub, importLine }] = await Promise.all([import('../report/asff'), import('../live/security-hub')]);
  const outcomes = await importToSecurityHub(asffFindings(result, now), {
    credentialsOf: () => credentials,
    endpointUrl: settings.endpointUrl,
    maxAttempts: settings.maxAttempts,
    hooks: settings.hooks,
  });
  return {
    imported: outcomes.reduce((sum, o) => sum + o.imported, 0),
    problems: outcomes.filter((o) => o.fault !== undefined || o.failed.length > 0).map(importLine),
  };
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string | null> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString('utf8')) ?? null;
  } catch (error) {
    if (isNotFound(error, 'NoSuchKey')) return null;
    throw error;
  }
}

async function putObject(s3: S3Client, bucket: string, key: string, body: string, contentType: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}

/** The Lambda entry point: settings from the environment (REPORT_BUCKET, REPORT_PREFIX). */
export async function handler(event: ScanAccountEvent): Promise<ScanAccountResult> {
  const bucket = process.env.REPORT_BUCKET;
  if (!bucket) throw new UserError('REPORT_BUCKET is not set');
  return scanAccountToBucket(event, { bucket, prefix: process.env.REPORT_PREFIX });
}

/** The state machine's first step: the organization's active accounts, one map item each. */
export interface ListAccountsEvent {
  roleName: string;
  regions: string[] | 'all';
  importSecurityHub?: boolean;
  organizationalUnits?: string[];
  excludeAccounts?: string[];
}

/** Lists the accounts with the function's own credentials (the management or delegated administrator account). */
export async function listAccounts(event: ListAccountsEvent, settings: { endpointUrl?: string } = {}): Promise<{ accounts: ScanAccountEvent[] }> {
  const { organizationAccounts } = await import('../live/organization');
  const accounts = await organizationAccounts({
    endpointUrl: settings.endpointUrl,
    organizationalUnits: event.organizationalUnits,
    exclude: event.excludeAccounts,
  });
  const item = (accountId: string): ScanAccountEvent => ({ accountId, roleName: event.roleName, regions: event.regions, ...(event.importSecurityHub ? { importSecurityHub: true } : {}) });
  return { accounts: accounts.map(item) };
}

/** Where the account list went: the Distributed Map's ItemReader reads it from there. */
export interface AccountList {
  bucket: string;
  key: string;
  count: number;
}

/** Step Functions execution names: 1-80 of letters, digits, `-` and `_`. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Lists the accounts and writes them, one map item each, to
 * `<prefix>/account-lists/<execution>.json`: an inline list would bound the organization by the
 * state machine's 256 KB payload (about 2,000 accounts); a list in S3 has no such bound.
 */
export async function listAccountsToBucket(
  event: ListAccountsEvent & { executionName: string },
  settings: { bucket: string; prefix?: string; endpointUrl?: string },
): Promise<AccountList> {
  if (!EXECUTION_NAME.test(event.executionName ?? '')) throw new UserError(`executionName must be a Step Functions execution name, got ${JSON.stringify(event.executionName)}`);
  const { accounts } = await listAccounts(event, { endpointUrl: settings.endpointUrl });
  const key = `${(settings.prefix ?? 'sescheck').replace(/\/+$/, '')}/account-lists/${event.executionName}.json`;
  const s3 = new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: settings.endpointUrl, forcePathStyle: settings.endpointUrl !== undefined });
  try {
    await putObject(s3, settings.bucket, key, JSON.stringify(accounts), 'application/json');
  } finally {
    s3.destroy();
  }
  return { bucket: settings.bucket, key, count: accounts.length };
}

/** The Lambda entry point of the account list (the second argument Lambda passes is its context, not settings). */
export async function listAccountsHandler(event: ListAccountsEvent & { executionName: string }): Promise<AccountList> {
  const bucket = process.env.REPORT_BUCKET;
  if (!bucket) throw new UserError('REPORT_BUCKET is not set');
  return listAccountsToBucket(event, { bucket, prefix: process.env.REPORT_PREFIX });
}
