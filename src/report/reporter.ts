import type { ScanResult } from '../results/scan-result';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'asff'] as const;
export type Format = (typeof FORMATS)[number];

/** How the output will be read: colour and width matter for text only. */
export interface RenderContext {
  /** ANSI colours (a TTY without NO_COLOR). */
  color: boolean;
  /** Columns to wrap text at. */
  width: number;
  /** Paths in SARIF are made relative to this directory. */
  cwd: string;
  /** When the scan ran (ASFF timestamps); default now. */
  now?: Date;
}

/** One output format: renders a scan result to the text written to stdout or --output. */
export interface Reporter {
  render(result: ScanResult, context: RenderContext): string;
}

/** Each format's module is loaded only when it is asked for (the JUnit builder, for one, is large). */
const REPORTERS: Record<Format, () => Promise<Reporter>> = {
  text: async () => (await import('./text')).textReporter,
  json: async () => (await import('./json')).jsonReporter,
  sarif: async () => (await import('./sarif')).sarifReporter,
  junit: async () => (await import('./junit')).junitReporter,
  markdown: async () => (await import('./markdown')).markdownReporter,
  asff: async () => (await import('./asff')).asffReporter,
};

export function reporterFor(format: Format): Promise<Reporter> {
  return REPORTERS[format]();
}
