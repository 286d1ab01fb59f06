import type { Reporter } from './reporter';

/** The documented JSON report (version 1), as built: the other formats derive from it. */
export const jsonReporter: Reporter = {
  render: ({ report }) => `${JSON.stringify(report, null, 2)}\n`,
};
