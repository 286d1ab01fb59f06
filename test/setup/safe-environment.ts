/**
 * Loaded once for the whole mocha run (.mocharc.json `require`), before any test file: no test, and
 * no process a test starts, can read real AWS credentials or profiles, probe the instance metadata
 * service, or connect anywhere but loopback.
 */
import os from 'os';
import path from 'path';
import { blockedConnections } from './network-guard';

const GUARD = path.join(__dirname, 'network-guard.js');
/** Files that do not exist: the SDK finds no profile and no shared credentials. */
const NOWHERE = path.join(os.tmpdir(), `sescheck-tests-no-aws-config-${process.pid}`, 'absent');

/** Variables that could lead the SDK to real credentials, another endpoint, or a metadata service. */
const UNSET = [
  'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME', 'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_CREDENTIAL_EXPIRATION',
  // The product's own choice is under test (test/live/faults.test.ts checks stderr).
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
];

export function makeEnvironmentSafe(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of UNSET) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('AWS_ENDPOINT_URL')) delete env[name];
  env.AWS_EC2_METADATA_DISABLED = 'true';
  env.AWS_CONFIG_FILE = path.join(NOWHERE, 'config');
  env.AWS_SHARED_CREDENTIALS_FILE = path.join(NOWHERE, 'credentials');
  // Stand-ins for the default credential chain: never real keys, and the chain stops here.
  env.AWS_ACCESS_KEY_ID = 'testing';
  env.AWS_SECRET_ACCESS_KEY = 'testing';
  env.AWS_SESSION_TOKEN = 'testing';
  env.SESCHECK_TEST_RUNNER_PID = String(process.pid);
  const guard = `--require ${JSON.stringify(GUARD)}`;
  if (!(env.NODE_OPTIONS ?? '').includes(guard)) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${guard}`.trim();
}

makeEnvironmentSafe();

/** Root hooks for every test of the run. */
export const mochaHooks = {
  afterEach(): void {
    if (blockedConnections.length > 0) {
      const hosts = blockedConnections.splice(0).join(', ');
      throw new Error(`a test tried to reach a non-loopback host: ${hosts}`);
    }
  },
};
