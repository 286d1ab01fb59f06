/**
 * V8's optimizing compiler and a scan's one pass. Most of what a `plan` run executes, the mapping
 * of the plan above all, runs once over the input: TurboFan compiles the functions that get hot on
 * the second core and the optimized code has little left to run. Without it (`--no-opt`, set once
 * the plan is read) a run uses about a sixth less CPU at 10k resources (0.97 → 0.82 s) and a
 * tenth less at 1k and 50k, in the same wall time or less. Past ONE_PASS_MAX_INPUT_BYTES the
 * mapping runs long enough for optimized code to pay (216 MB: 6.3–6.6 s with it, 7.7–8.4 s
 * without), so larger inputs keep it.
 */
export const ONE_PASS_MAX_INPUT_BYTES = 64 * 1024 ** 2;

let allowed = false;

/**
 * Lets a run tune V8 for its input: only bin/sescheck's own run on Node 20, whose code cache was
 * consumed at start. A program that embeds the CLI (the tests, the code cache build, whose cache
 * V8 would reject if it were made under other flags) keeps V8's flags as they are, and so does
 * Node 22+, whose own compile cache is keyed by the flags too.
 */
export function allowOnePassTuning(): void {
  allowed = true;
}

/** Turns V8's optimizing compiler off for an input of this many bytes, when allowed; whether it did. */
export function tuneForOnePass(inputBytes: number): boolean {
  if (!allowed || inputBytes > ONE_PASS_MAX_INPUT_BYTES) return false;
  // Loaded here: a run that never tunes does not load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('v8') as typeof import('v8')).setFlagsFromString('--no-opt');
  return true;
}
