import fs from 'fs';
import path from 'path';
import type { CloudTrailSesDataEventsProps } from './constructs/cloudtrail-ses-data-events';
import { region, StackPropsError } from './constructs/props';
import type { SesEventPublishingProps } from './constructs/ses-event-publishing';
import {
  WORKMAIL_DESTINATION_TYPES,
  workmailOrganizationRegion,
  type WorkmailAuditLoggingProps,
} from './constructs/workmail-audit-logging';

/** Settings every stack instance takes besides its construct's props. */
export interface StackPlacement {
  /** The region the stack's AWS provider deploys into. */
  readonly region: string;
  /**
   * The stack's name (its folder under cdktf.out/stacks/).
   * @default "<setup>-<region>", e.g. "ses-event-publishing-eu-west-1"
   */
  readonly stackName?: string;
  /**
   * Tags on every resource (the provider's default_tags).
   * @default { ManagedBy: "sescheck-stacks" }
   */
  readonly tags?: Record<string, string>;
}

export type SesEventPublishingStackConfig = StackPlacement & SesEventPublishingProps & {
  /**
   * A trail recording this region's SES management and data events, in the same stack: `true`, `false`
   * when a trail elsewhere records them (another stack, an organization trail), or the trail's props.
   * @default true (a single-region trail named "<namePrefix>-ses-<region>")
   */
  readonly cloudTrail?: boolean | CloudTrailSesDataEventsProps;
};
export type CloudTrailSesDataEventsStackConfig = StackPlacement & CloudTrailSesDataEventsProps;
export type WorkmailAuditLoggingStackConfig = StackPlacement & WorkmailAuditLoggingProps;

/** Every stack instance to synthesize, per setup. */
export interface StacksConfig {
  readonly sesEventPublishing: SesEventPublishingStackConfig[];
  readonly cloudTrailSesDataEvents: CloudTrailSesDataEventsStackConfig[];
  readonly workmailAuditLogging: WorkmailAuditLoggingStackConfig[];
}

export const CONFIG_FILE_NAME = 'sescheck-stacks.json';
export const DEFAULT_NAME_PREFIX = 'sescheck';
export const DEFAULT_REGION = 'eu-west-1';
export const DEFAULT_IDENTITIES = ['example.com'];
/** The AWS documentation's example account; set SESCHECK_WORKMAIL_ORGANIZATION_ARN or the config file to deploy. */
export const EXAMPLE_ORGANIZATION_ARN = 'arn:aws:workmail:eu-west-1:111122223333:organization/m-0123456789abcdef0123456789abcdef';

/**
 * The configuration without a file, from the environment (SESCHECK_STACKS_REGION, SESCHECK_SES_IDENTITIES
 * comma-separated, SESCHECK_WORKMAIL_ORGANIZATION_ARN): every setup in one region, the trail inside the SES
 * stack (a separate trail stack would record the same sends twice).
 */
export function defaultStacksConfig(env: NodeJS.ProcessEnv = process.env): StacksConfig {
  const stackRegion = env.SESCHECK_STACKS_REGION || DEFAULT_REGION;
  const identities = env.SESCHECK_SES_IDENTITIES
    ? env.SESCHECK_SES_IDENTITIES.split(',').map((identity) => identity.trim()).filter((identity) => identity !== '')
    : DEFAULT_IDENTITIES;
  const organizationArn = env.SESCHECK_WORKMAIL_ORGANIZATION_ARN
    || EXAMPLE_ORGANIZATION_ARN.replace(':eu-west-1:', `:${stackRegion}:`);
  return parseStacksConfig({
    sesEventPublishing: [{ region: stackRegion, identities }],
    cloudTrailSesDataEvents: [],
    workmailAuditLogging: [{ region: stackRegion, organizationArn }],
  }, 'the default configuration');
}

/** The file to read: SESCHECK_STACKS_CONFIG, else ./sescheck-stacks.json when present, else none. */
export function stacksConfigPath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  if (env.SESCHECK_STACKS_CONFIG) return path.resolve(cwd, env.SESCHECK_STACKS_CONFIG);
  const local = path.join(cwd, CONFIG_FILE_NAME);
  return fs.existsSync(local) ? local : undefined;
}

