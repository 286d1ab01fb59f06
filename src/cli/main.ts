import fs from 'fs';
import path from 'path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { PROJECT_ROOT } from '../engine/bundle';
import type { Cli } from './global-options';
import { rulesCommand } from './rules';
import { EXIT_USAGE, setDebug } from './run';

const version = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Builds the sescheck command line; each command lives in its own file. */
export function buildCli(args: string[]): Cli {
  let cli: Cli = yargs(args)
    .scriptName('sescheck')
    .usage('$0 <command> [options]\n\nProves that Amazon SES and WorkMail logging records what it must.')
    .option('config', { type: 'string', describe: 'Settings file (default ./.sescheck.yaml when present)' })
    .option('bundle', { type: 'string', describe: 'A policy wasm built with scripts/build-policies.sh (default build/policy.wasm)', hidden: true })
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces for errors' })
    .middleware((argv) => setDebug(Boolean(argv.debug)))
    .version(version)
    .strict()
    .demandCommand(1, 'Name a command: rules, plan, config or live')
    .recommendCommands()
    .help()
    .wrap(Math.min(100, process.stdout.columns ?? 80))
    .fail((message, error) => {
      if (error) throw error;
      process.stderr.write(`sescheck: ${message}\nRun \`sescheck --help\` for usage.\n`);
      process.exitCode = EXIT_USAGE;
    });
  cli = rulesCommand(cli);
  return cli;
}

if (require.main === module) {
  void buildCli(hideBin(process.argv)).parseAsync();
}
