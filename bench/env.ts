/**
 * The environment of every measured run. NODE_EXTRA_CA_CERTS makes each Node process parse that
 * file of certificates at start (0.1 s on the bench machine, where it is set), which none of these
 * runs needs and which the other tools do not pay: it is left out unless BENCH_KEEP_ENV=1.
 */
export function benchEnv(): NodeJS.ProcessEnv {
  if (process.env.BENCH_KEEP_ENV === '1') return process.env;
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}
