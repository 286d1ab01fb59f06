import fs from 'fs';
import path from 'path';
import type { Argv } from 'yargs';
import { PolicyEngine } from '../engine/evaluate';
import { loadSettings, settingsPath } from '../engine/settings';
import { ConfigError, fileErrorText, OutputError } from '../errors';
import type { InputKind, Posture } from '../posture/types';
import { FORMATS, reporterFor, type Format } from '../report/reporter';
import { comparisonLines, summaryLine } from '../report/text';
import type { Baseline } from '../results/baseline';
import { scanPostures } from '../results/scan';
import { EXIT_OK, FAIL_ON, type FailOn, type ScanResult } from '../results/scan-result';
import { TOOL_VERSION } from './version';

/** What every scanning command (plan, config, live) takes besides its input. */
export interface ReportOptions {
  /** text (default), json, sarif, junit, markdown or asff. */
  format: Format;
  /** Write the report here (atomically) instead of stdout. */
  output?: string;
  /** The lowest severity of a failing finding that makes the exit code 1; `none` never does. */
  failOn: FailOn;
  /** Unknown findings at or above failOn fail the run too. */
  failOnUnknown?: boolean;
  /** A previous report: findings are marked new or unchanged, and the gone ones listed as resolved. */
  baseline?: Baseline;
  /** With baseline: the exit code follows only the new findings (--fail-on-new). */
  failOnNew?: boolean;
  /** Report only these rule ids (--rule, repeatable). */
  rules?: string[];
  /** Leave out these rule ids (--skip-rule, repeatable). */
  skipRules?: string[];
  /** No summary or progress on stderr (warnings stay). */
  quiet?: boolean;
  /** Settings file; default ./.sescheck.yaml when present. */
  config?: string;
  /** Policy wasm; default build/policy.wasm. */
  bundle?: string;
  /** The input as the report names it; default the first posture's source. */
  input?: { kind: InputKind; path: string };
  /** Files --output must never replace (the input, every file read); the settings file and baseline always are. */
  protectedPaths?: string[];
  /** The day waivers are judged against; default now. */
  now?: Date;
  /** Directory SARIF paths are relative to; default process.cwd(). */
  cwd?: string;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr?: NodeJS.WritableStream;
  /** Summarize each account on stderr (a scan of several accounts). */
  perAccount?: boolean;
  /** Called with the result once the report is written (live: Security Hub import, account summary); its code, if higher, is the exit code. */
  onReport?: (result: ScanResult) => Promise<number | void>;
}

/**
 * Wires the options to the stages: posture documents (one per cdktf stack, or one per plan or
 * account) through the engine and the results stage (src/results/), the report rendered and
 * written. Returns the scan result's exit code (or onReport's, if higher). User errors are thrown as UserError.
 */
