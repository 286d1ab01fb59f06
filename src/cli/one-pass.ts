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

/**
 * HCL is converted by a Go program in wasm (@cdktf/hcl2json). Its runtime's start runs enough code
 * for V8 to compile some 40 of its functions again with TurboFan, its optimizing wasm compiler:
 * about 0.4 s of CPU on the second core for a one-resource .tf. Up to this many bytes of HCL,
 * V8's baseline wasm compiler (Liftoff) alone converts it sooner; past it the optimized code pays
 * (3.4 MB: 9.4 s with it, 12.9 s without). Measured in docs/architecture.md#performance.
 */
export const HCL_BASELINE_MAX_BYTES = 512 * 1024;

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

/** V8's flags, loaded only by a run that tunes them. */
function setV8Flags(flags: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('v8') as typeof import('v8')).setFlagsFromString(flags);
}

/** Turns V8's optimizing compiler off for an input of this many bytes, when allowed; whether it did. */
export function tuneForOnePass(inputBytes: number): boolean {
  if (!allowed || inputBytes > ONE_PASS_MAX_INPUT_BYTES) return false;
  setV8Flags('--no-opt');
  return true;
}

/**
 * Before the HCL parser's wasm is compiled: leaves it (and whatever wasm the run compiles after
 * it) to V8's baseline compiler when the run converts this many bytes of HCL or fewer, when
 * allowed; whether it did.
 */
export function tuneForHcl(hclBytes: number): boolean {
  if (!allowed || hclBytes === 0 || hclBytes > HCL_BASELINE_MAX_BYTES) return false;
  setV8Flags('--liftoff-only');
  return true;
}
