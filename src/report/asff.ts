import { createHash } from 'crypto';
import type { RuleInfo } from '../engine/findings';
import type { Severity } from '../engine/settings';
import { ConfigError } from '../errors';
import type { Report, ReportFinding, ScanResult } from '../results/scan-result';
import type { RenderContext, Reporter } from './reporter';

/**
 * AWS Security Finding Format (ASFF) 2018-10-08: the findings of a live scan as Security Hub
 * imports them (BatchImportFindings, or `aws securityhub batch-import-findings --findings file://…`).
 * Each finding goes to its own account's default product in its region, with an Id stable across
 * runs, so a rerun updates it; findings resolved since the baseline are archived as PASSED.
 */

export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** The ASFF fields sescheck fills (a subset of AwsSecurityFinding; the names are AWS's). */
export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  ProductName: string;
  CompanyName: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  LastObservedAt: string;
  Severity: { Label: AsffSeverity; Original: string };
  FindingProviderFields: { Severity: { Label: AsffSeverity; Original: string }; Types: string[] };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url?: string } };
  ProductFields: Record<string, string>;
  Resources: { Type: string; Id: string; Partition: AsffPartition; Region: string }[];
  Compliance: { Status: 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE' };
  Workflow?: { Status: 'NEW' | 'SUPPRESSED' };
  RecordState: 'ACTIVE' | 'ARCHIVED';
}

export type AsffSeverity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
type AsffPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** The finding type: checks of a configuration against a standard (ASFF namespace/category). */
export const ASFF_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards';

const SEVERITY_LABEL: Record<Severity, AsffSeverity> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' };
/** Where Security Hub receives the findings of a partition's account-wide resources (no region of their own). */
const HOME_REGION: Record<AsffPartition, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };
const LIMITS = { id: 512, title: 256, description: 1024, recommendation: 512 };

export const asffReporter: Reporter = {
  render(result: ScanResult, context: RenderContext): string {
    return `${JSON.stringify(asffFindings(result, context.now ?? new Date()), null, 2)}\n`;
  },
};

/** The report's findings as ASFF, then the baseline's resolved findings as archived passes. */
export function asffFindings(result: ScanResult, now: Date): AsffFinding[] {
  const { report } = result;
  // Plan and configuration findings have no account (Terraform leaves it unknown), and ASFF needs one.
  if (report.input.kind !== 'live') {
    throw new ConfigError(`--format asff needs the AWS account of each finding: use it with \`sescheck live\` (the input is ${report.input.kind})`);
  }
  const rules = new Map(result.rules.map((rule) => [rule.id, rule]));
  const time = now.toISOString();
  const byId = new Map<string, AsffFinding>();
  for (const finding of report.findings) {
    const asff = toAsff(finding, rules.get(finding.rule_id), report, time, 'active');
    if (!asff) throw new Error(`finding ${finding.rule_id} ${finding.resource} has no account`);
    const same = byId.get(asff.Id);
    // Two findings of one rule on one resource are one Security Hub finding: the worse status, both messages.
    byId.set(asff.Id, same ? merge(same, asff) : asff);
  }
  for (const finding of report.baseline?.resolved ?? []) {
    const asff = toAsff(finding, rules.get(finding.rule_id), report, time, 'resolved');
    if (asff && !byId.has(asff.Id)) byId.set(asff.Id, asff);
  }
  return [...byId.values()];
}

