import { ConfigError } from '../errors';
import { planPosture, readPlanBytes } from '../inputs/plan';
import type { Cli } from './global-options';
import { tuneForOnePass } from './one-pass';
import { runHandler } from './run';
import { assertFormatForInput, assertOutputBeforeScan, reportOptionsFrom, reportPostures, withReportOptions, writeInputNotes, type ReportOptions } from './scan';

export interface PlanScanOptions extends ReportOptions {
  /** `terraform show -json` output of a plan or a state; `-` reads stdin. */
  file: string;
}

/** `sescheck plan FILE`: checks a Terraform plan (or state) and reports. */
export async function scanPlan(options: PlanScanOptions): Promise<number> {
  if (options.file === '') throw new ConfigError('the plan file name is empty: name a plan or state JSON file, or - for stdin');
  assertFormatForInput(options.format, 'plan');
  // Refuse a clobbering --output before reading anything.
  assertOutputBeforeScan(options, [options.file]);
  const bytes = await readPlanBytes(options.file);
  // Once the plan is read, before it is mapped: its size decides whether optimized code pays.
  tuneForOnePass(bytes.length);
  const posture = planPosture(bytes, options.file);
  if (!options.quiet) writeInputNotes([posture], options.stderr);
  return reportPostures([posture], {
    ...options,
    input: { kind: posture.source.kind, path: options.file },
    protectedPaths: [options.file],
  });
}

export function planCommand(cli: Cli): Cli {
  return cli.command(
    'plan <file>',
    'Check a Terraform plan or state as `terraform show -json` prints it (- reads stdin)',
    (command) =>
      withReportOptions(
        command.positional('file', {
          // No `type: 'string'`: yargs reads a lone `-` as a flag (true), which a string type would turn into ''.
          coerce: (value: string | boolean) => (value === true ? '-' : String(value)),
          demandOption: true,
          describe: 'plan/state JSON file, or - for stdin',
        }),
      ),
    (argv) => runHandler(() => scanPlan({ file: argv.file, ...reportOptionsFrom(argv) })),
  );
}
