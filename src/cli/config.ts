import { ConfigError } from '../errors';
import type { Cli } from './global-options';
import { tuneForHcl } from './one-pass';
import { runHandler } from './run';
import { assertFormatForInput, assertOutputBeforeScan, reportOptionsFrom, reportPostures, withReportOptions, writeInputNotes, type ReportOptions } from './scan';

export interface ConfigScanOptions extends ReportOptions {
  /** cdk.tf.json, a cdktf.out directory, a .tf.json or .tf file, or a directory of them. */
  path: string;
}

/** `sescheck config PATH`: checks Terraform configuration (one report for every stack found). */
export async function scanConfig(options: ConfigScanOptions): Promise<number> {
  if (options.path === '') throw new ConfigError('the configuration path is empty: name a .tf or .tf.json file, a directory of them, or a cdktf.out directory');
  assertFormatForInput(options.format, 'config');
  assertOutputBeforeScan(options, [options.path]);
  // HCL parsing (a Go wasm) is loaded only when a configuration is read.
  const { readConfigPath } = await import('../inputs/config');
  const filesRead: string[] = [];
  // A small configuration's HCL converts sooner without V8's optimizing wasm compiler (src/cli/one-pass.ts).
  const postures = await readConfigPath(options.path, (file) => filesRead.push(file), undefined, tuneForHcl);
  if (!options.quiet) writeInputNotes(postures, options.stderr);
  return reportPostures(postures, {
    ...options,
    input: { kind: 'config', path: options.path },
    protectedPaths: [options.path, ...filesRead],
  });
}

export function configCommand(cli: Cli): Cli {
  return cli.command(
    'config <path>',
    'Check Terraform configuration: cdk.tf.json, a cdktf.out directory, .tf.json or .tf files',
    (command) =>
      withReportOptions(
        command.positional('path', { type: 'string', demandOption: true, describe: 'file or directory to read' }),
      ),
    (argv) => runHandler(() => scanConfig({ path: argv.path, ...reportOptionsFrom(argv) })),
  );
}
