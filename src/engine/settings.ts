import type { ErrorObject } from 'ajv';
import fs from 'fs';
import path from 'path';
import type yaml from 'js-yaml';
import { compiledValidator, type CompiledValidator } from '../compiled-schemas';
import { ConfigError, fileErrorText } from '../errors';
import type { FieldSelector } from '../posture/types';
import { PROJECT_ROOT, recordedSettingsDefaults } from './bundle';
import schema from './settings.schema.json';
import { isJsonObject } from '../json-object';

/** A field selector of a trail declared in settings: as in the posture document, but nothing in settings is unknown. */
export type FieldSelectorSetting = Omit<FieldSelector, 'unknown'>;

export interface ExternalTrailSetting {
  name: string;
  account?: string;
  home_region: string;
  kind?: 'trail' | 'event_data_store';
  multi_region?: boolean;
  organization?: boolean;
  logging?: boolean;
  log_file_validation?: boolean;
  kms_key_id?: string;
  s3_bucket_name?: string;
  advanced_event_selectors?: { name?: string; field_selectors: FieldSelectorSetting[] }[];
  basic_event_selectors?: {
    read_write_type?: 'All' | 'ReadOnly' | 'WriteOnly';
    include_management_events?: boolean;
    exclude_management_event_sources?: string[];
  }[];
}

export interface Waiver {
  rule: string;
  resource: string;
  reason: string;
  /** YYYY-MM-DD; the waiver applies through that day. */
  expires: string;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** The policy settings after defaults: what the rules read as data.settings. */
export interface Settings {
  cloudtrail: { regions: string[]; required_resource_types: string[]; external_trails: ExternalTrailSetting[] };
  ses: { required_event_types: string[]; durable_destinations: string[] };
  retention: { min_days: number; max_days: number | null };
  workmail: { organizations: string[]; required_log_types: string[] };
  severities: Record<string, Severity>;
  waivers: Waiver[];
}

/** The defaults live with the policies, so `opa test` and the CLI read the same values. */
export const DEFAULTS_FILE = path.join(PROJECT_ROOT, 'policies', 'settings', 'data.yaml');

/** The largest retention in days the settings accept (100 years): anything above is a typo, or `.inf`. */
export const MAX_RETENTION_DAYS = 36_500;

/** A waiver's reason must say something: this many characters, blanks around it not counted. */
export const MIN_REASON_LENGTH = 10;

let compiled: CompiledValidator | undefined;
const validateSettings = (data: unknown): data is Partial<Settings> => {
  compiled ??= compiledValidator('src/engine/settings.schema.json', schema);
  return compiled(data);
};

/** js-yaml, loaded when a YAML file is read: a run with the recorded defaults and no settings file reads none. */
function yamlParser(): typeof yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('js-yaml') as typeof yaml;
}

export function defaultSettings(): Settings {
  // build/manifest.json holds data.yaml as parsed when the bundle was built, while it is unchanged.
  let defaults = recordedSettingsDefaults() as Omit<Settings, 'waivers'> | undefined;
  if (defaults === undefined) {
    const yaml = yamlParser();
    defaults = yaml.load(fs.readFileSync(DEFAULTS_FILE, 'utf8'), { schema: yaml.CORE_SCHEMA }) as Omit<Settings, 'waivers'>;
  }
  return { ...defaults, waivers: [] };
}

/** Reads and validates a settings file and merges it over the defaults. */
export function loadSettings(file?: string): Settings {
  if (file === undefined) return defaultSettings();
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && isSymlink(file)) {
      throw new ConfigError(`settings file ${file} is a symbolic link to ${fs.readlinkSync(file)}, which does not exist`);
    }
    throw new ConfigError(`cannot read settings file ${file}: ${fileErrorText(error)}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(`settings file ${file} is not UTF-8 text`);
  }
  let parsed: unknown;
  const yaml = yamlParser();
  try {
    // CORE_SCHEMA: an unquoted `expires: 2027-03-31` stays the string the schema expects, not a Date.
    parsed = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA }) ?? {};
  } catch (error) {
    // js-yaml recurses once per nesting level: thousands of levels exhaust the stack.
    if (error instanceof RangeError) throw new ConfigError(`settings file ${file} nests too deeply to be settings`);
    const mark = (error as yaml.YAMLException).mark;
    const where = mark ? `line ${mark.line + 1}, column ${mark.column + 1}` : 'unknown position';
    throw new ConfigError(`settings file ${file} is not valid YAML (${where}): ${(error as yaml.YAMLException).reason ?? String(error)}`);
  }
  return parseSettings(parsed, file);
}

/** Validates settings already parsed from YAML or JSON; `origin` names them in errors. */
export function parseSettings(parsed: unknown, origin: string): Settings {
  if (!validateSettings(parsed)) {
    throw new ConfigError(`settings file ${origin}: ${describe(compiled?.errors ?? [])}`);
  }
  const user = parsed as Partial<Settings>;
  (user.waivers ?? []).forEach((waiver, index) => {
    if (waiver.reason.trim().length < MIN_REASON_LENGTH) {
      throw new ConfigError(`settings file ${origin}: key waivers[${index}].reason: give a reason of at least ${MIN_REASON_LENGTH} characters (blanks do not count)`);
    }
  });
  const settings = mergeSettings(defaultSettings(), user);
  const { min_days: min, max_days: max } = settings.retention;
  if (max !== null && min > max) {
    const byDefault = user.retention?.max_days === undefined ? ' (the default)' : '';
    throw new ConfigError(`settings file ${origin}: key retention.min_days: ${min} is above retention.max_days ${max}${byDefault}`);
  }
  return settings;
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}


function mergeSettings(defaults: Settings, user: Partial<Settings>): Settings {
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(user)) {
    const base = merged[key];
    merged[key] = isJsonObject(base) && isJsonObject(value) && key !== 'severities' ? { ...base, ...value } : value;
  }
  merged.severities = { ...defaults.severities, ...(user.severities ?? {}) };
  return merged as unknown as Settings;
}

/** The first schema error, naming the key: "key cloudtrail.regions[0]: must match pattern ...". */
function describe(errors: ErrorObject[]): string {
  const error = errors.find((e) => e.keyword === 'additionalProperties') ?? errors.find((e) => e.keyword === 'propertyNames') ?? errors[0];
  if (!error) return 'invalid';
  const key = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `unknown key ${key ? `${key}.` : ''}${extra}`;
  }
  if (error.keyword === 'propertyNames') {
    const name = (error.params as { propertyName?: string }).propertyName;
    return `key ${key}${name !== undefined ? `.${name}` : ''}: not a rule id (like CS-004)`;
  }
  if (key.startsWith('retention.') && ['type', 'minimum', 'maximum'].includes(error.keyword)) {
    return `key ${key}: must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}${key === 'retention.max_days' ? ', or null' : ''}`;
  }
  if (error.keyword === 'enum') {
    return `key ${key}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  return `key ${key || '(top level)'}: ${error.message ?? 'is invalid'}`;
}

/**
 * The settings file to read: the one named, else ./.sescheck.yaml when present. A dangling
 * ./.sescheck.yaml symlink is there (reading it fails, naming it): settings are never skipped silently.
 */
export function settingsPath(named: string | undefined, cwd: string = process.cwd()): string | undefined {
  if (named !== undefined) return named;
  const local = path.join(cwd, '.sescheck.yaml');
  try {
    fs.lstatSync(local);
    return local;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read settings file ${local}: ${fileErrorText(error)}`);
  }
}
