import type { MiddlewareFunction } from 'yargs';
// The factory, not the package's main module, which also builds a process-wide instance nobody here uses.
import yargs from 'yargs/yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError } from '../errors';
import { configCommand } from './config';
import type { Cli } from './global-options';
import { liveCommand } from './live';
export { allowOnePassTuning } from './one-pass';
import { checkOptionValues, type DeclaredOptions } from './option-values';
import { planCommand } from './plan';
import { rulesCommand } from './rules';
import { reportError, setDebug } from './run';
import { TOOL_VERSION } from './version';

/** Builds the sescheck command line; each command lives in its own file. */
export function buildCli(args: string[]): Cli {
  ignoreClosedStderr();
  let cli: Cli = yargs(args)
    .scriptName('sescheck')
    .usage('$0 <command> [options]\n\nProves that Amazon SES and WorkMail logging records what it must.')
    .option('config', { type: 'string', describe: 'Settings file (default ./.sescheck.yaml when present)' })
    .option('bundle', { type: 'string', describe: 'A policy wasm with your own rules (see "Writing a custom rule"; default: the bundled one)' })
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces for errors' })
    .middleware((argv) => setDebug(Boolean(argv.debug)))
    // Before validation and coercion, while a repeated option is still visible as an array.
    .middleware(optionValueCheck(args), true)
    .version(TOOL_VERSION)
    .strict()
    .demandCommand(1, 'Name a command: rules, plan, config or live')
    .recommendCommands()
    .help()
    .wrap(Math.min(100, process.stdout.columns ?? 80))
    // Throwing is the only way to stop yargs from running the command after a failed validation.
    .fail((message, error) => {
      if (error) throw error;
      throw new ConfigError(`${message.replace(/\s*\n\s*/g, ' ')} (see \`sescheck --help\`)`);
    });
  cli = planCommand(cli);
  cli = configCommand(cli);
  cli = liveCommand(cli);
  cli = rulesCommand(cli);
  skipHelpCache(cli);
  return withExitCodes(cli);
}

/**
 * yargs lays out the whole help text each time a command runs, to show it if the command fails
 * later (about 15 ms of a small scan's start). sescheck never shows help once a command runs: a
 * failure is one line. The switch is internal to yargs (17.7.2), so a yargs without it is left as is.
 */
function skipHelpCache(cli: Cli): void {
  const internals = (cli as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.();
  const usage = internals?.getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/**
 * A closed stderr (`2>&- `, `2>&1 | head -1`) has nobody to tell: without a listener, the write
 * error would crash the process with a stack trace instead of ending with the verdict's exit code.
 */
function ignoreClosedStderr(): void {
  if (process.stderr.listenerCount('error') === 0) process.stderr.on('error', () => undefined);
}

/** yargs passes its instance to middleware (untyped in @types/yargs): it knows the running command's options. */
function optionValueCheck(args: string[]): MiddlewareFunction {
  const check = (argv: Record<string, unknown>, instance: { getOptions(): DeclaredOptions }) => checkOptionValues(argv, instance.getOptions(), args);
  return check as unknown as MiddlewareFunction;
}

/**
 * Makes parseAsync settle normally: what the fail handler throws (synchronously during
 * validation, or as a rejection) becomes one line on stderr and an exit code.
 */
function withExitCodes(cli: Cli): Cli {
  const parseAsync = cli.parseAsync.bind(cli);
  const settle = (error: unknown) => {
    process.exitCode = reportError(error);
    return undefined;
  };
  cli.parseAsync = ((...args: Parameters<Cli['parseAsync']>) => {
    try {
      return parseAsync(...args).catch(settle);
    } catch (error) {
      return Promise.resolve(settle(error));
    }
  }) as Cli['parseAsync'];
  return cli;
}

if (require.main === module) {
  void buildCli(hideBin(process.argv)).parseAsync();
}
