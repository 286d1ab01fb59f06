import crypto from 'crypto';
import path from 'path';
import type { Location as SarifLocation, Log, ReportingDescriptor, Result } from 'sarif';
import type { RuleInfo } from '../engine/findings';
import type { Severity } from '../engine/settings';
import type { Report, ReportFinding, ScanResult } from '../results/scan-result';
import type { RenderContext, Reporter } from './reporter';

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub code scanning ranks security results by this score (critical > 9, high 7-8.9, ...). */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

/** SARIF 2.1.0 for code scanning: every evaluated rule in the driver, one result per finding. */
export const sarifReporter: Reporter = {
  render(result: ScanResult, context: RenderContext): string {
    const { report } = result;
    const ruleIndex = new Map(result.rules.map((rule, index) => [rule.id, index]));
    const log: Log = {
      $schema: SCHEMA_URI,
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'sescheck',
              version: report.tool.version,
              semanticVersion: report.tool.version,
              rules: result.rules.map(toDescriptor),
            },
          },
          results: withFingerprints(report.findings).map(([finding, print]) =>
            toResult(finding, print, ruleIndex.get(finding.rule_id), result, context),
          ),
          properties: {
            input: report.input,
            summary: report.summary,
            ...(report.expired_waivers ? { expired_waivers: report.expired_waivers } : {}),
            ...(report.baseline ? { baseline: report.baseline } : {}),
          },
        },
      ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
  },
};

function toDescriptor(rule: RuleInfo): ReportingDescriptor {
  const remediation = rule.remediation.trim();
  const links = rule.links.map((link) => `- ${link}`).join('\n');
  const helpText = [rule.description.trim(), remediation && `Remediation: ${remediation}`, links && `References:\n${links}`]
    .filter(Boolean)
    .join('\n\n');
  const helpMarkdown = [
    rule.description.trim(),
    remediation && `**Remediation:** ${remediation}`,
    rule.links.length > 0 && `**References:**\n${rule.links.map((link) => `- <${link}>`).join('\n')}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const securitySeverity = SECURITY_SEVERITY[rule.severity];
  return {
    id: rule.id,
    name: pascalCase(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description.trim() || rule.title },
    help: { text: helpText || rule.title, markdown: helpMarkdown || rule.title },
    ...(rule.links[0] ? { helpUri: rule.links[0] } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'logging', rule.group],
      precision: 'high',
      severity: rule.severity,
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
    },
  };
}

function toResult(
  finding: ReportFinding,
  print: string,
  ruleIndex: number | undefined,
  scan: ScanResult,
  context: RenderContext,
): Result {
  const { report } = scan;
  const unknown = finding.status === 'unknown';
  const result: Result = {
    ruleId: finding.rule_id,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    // An undecided check is not a violation: shown as a note, whatever the rule's severity.
    level: unknown ? 'note' : LEVEL[finding.severity],
    message: { text: unknown ? `Unknown: ${finding.message}` : finding.message },
    locations: locationsOf(finding, report, scan.stackFiles, context),
    partialFingerprints: { 'sescheckFinding/v1': print },
    ...(finding.baseline !== undefined ? { baselineState: finding.baseline } : {}),
    properties: {
      status: finding.status,
      severity: finding.severity,
      resource: finding.resource,
      region: finding.region,
      ...(finding.stack !== undefined ? { stack: finding.stack } : {}),
      ...(finding.waiver ? { waiver: finding.waiver } : {}),
    },
  };
  if (finding.waiver) {
    result.suppressions = [
      { kind: 'external', status: 'accepted', justification: `${finding.waiver.reason} (waived until ${finding.waiver.expires})` },
    ];
  }
  return result;
}

/** The finding's .tf/.tf.json file and line when the input knows them, else the input file. */
function locationsOf(finding: ReportFinding, report: Report, stackFiles: ScanResult['stackFiles'], context: RenderContext): SarifLocation[] {
  const logical = [{ fullyQualifiedName: finding.resource, kind: 'resource' }];
  const file = finding.location?.file ?? inputFile(finding, report, stackFiles);
  if (file === undefined) return [{ logicalLocations: logical }];
  const line = finding.location?.file !== undefined ? finding.location.line : undefined;
  return [
    {
      physicalLocation: {
        artifactLocation: { uri: toUri(file, context.cwd) },
        ...(line !== undefined ? { region: { startLine: line } } : {}),
      },
      logicalLocations: logical,
    },
  ];
}

/** The file the finding's stack was read from, else the input file; none for stdin or a live account. */
function inputFile(finding: ReportFinding, report: Report, stackFiles: ScanResult['stackFiles']): string | undefined {
  if (report.input.kind === 'live') return undefined;
  const file = (finding.stack !== undefined ? stackFiles[finding.stack] : undefined) ?? report.input.path;
  return file === '-' ? undefined : file;
}

/** A relative URI (forward slashes, percent-encoded) so code scanning resolves it in the repository. */
function toUri(file: string, cwd: string): string {
  const relative = path.isAbsolute(file) ? path.relative(cwd, file) : file;
  return relative.split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
}

/**
 * Stable across runs: what the finding is about (rule, resource, stack), not its wording or
 * position; a second finding about the same thing gets its occurrence number (findings are sorted).
 */
function withFingerprints(findings: ReportFinding[]): [ReportFinding, string][] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const subject = JSON.stringify([finding.rule_id, finding.resource, finding.stack ?? null]);
    const occurrence = seen.get(subject) ?? 0;
    seen.set(subject, occurrence + 1);
    const key = occurrence === 0 ? subject : `${subject}#${occurrence}`;
    return [finding, crypto.createHash('sha256').update(key).digest('hex')];
  });
}

function pascalCase(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}
