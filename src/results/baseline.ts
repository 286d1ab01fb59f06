import fs from 'fs';
import { ConfigError, fileErrorText } from '../errors';
import { lineAndColumn, syntaxErrorOffset } from '../inputs/read-json';
import type { BaselineComparison, BaselineMark, FailOn, Report, ReportFinding } from './scan-result';
import { targetKey } from './scan-result';
import { failsThreshold } from './threshold';

/** A finding of the current report, marked against the baseline. */
export type MarkedFinding = ReportFinding & { baseline: BaselineMark };

/** The JSON report with each finding marked, and the baseline's findings that are gone. */
export interface BaselineReport extends Report {
  findings: MarkedFinding[];
  baseline: BaselineComparison;
}

/** A previous JSON report given as --baseline, and the file it was read from. */
export interface Baseline {
  file: string;
  report: Report;
}

/**
 * A finding is the same one when rule, resource, stack and status are: its message may change
 * between runs (a new region named), but a fail that was unknown or waived is new.
 */
function findingKey(finding: ReportFinding): string {
  return JSON.stringify([targetKey(finding), finding.status]);
}

/** Marks each finding of `current` new or unchanged against `previous`, and lists the resolved ones. */
export function compareWithBaseline(current: Report, previous: Report, file: string): BaselineReport {
  const before = new Set(previous.findings.map(findingKey));
  const now = new Set(current.findings.map(findingKey));
  const findings: MarkedFinding[] = current.findings.map((finding) => ({
    ...finding,
    baseline: before.has(findingKey(finding)) ? 'unchanged' : 'new',
  }));
  const resolved = previous.findings.filter((finding) => !now.has(findingKey(finding)));
  return {
    ...current,
    findings,
    baseline: {
      file,
      new: findings.filter((f) => f.baseline === 'new').length,
      unchanged: findings.filter((f) => f.baseline === 'unchanged').length,
      resolved,
    },
  };
}

/** Whether the new findings alone fail the run (--fail-on-new). */
export function newFindingsFail(report: BaselineReport, failOn: FailOn, failOnUnknown: boolean): boolean {
  return failsThreshold({ ...report, findings: report.findings.filter((f) => f.baseline === 'new') }, failOn, failOnUnknown);
}

/** Where the JSON breaks, when that can be told (the scan recurses: not past thousands of levels). */
function firstSyntaxError(text: string): number | undefined {
  try {
    const offset: unknown = syntaxErrorOffset(text);
    return Number.isInteger(offset) ? (offset as number) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a previous JSON report (`--format json`); anything else is a usage error naming the file. */
export function readBaseline(file: string): Report {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read --baseline ${file}: ${fileErrorText(error)}`);
  }
  return parseBaseline(text, file);
}

/** A previous JSON report from its text; `file` names it in errors. */
export function parseBaseline(text: string, file: string): Report {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const where = firstSyntaxError(text);
    const at = where === undefined ? 'a syntax error' : where >= text.trimEnd().length ? 'it ends early' : `line ${lineAndColumn(text, where).line}, column ${lineAndColumn(text, where).column}`;
    throw new ConfigError(`--baseline ${file} is not JSON (${at}); write it with --format json`);
  }
  const report = parsed as Partial<Report>;
  if (typeof parsed !== 'object' || parsed === null || report.version !== 1 || !Array.isArray(report.findings)) {
    throw new ConfigError(`--baseline ${file} is not a sescheck JSON report (version 1 with findings); write it with --format json`);
  }
  report.findings.forEach((finding, index) => {
    const f = (typeof finding === 'object' && finding !== null ? finding : {}) as Partial<ReportFinding>;
    if (f.stack !== undefined && typeof f.stack !== 'string') throw new ConfigError(`--baseline ${file}: finding ${index + 1} has a stack that is not a string`);
    if (typeof f.rule_id !== 'string' || typeof f.resource !== 'string' || typeof f.status !== 'string') {
      throw new ConfigError(`--baseline ${file}: finding ${index + 1} has no rule_id, resource or status`);
    }
  });
  return report as Report;
}
