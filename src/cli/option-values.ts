import { ConfigError } from '../errors';

/** Options whose value is a list: they may be repeated (`--rule A --rule B`); every other option takes one value. */
export const REPEATABLE_OPTIONS: ReadonlySet<string> = new Set(['region', 'rule', 'skip-rule', 'ou', 'exclude-accounts']);

/** What yargs reports of the options declared for the command being run (yargs' getOptions()). */
export interface DeclaredOptions {
  key: Record<string, unknown>;
  boolean: string[];
  array: string[];
  count: string[];
  string: string[];
  number: string[];
  choices: Record<string, unknown>;
}

/**
 * The options of a command that take exactly one value: every declared option but flags,
 * lists and the repeatable options. A new option is one of these unless declared otherwise.
 */
export function singleValueOptions(declared: DeclaredOptions): string[] {
  const notSingle = new Set([...declared.boolean, ...declared.array, ...declared.count, ...REPEATABLE_OPTIONS]);
  return Object.keys(declared.key).filter((name) => !notSingle.has(name) && !name.includes('.'));
}

/**
 * Refuses, before any command runs, what yargs would otherwise pass on silently: a single-value
 * option given more than once (yargs makes it an array, so `--fail-on high --fail-on high` would
 * turn the threshold off; and it adds up a repeated equal number), given without a value, negated
 * (`--no-output`), or a number option whose value is not a finite number.
 * `args` is the command line, which shows what yargs' result hides (defaults fill missing values).
 */
export function checkOptionValues(argv: Record<string, unknown>, declared: DeclaredOptions, args: readonly string[]): void {
  const flags = flagsOf(args);
  const flagsOnly = new Set([...declared.boolean, ...declared.count]);
  for (const name of Object.keys(declared.key)) {
    if (flagsOnly.has(name) || name.includes('.')) continue;
    const negations = [`--no-${name}`, `--no-${camelCase(name)}`];
    if (flags.some((arg) => negations.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) {
      throw new ConfigError(`--no-${name}: --${name} takes a value and cannot be negated; leave it out instead`);
    }
  }
  const numbers = new Set(declared.number);
  for (const name of singleValueOptions(declared)) {
    const value = argv[name];
    const spellings = [`--${name}`, `--${camelCase(name)}`];
    const given = flags.filter((arg) => spellings.some((flag) => arg === flag || arg.startsWith(`${flag}=`))).length;
    const times = Math.max(given, Array.isArray(value) ? value.length : 0);
    if (times > 1) throw new ConfigError(`--${name} is given ${times} times; it takes one value, give it once`);
    if (given === 0) continue;
    // yargs puts the default in place of a missing value for some types: look at the command line too.
    if (value === '' || value === undefined || spellings.some((flag) => givenWithoutValue(flag, flags))) throw new ConfigError(`--${name} needs a value`);
    if (numbers.has(name) && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new ConfigError(`--${name} ${rawValue(spellings, flags)}: ${Number.isNaN(value) ? 'not a number' : 'not a finite number'}`);
    }
  }
  for (const name of REPEATABLE_OPTIONS) {
    if (!(name in declared.key) || argv[name] === undefined) continue;
    const empty = ([] as unknown[]).concat(argv[name]).some((value) => String(value).split(',').every((part) => part.trim() === ''));
    if (empty) throw new ConfigError(`--${name} needs a value`);
  }
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The command line up to `--` (after it, everything is a positional argument). */
function flagsOf(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end === -1 ? args : args.slice(0, end);
}

/** `--name` last on the command line or followed by another option, or `--name=`. */
function givenWithoutValue(flag: string, flags: readonly string[]): boolean {
  return flags.some((arg, i) => arg === `${flag}=` || (arg === flag && (i + 1 === flags.length || /^--?[A-Za-z]/.test(flags[i + 1]))));
}

/** The text given to an option on the command line (`--name VALUE` or `--name=VALUE`). */
function rawValue(spellings: string[], flags: readonly string[]): string {
  for (let i = flags.length - 1; i >= 0; i--) {
    for (const flag of spellings) {
      if (flags[i].startsWith(`${flag}=`)) return flags[i].slice(flag.length + 1);
      if (flags[i] === flag) return flags[i + 1] ?? '';
    }
  }
  return '';
}