export async function reportPostures(postures: Posture[], options: ReportOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const cwd = options.cwd ?? process.cwd();
  const settingsFile = settingsPath(options.config, cwd);
  const settings = loadSettings(settingsFile);
  const input = options.input ?? inputOf(postures);
  if (options.output !== undefined) {
    const others = [...(options.protectedPaths ?? []), input.path, ...(settingsFile ? [settingsFile] : []), ...(options.baseline ? [options.baseline.file] : [])];
    assertOutputPath(options.output, others, cwd);
  }

  const engine = await PolicyEngine.load(options.bundle);
  const result = scanPostures(engine, settings, postures, {
    settingsOrigin: settingsFile ?? 'defaults',
    selection: { only: options.rules ?? [], skip: options.skipRules ?? [] },
    input,
    toolVersion: TOOL_VERSION,
    now: options.now ?? new Date(),
    baseline: options.baseline,
    threshold: { failOn: options.failOn, failOnUnknown: options.failOnUnknown ?? false, failOnNew: options.failOnNew ?? false },
    perAccount: options.perAccount,
  });

  const toTerminal = options.output === undefined;
  const color = toTerminal && options.format === 'text' && Boolean(stdout.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
  const width = Math.min(120, (toTerminal && stdout.isTTY && stdout.columns) || 80);
  const text = (await reporterFor(options.format)).render(result, { color, width, cwd, now: options.now });
  if (options.output === undefined) await writeToStream(stdout, text, 'stdout');
  else writeOutput(options.output, text, cwd);

  for (const waiver of result.report.expired_waivers ?? []) {
    stderr.write(`sescheck: warning: the waiver for ${waiver.rule} ${waiver.resource} expired on ${waiver.expires} and no longer applies\n`);
  }
  // The text report on stdout already ends with the summary and the comparison.
  if (!options.quiet && !(toTerminal && options.format === 'text')) {
    stderr.write(`sescheck: ${summaryLine(result)}${options.output !== undefined ? ` (${options.format} report written to ${options.output})` : ''}\n`);
    for (const line of comparisonLines(result.report)) stderr.write(`${line}\n`);
  }
  const after = options.onReport ? await options.onReport(result) : undefined;
  return Math.max(result.exitCode, after ?? EXIT_OK);
}

/** What the input adapter could not read or evaluate, one line each on stderr (plan and config). */
export function writeInputNotes(postures: Posture[], stderr: NodeJS.WritableStream = process.stderr): void {
  for (const posture of postures) {
    for (const note of posture.notes) {
      const about = [posture.source.stack && `stack ${posture.source.stack}`, note.id].filter(Boolean).join(', ');
      stderr.write(`sescheck: note: ${about ? `${about}: ` : ''}${note.message}\n`);
    }
  }
}

/** The --output checks a command makes before it reads anything: with the inputs known so far and the settings file. */
/**
 * ASFF needs each finding's AWS account, which a plan or a configuration does not name: refused
 * before anything is read, not after the scan.
 */
export function assertFormatForInput(format: Format, command: 'plan' | 'config'): void {
  if (format === 'asff') throw new ConfigError(`--format asff needs the AWS account of each finding: use it with \`sescheck live\`, not \`sescheck ${command}\``);
}

export function assertOutputBeforeScan(options: Pick<ReportOptions, 'output' | 'config' | 'cwd'>, inputs: string[]): void {
  if (options.output === undefined) return;
  const settingsFile = settingsPath(options.config, options.cwd ?? process.cwd());
  assertOutputPath(options.output, [...inputs, ...(settingsFile ? [settingsFile] : [])], options.cwd);
}

/**
 * Refuses, before anything is read or written, an --output that would replace a file the scan
 * reads (the input, every file of a configuration, the settings file, the baseline; compared by
 * real path, so also through a symlink or another spelling), that names a directory, or whose
 * directory does not exist.
 */
export function assertOutputPath(output: string, protectedPaths: string[], cwd: string = process.cwd()): void {
  if (output === '' || output === '-') throw new ConfigError(`--output needs a file name (omit it to write to stdout)`);
  const resolved = path.resolve(cwd, output);
  const target = canonical(resolved);
  for (const file of protectedPaths) {
    if (file === '-' || file === '') continue;
    if (canonical(path.resolve(cwd, file)) === target) {
      throw new ConfigError(`--output ${output} is the input file ${file}: refusing to overwrite it`);
    }
  }
  const existing = statOrUndefined(resolved, output);
  if (existing?.isDirectory()) throw new ConfigError(`--output ${output} is a directory`);
  if (existing) return;
  const directory = path.dirname(target);
  const parent = statOrUndefined(directory, output);
  if (!parent) throw new ConfigError(`--output ${output}: the directory ${directory} does not exist`);
  if (!parent.isDirectory()) throw new ConfigError(`--output ${output}: ${directory} is not a directory`);
}

/** The file's status (following symlinks), or undefined when there is nothing at that path. */
function statOrUndefined(file: string, output: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ConfigError(`--output ${output}: ${fileErrorText(error)}`);
  }
}

function canonical(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    // Not there yet: resolve the directory, which may itself be a symlink.
    try {
      return path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return file;
    }
  }
}

/**
 * Writes the report to --output. A regular file is written beside the target and renamed over
 * it (through a symlink: beside the file it points to), so a reader never sees half a report and
 * a failure leaves the old file. Anything else (/dev/null, /dev/stdout, a FIFO, a device) is
 * written to in place: renaming over it would replace the device or the link itself.
 */