function toAsff(finding: ReportFinding, rule: RuleInfo | undefined, report: Report, time: string, state: 'active' | 'resolved'): AsffFinding | null {
  const account = finding.account ?? accountOf(finding.resource, report.input.path);
  if (!account) return null;
  const partition = partitionOf(finding.resource);
  const region = finding.region ?? HOME_REGION[partition];
  const resolved = state === 'resolved';
  const severity = { Label: resolved ? ('INFORMATIONAL' as const) : SEVERITY_LABEL[finding.severity], Original: finding.severity };
  const waiver = finding.waiver ? ` Waived until ${finding.waiver.expires}: ${finding.waiver.reason}` : '';
  const description = resolved ? `Resolved since the previous scan: ${finding.message}` : `${finding.status === 'unknown' ? 'Unknown: ' : ''}${finding.message}${waiver}`;
  const recommendation: AsffFinding['Remediation']['Recommendation'] = { Text: clip(finding.remediation || rule?.remediation || finding.rule_id, LIMITS.recommendation) };
  if (rule?.links[0]) recommendation.Url = rule.links[0];
  const productFields: Record<string, string> = { 'sescheck/RuleId': finding.rule_id, 'sescheck/Status': resolved ? 'resolved' : finding.status };
  if (finding.baseline) productFields['sescheck/Baseline'] = finding.baseline;
  if (finding.waiver) productFields['sescheck/WaiverExpires'] = finding.waiver.expires;
  const asff: AsffFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(finding.rule_id, account, finding.region, finding.resource),
    ProductArn: `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`,
    ProductName: 'sescheck',
    CompanyName: 'sescheck',
    GeneratorId: finding.rule_id,
    AwsAccountId: account,
    Region: region,
    Types: [ASFF_TYPE],
    CreatedAt: time,
    UpdatedAt: time,
    LastObservedAt: time,
    Severity: severity,
    FindingProviderFields: { Severity: { ...severity }, Types: [ASFF_TYPE] },
    Title: clip(`${finding.rule_id} ${rule?.title ?? ''}`.trim(), LIMITS.title),
    Description: clip(description, LIMITS.description),
    Remediation: { Recommendation: recommendation },
    ProductFields: productFields,
    Resources: [{ Type: resourceType(finding.resource), Id: resourceId(finding.resource), Partition: partition, Region: region }],
    Compliance: { Status: resolved ? 'PASSED' : COMPLIANCE[finding.status] },
    RecordState: resolved ? 'ARCHIVED' : 'ACTIVE',
  };
  // Workflow is set on creation only (Security Hub ignores it on updates): waived findings start suppressed.
  if (!resolved) asff.Workflow = { Status: finding.status === 'waived' ? 'SUPPRESSED' : 'NEW' };
  return asff;
}

/** unknown: the check could not decide (a value missing, an API call denied): WARNING, never PASSED. */
const COMPLIANCE = { fail: 'FAILED', unknown: 'WARNING', waived: 'FAILED' } as const;

/** Rule, account, region and resource: the same check on the same resource keeps its Id from run to run. */
export function findingId(rule: string, account: string, region: string | null, resource: string): string {
  const id = `sescheck/${rule}/${account}/${region ?? 'global'}/${resource}`;
  if (id.length <= LIMITS.id) return id;
  return `sescheck/${rule}/${account}/${region ?? 'global'}/sha256:${createHash('sha256').update(resource).digest('hex')}`;
}

function merge(a: AsffFinding, b: AsffFinding): AsffFinding {
  const order = ['FAILED', 'WARNING', 'NOT_AVAILABLE', 'PASSED'];
  const worse = order.indexOf(b.Compliance.Status) < order.indexOf(a.Compliance.Status) ? b : a;
  return { ...worse, Description: clip(`${a.Description} | ${b.Description}`, LIMITS.description) };
}

function partitionOf(resource: string): AsffPartition {
  const partition = /^arn:(aws|aws-cn|aws-us-gov):/.exec(resource)?.[1];
  return (partition as AsffPartition | undefined) ?? 'aws';
}

/** The account an ARN or an aws://ACCOUNT/REGION scope names; else the input's one account. */
function accountOf(resource: string, input: string): string | null {
  const named = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? /^aws:\/\/(\d{12})\//.exec(resource)?.[1];
  return named ?? /^aws:\/\/(\d{12})$/.exec(input)?.[1] ?? null;
}

/** ASFF resource types for what sescheck judges; the rest are `Other`. */
function resourceType(resource: string): string {
  if (resource.startsWith('aws://')) return 'AwsAccount';
  if (/^arn:[^:]+:s3:::[^/]+$/.test(resource)) return 'AwsS3Bucket';
  if (/^arn:[^:]+:cloudtrail:[^:]*:\d*:trail\//.test(resource)) return 'AwsCloudTrailTrail';
  return 'Other';
}

/** A region scope aws://ACCOUNT/REGION is the account, in the form Security Hub's own controls use. */
function resourceId(resource: string): string {
  const scope = /^aws:\/\/(\d{12})\//.exec(resource);
  return scope ? `AWS::::Account:${scope[1]}` : resource;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
