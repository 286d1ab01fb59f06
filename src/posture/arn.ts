/**
 * Amazon Resource Names, for every producer of the posture: parse, build, and the partition of a
 * region (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE). Rego has the same in policies/lib/arn.rego.
 */

export interface Arn {
  partition: string;
  service: string;
  /** Empty for global resources (S3 buckets, IAM roles). */
  region: string;
  /** Empty where the ARN has none (S3 buckets). */
  account: string;
  resource: string;
}

/** Each AWS partition: the region names it holds and the region that answers its global APIs (STS, S3 Control, Account). */
const PARTITIONS: { partition: string; regions: RegExp; home: string }[] = [
  { partition: 'aws-cn', regions: /^cn-/, home: 'cn-north-1' },
  { partition: 'aws-us-gov', regions: /^us-gov-/, home: 'us-gov-west-1' },
  { partition: 'aws-iso', regions: /^us-iso-/, home: 'us-iso-east-1' },
  { partition: 'aws-iso-b', regions: /^us-isob-/, home: 'us-isob-east-1' },
  { partition: 'aws-iso-e', regions: /^eu-isoe-/, home: 'eu-isoe-west-1' },
  { partition: 'aws-iso-f', regions: /^us-isof-/, home: 'us-isof-south-1' },
  { partition: 'aws-eusc', regions: /^eusc-/, home: 'eusc-de-east-1' },
  { partition: 'aws', regions: /^[a-z]{2}-/, home: 'us-east-1' },
];

export const PARTITION_NAMES: readonly string[] = PARTITIONS.map((p) => p.partition);

/** The parts of an ARN; null when the text is not one. The resource keeps its own colons (log-group:NAME:*). */
export function parseArn(text: unknown): Arn | null {
  if (typeof text !== 'string') return null;
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !parts[1] || !parts[2]) return null;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

export function buildArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

/** The partition a region belongs to (eu-west-1 -> aws, cn-north-1 -> aws-cn, us-isob-east-1 -> aws-iso-b). */
export function partitionOfRegion(region: string): string {
  return (PARTITIONS.find((p) => p.regions.test(region)) ?? PARTITIONS[PARTITIONS.length - 1]).partition;
}

/** The region that answers a partition's global APIs (STS for a role, S3 bucket locations, S3 Control). */
export function partitionHomeRegion(partition: string): string {
  return PARTITIONS.find((p) => p.partition === partition)?.home ?? 'us-east-1';
}

/** The region of an ARN, or null when it has none. */
export function regionOfArn(text: unknown): string | null {
  return parseArn(text)?.region || null;
}

/** The account of an ARN, or null when it has none. */
export function accountOfArn(text: unknown): string | null {
  const account = parseArn(text)?.account;
  return account && /^\d{12}$/.test(account) ? account : null;
}

/** The name of an S3 bucket from its ARN (arn:PARTITION:s3:::NAME[/key]). */
export function bucketNameOfArn(text: unknown): string | null {
  const arn = parseArn(text);
  if (!arn || arn.service !== 's3' || arn.region || arn.account) return null;
  return arn.resource.split('/')[0] || null;
}

/** The parts of a log group ARN (arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME[:*]). */
export function parseLogGroupArn(text: unknown): { partition: string; region: string; account: string; name: string } | null {
  const arn = parseArn(text);
  const match = arn && arn.service === 'logs' && arn.region ? /^log-group:(.+?)(:\*)?$/.exec(arn.resource) : null;
  return match && arn ? { partition: arn.partition, region: arn.region, account: arn.account, name: match[1] } : null;
}

/** The parts of a Firehose delivery stream ARN (arn:PARTITION:firehose:REGION:ACCOUNT:deliverystream/NAME). */
export function parseFirehoseStreamArn(text: unknown): { region: string; account: string; name: string } | null {
  const arn = parseArn(text);
  const match = arn && arn.service === 'firehose' && arn.region ? /^deliverystream\/(.+)$/.exec(arn.resource) : null;
  return match && arn ? { region: arn.region, account: arn.account, name: match[1] } : null;
}

/** An IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/PATH/NAME). */
export function isRoleArn(text: string): boolean {
  const arn = parseArn(text);
  return arn !== null && PARTITION_NAMES.includes(arn.partition) && arn.service === 'iam' && arn.region === '' && /^\d{12}$/.test(arn.account) && /^role\/.+/.test(arn.resource);
}