function writeOutput(output: string, text: string, cwd: string): void {
  const file = path.resolve(cwd, output);
  const existing = statOrUndefined(file, output);
  const inPlace = existing !== undefined && (!existing.isFile() || /^\/(dev|proc)\//.test(file));
  try {
    if (inPlace) fs.writeFileSync(file, text);
    else writeAtomically(canonical(file), text);
  } catch (error) {
    throw new OutputError(`cannot write --output ${output}: ${fileErrorText(error)}`);
  }
}

/** Writes beside the target, then renames: a reader never sees half a report, and a failure leaves the old file. */
function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temporary, text, { flag: 'wx' });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes the report to stdout and waits until it is written. A reader that went away (`| head -1`)
 * is not an error: the run ends quietly with its verdict. Any other failure (a full disk behind
 * `> file`) is an OutputError. Returns whether the text was written.
 */
export async function writeToStream(stream: NodeJS.WritableStream, text: string, name: string): Promise<boolean> {
  // Node also emits the failure as an 'error' event, which would crash the process without a listener.
  const ignore = (): void => undefined;
  stream.on('error', ignore);
  try {
    return await new Promise<boolean>((resolve, reject) => {
      try {
        stream.write(text, (error?: Error | null) => {
          if (!error) return resolve(true);
          if ((error as NodeJS.ErrnoException).code === 'EPIPE') return resolve(false);
          reject(new OutputError(`cannot write the report to ${name}: ${fileErrorText(error)}`));
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EPIPE') return resolve(false);
        reject(new OutputError(`cannot write the report to ${name}: ${fileErrorText(error)}`));
      }
    });
  } finally {
    setImmediate(() => stream.off('error', ignore));
  }
}

function inputOf(postures: Posture[]): { kind: InputKind; path: string } {
  const first = postures[0];
  if (!first) throw new Error('no posture document to report on and no input named');
  return { kind: first.source.kind, path: first.source.path };
}

// ---- command-line parsing shared by plan, config and live ----

export interface ReportArgs {
  format: Format;
  output: string | undefined;
  'fail-on': FailOn;
  'fail-on-unknown': boolean;
  rule: string[] | undefined;
  'skip-rule': string[] | undefined;
  quiet: boolean;
}

/** Adds the report options to a scanning command. */
export function withReportOptions<T>(command: Argv<T>): Argv<T & ReportArgs> {
  return command
    .option('format', { choices: FORMATS, default: 'text' as const, describe: 'Report format' })
    .option('output', { type: 'string', describe: 'Write the report to this file (atomically) instead of stdout' })
    .option('fail-on', {
      choices: FAIL_ON,
      default: 'low' as const,
      describe: 'Exit 1 when a failing finding has this severity or higher (none: never)',
    })
    .option('fail-on-unknown', {
      type: 'boolean',
      default: false,
      describe: 'Unknown findings at or above --fail-on also exit 1',
    })
    // Not `array: true`: that would swallow the positional input after --rule ID.
    .option('rule', { type: 'string', coerce: idList, describe: 'Report only this rule id (repeatable)' })
    .option('skip-rule', { type: 'string', coerce: idList, describe: 'Leave out this rule id (repeatable)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No summary or notes on stderr (warnings remain)' }) as unknown as Argv<T & ReportArgs>;
}

/** The report options a scanning command's handler takes, from its parsed command line. */
export function reportOptionsFrom(argv: ReportArgs & { config?: string; bundle?: string }): ReportOptions {
  return {
    format: argv.format,
    output: argv.output,
    failOn: argv['fail-on'],
    failOnUnknown: argv['fail-on-unknown'],
    rules: argv.rule ?? [],
    skipRules: argv['skip-rule'] ?? [],
    quiet: argv.quiet,
    config: argv.config,
    bundle: argv.bundle,
  };
}

/** `--rule CT-001,CT-002` and `--rule CT-001 --rule CT-002` mean the same. */
function idList(values: string | string[]): string[] {
  return ([] as string[])
    .concat(values)
    .flatMap((value) => String(value).split(','))
    .map((id) => id.trim())
    .filter(Boolean);
}

