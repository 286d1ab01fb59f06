import type { ScanResult } from './report';
import { jsonReporter } from './json';
import { junitReporter } from './junit';
import { sarifReporter } from './sarif';
import { textReporter } from './text';

export const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

/** How the output will be read: colour and width matter for text only. */
export interface RenderContext {
  /** ANSI colours (a TTY without NO_COLOR). */
  color: boolean;
  /** Columns to wrap text at. */
  width: number;
  /** Paths in SARIF are made relative to this directory. */
  cwd: string;
}

/** One output format: renders a scan result to the text written to stdout or --output. */
export interface Reporter {
  render(result: ScanResult, context: RenderContext): string;
}

const REPORTERS: Record<Format, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  junit: junitReporter,
};

export function reporterFor(format: Format): Reporter {
  return REPORTERS[format];
}
