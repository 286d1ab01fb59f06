import type { Argv } from 'yargs';

/** Options every command takes (declared in main.ts). */
export interface GlobalOptions {
  config: string | undefined;
  bundle: string | undefined;
  debug: boolean;
}

/** The command line as each command file receives and extends it. */
export type Cli = Argv<GlobalOptions>;
