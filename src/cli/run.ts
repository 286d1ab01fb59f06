import { UserError } from '../errors';

// 0 and 1 are a scan result's verdict, decided in the results stage.
export { EXIT_FINDINGS, EXIT_OK } from '../results/scan-result';
export const EXIT_USAGE = 2;
export const EXIT_BUG = 3;

let debug = false;

export function setDebug(enabled: boolean): void {
  debug = enabled;
}

/**
 * Runs a command handler and turns what it throws into an exit code and one line on stderr:
 * user errors exit 2, anything else is a bug (exit 3). Never calls process.exit.
 */
export async function runHandler(handler: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await handler();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

export function reportError(error: unknown): number {
  if (error instanceof UserError) {
    process.stderr.write(`sescheck: ${error.message}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `sescheck: internal error: ${message}\n` +
      'This is a bug in sescheck. Please report it with the command you ran and the output of --debug.\n',
  );
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return EXIT_BUG;
}
