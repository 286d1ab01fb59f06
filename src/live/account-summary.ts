import type { Posture } from '../posture/types';
import type { Report } from '../report/report';

/** What a scan of several accounts says about each: its findings, and the calls that failed. */
export interface AccountSummary {
  account: string;
  fail: number;
  unknown: number;
  waived: number;
  /** Calls that failed (denied, region not enabled, throttled...): each left something unknown. */
  faults: number;
  /** Why the account could not be read at all (its role could not be assumed or used). */
  notScanned?: string;
}

/** One summary per scanned account, in the order scanned. */
export function summarizeAccounts(postures: readonly Posture[], report: Report): AccountSummary[] {
  return postures.map((posture) => {
    const account = posture.source.path.replace(/^aws:\/\//, '');
    const findings = report.findings.filter((finding) => finding.account === account);
    const count = (status: string) => findings.filter((finding) => finding.status === status).length;
    const bootstrap = posture.notes.find((note) => note.api === 'GetCallerIdentity');
    const summary: AccountSummary = { account, fail: count('fail'), unknown: count('unknown'), waived: count('waived'), faults: posture.notes.filter((note) => note.api !== null).length };
    if (bootstrap) summary.notScanned = bootstrap.message;
    return summary;
  });
}

/** The summary as stderr lines: one per account, the accounts not scanned called out. */
export function summaryLines(summaries: readonly AccountSummary[]): string[] {
  const scanned = summaries.filter((s) => !s.notScanned).length;
  const lines = [`${summaries.length} account(s): ${scanned} scanned, ${summaries.length - scanned} not scanned`];
  for (const s of summaries) {
    const counts = `${s.fail} fail, ${s.unknown} unknown, ${s.waived} waived`;
    lines.push(s.notScanned ? `  ${s.account}  NOT SCANNED, every check unknown (${counts}): ${s.notScanned}` : `  ${s.account}  ${counts}; ${s.faults} failed call(s)`);
  }
  return lines;
}
