import type { Posture } from '../posture/types';
import type { AccountSummary, ReportFinding } from './scan-result';

/** One summary per scanned account, in the order scanned: its findings, and the calls that failed. */
export function summarizeAccounts(postures: readonly Posture[], findings: readonly ReportFinding[]): AccountSummary[] {
  return postures.map((posture) => {
    const account = posture.source.path.replace(/^aws:\/\//, '');
    const own = findings.filter((finding) => finding.account === account);
    const count = (status: string) => own.filter((finding) => finding.status === status).length;
    const bootstrap = posture.notes.find((note) => note.api === 'GetCallerIdentity');
    const summary: AccountSummary = { account, fail: count('fail'), unknown: count('unknown'), waived: count('waived'), faults: posture.notes.filter((note) => note.api !== null).length };
    if (bootstrap) summary.notScanned = bootstrap.message;
    return summary;
  });
}