/** The stacks configuration from the file (or the defaults when there is none). */
export function loadStacksConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): StacksConfig {
  const file = stacksConfigPath(env, cwd);
  if (file === undefined) return defaultStacksConfig(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new StackPropsError(`cannot read stacks configuration ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StackPropsError(`stacks configuration ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseStacksConfig(parsed, file);
}

/** The trail stack's trail: multi-region by default, named after its home region. */
export function trailStackProps(instance: CloudTrailSesDataEventsStackConfig): CloudTrailSesDataEventsProps {
  return {
    ...trailDefaults(instance),
    multiRegion: instance.multiRegion ?? true,
    trailName: instance.trailName ?? trailDefaults(instance).trailName,
    cloudWatchLogs: instance.cloudWatchLogs,
  };
}

/** The SES stack's own trail, unless `cloudTrail` is false: single-region by default, so one SES stack per region records each send once. */
export function sesStackTrailProps(instance: SesEventPublishingStackConfig): CloudTrailSesDataEventsProps | undefined {
  const cloudTrail = instance.cloudTrail ?? true;
  if (cloudTrail === false) return undefined;
  return { ...trailDefaults(instance), multiRegion: false, ...(cloudTrail === true ? {} : cloudTrail) };
}

// The home region in the trail's name lets trails of several stacks coexist with multi-region trails' copies.
function trailDefaults(instance: StackPlacement & { namePrefix?: string; retentionDays?: number; forceDestroy?: boolean }) {
  const prefix = instance.namePrefix ?? DEFAULT_NAME_PREFIX;
  return { namePrefix: prefix, trailName: `${prefix}-ses-${instance.region}`, retentionDays: instance.retentionDays, forceDestroy: instance.forceDestroy };
}

const PLACEMENT_KEYS = ['region', 'stackName', 'tags'];
const COMMON_KEYS = [...PLACEMENT_KEYS, 'namePrefix', 'retentionDays', 'forceDestroy'];
const SETUPS = {
  sesEventPublishing: { stackPrefix: 'ses-event-publishing', keys: [...COMMON_KEYS, 'identities', 'cloudTrail'] },
  cloudTrailSesDataEvents: { stackPrefix: 'cloudtrail-ses-data-events', keys: [...COMMON_KEYS, 'trailName', 'multiRegion', 'cloudWatchLogs'] },
  workmailAuditLogging: { stackPrefix: 'workmail-audit-logging', keys: [...COMMON_KEYS, 'organizationArn', 'destinationType', 'logTypes'] },
} as const;
type Setup = keyof typeof SETUPS;

/** Checks the shape of a parsed configuration; `origin` names it in errors. Construct props are validated by the constructs. */
export function parseStacksConfig(parsed: unknown, origin: string): StacksConfig {
  if (!isObject(parsed)) throw new StackPropsError(`${origin}: must be a JSON object with ${Object.keys(SETUPS).join(', ')}`);
  for (const key of Object.keys(parsed)) {
    if (!(key in SETUPS)) throw new StackPropsError(`${origin}: unknown key "${key}" (expected ${Object.keys(SETUPS).join(', ')})`);
  }
  const names = new Set<string>();
  const result: Record<string, unknown[]> = {};
  for (const setup of Object.keys(SETUPS) as Setup[]) {
    const instances = parsed[setup] ?? [];
    if (!Array.isArray(instances)) throw new StackPropsError(`${origin}: ${setup} must be a list of stack instances`);
    result[setup] = instances.map((instance: unknown, index: number) => {
      const where = `${origin}: ${setup}[${index}]`;
      const stack = checkInstance(where, setup, instance);
      if (names.has(stack.stackName)) {
        throw new StackPropsError(`${where}: stack name "${stack.stackName}" is used twice; give one instance a stackName`);
      }
      names.add(stack.stackName);
      return stack;
    });
  }
  const config = result as unknown as StacksConfig;
  checkNameCollisions(origin, config);
  return config;
}

/** Two instances whose regional resource names would collide fail at deploy time: say so at synth time. */
function checkNameCollisions(origin: string, config: StacksConfig): void {
  const owners = new Map<string, string>();
  const claim = (key: string, owner: string, fix: string): void => {
    const other = owners.get(key);
    if (other !== undefined) throw new StackPropsError(`${origin}: ${owner} and ${other} would create ${key}; give one ${fix}`);
    owners.set(key, owner);
  };
  const trails: { name: string; region: string; multiRegion: boolean; owner: string }[] = [];
  for (const setup of ['sesEventPublishing', 'cloudTrailSesDataEvents', 'workmailAuditLogging'] as const) {
    config[setup].forEach((instance, index) => {
      const owner = `${setup}[${index}]`;
      const prefix = instance.namePrefix ?? DEFAULT_NAME_PREFIX;
      if (setup === 'sesEventPublishing') claim(`the SES event publishing resources "${prefix}-ses-events" in ${instance.region}`, owner, 'another namePrefix');
      if (setup === 'workmailAuditLogging') claim(`the WorkMail audit logging resources "${prefix}-workmail-audit" in ${instance.region}`, owner, 'another namePrefix');
      const trail = setup === 'sesEventPublishing' ? sesStackTrailProps(instance)
        : setup === 'cloudTrailSesDataEvents' ? trailStackProps(instance) : undefined;
      if (trail) {
        trails.push({ name: trail.trailName as string, region: instance.region, multiRegion: trail.multiRegion ?? true, owner });
      }
    });
  }
  // A multi-region trail has a copy, with its name, in every region.
  trails.forEach((trail, index) => {
    const clash = trails.slice(0, index).find((other) => other.name === trail.name && (other.region === trail.region || other.multiRegion || trail.multiRegion));
    if (clash) throw new StackPropsError(`${origin}: ${trail.owner} and ${clash.owner} would both create trail "${trail.name}" in ${trail.region}; give one another trailName`);
  });
}

function checkInstance(where: string, setup: Setup, instance: unknown): StackPlacement & { stackName: string } {
  if (!isObject(instance)) throw new StackPropsError(`${where}: must be an object with at least "region"`);
  for (const key of Object.keys(instance)) {
    if (!(SETUPS[setup].keys as readonly string[]).includes(key)) {
      throw new StackPropsError(`${where}: unknown key "${key}" (expected ${SETUPS[setup].keys.join(', ')})`);
    }
  }
  if (typeof instance.region !== 'string') throw new StackPropsError(`${where}: "region" is required, e.g. "eu-west-1"`);
  region(where, instance.region);
  expectType(where, instance, 'stackName', 'string');
  expectType(where, instance, 'namePrefix', 'string');
  expectType(where, instance, 'trailName', 'string');
  expectType(where, instance, 'retentionDays', 'number');
  expectType(where, instance, 'forceDestroy', 'boolean');
  expectType(where, instance, 'multiRegion', 'boolean');
  expectType(where, instance, 'cloudWatchLogs', 'boolean');
  expectStrings(where, instance, 'identities');
  expectStrings(where, instance, 'logTypes');
  if (instance.cloudTrail !== undefined) checkEmbeddedTrail(where, instance.cloudTrail);
  if (instance.tags !== undefined && (!isObject(instance.tags) || Object.values(instance.tags).some((v) => typeof v !== 'string'))) {
    throw new StackPropsError(`${where}: "tags" must be an object of strings`);
  }
  if (setup === 'workmailAuditLogging') {
    if (typeof instance.organizationArn !== 'string') {
      throw new StackPropsError(`${where}: "organizationArn" is required (the WorkMail organization whose audit logs are delivered)`);
    }
    const organizationRegion = workmailOrganizationRegion(where, instance.organizationArn);
    if (organizationRegion !== instance.region) {
      throw new StackPropsError(`${where}: the organization is in ${organizationRegion} but the stack deploys into ${instance.region}; delivery sources must be in the organization's region`);
    }
    if (instance.destinationType !== undefined && !(WORKMAIL_DESTINATION_TYPES as readonly unknown[]).includes(instance.destinationType)) {
      throw new StackPropsError(`${where}: "destinationType" must be one of ${WORKMAIL_DESTINATION_TYPES.join(', ')}`);
    }
  }
  const stackName = (instance.stackName as string | undefined) ?? `${SETUPS[setup].stackPrefix}-${instance.region}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(stackName)) {
    throw new StackPropsError(`${where}: stackName must be letters, digits, "-" or "_", got "${stackName}"`);
  }
  return { ...(instance as unknown as StackPlacement), stackName };
}

const EMBEDDED_TRAIL_KEYS = ['namePrefix', 'retentionDays', 'forceDestroy', 'trailName', 'multiRegion', 'cloudWatchLogs'];

function checkEmbeddedTrail(where: string, cloudTrail: unknown): void {
  if (typeof cloudTrail === 'boolean') return;
  if (!isObject(cloudTrail)) throw new StackPropsError(`${where}: "cloudTrail" must be true, false or an object of trail settings`);
  for (const key of Object.keys(cloudTrail)) {
    if (!EMBEDDED_TRAIL_KEYS.includes(key)) {
      throw new StackPropsError(`${where}: unknown key "cloudTrail.${key}" (expected ${EMBEDDED_TRAIL_KEYS.join(', ')})`);
    }
  }
  expectType(`${where}.cloudTrail`, cloudTrail, 'namePrefix', 'string');
  expectType(`${where}.cloudTrail`, cloudTrail, 'trailName', 'string');
  expectType(`${where}.cloudTrail`, cloudTrail, 'retentionDays', 'number');
  expectType(`${where}.cloudTrail`, cloudTrail, 'forceDestroy', 'boolean');
  expectType(`${where}.cloudTrail`, cloudTrail, 'multiRegion', 'boolean');
  expectType(`${where}.cloudTrail`, cloudTrail, 'cloudWatchLogs', 'boolean');
}

function expectType(where: string, instance: Record<string, unknown>, key: string, type: 'string' | 'number' | 'boolean'): void {
  if (instance[key] !== undefined && typeof instance[key] !== type) throw new StackPropsError(`${where}: "${key}" must be a ${type}`);
}

function expectStrings(where: string, instance: Record<string, unknown>, key: string): void {
  const value = instance[key];
  if (value !== undefined && (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))) {
    throw new StackPropsError(`${where}: "${key}" must be a list of strings`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
