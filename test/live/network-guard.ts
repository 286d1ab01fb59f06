/**
 * Loaded by every live test: any connection to a host other than loopback throws at once and is
 * recorded, and a root afterEach fails the run if one was tried (collectors turn errors into
 * unknown values, so a thrown error alone could pass unseen).
 */
import net from 'net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);
export const blockedConnections: string[] = [];

export class BlockedConnectionError extends Error {
  override readonly name = 'BlockedConnectionError';
}

function hostOf(args: unknown[]): string | undefined {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const options = first as { host?: string; path?: string };
    if (options.path && !options.host) return undefined;
    return options.host ?? 'localhost';
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return undefined;
  return typeof second === 'string' ? second : 'localhost';
}

const key = Symbol.for('sescheck.networkGuard');
const state = globalThis as unknown as Record<symbol, boolean>;
if (!state[key]) {
  state[key] = true;
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const host = hostOf(args);
    if (host !== undefined && !LOOPBACK.has(host)) {
      blockedConnections.push(host);
      // In a child process (no mocha), say so on stderr and fail the process whatever it exits with.
      if (typeof afterEach !== 'function') {
        process.stderr.write(`network-guard: blocked a connection to ${host}\n`);
        process.on('exit', () => {
          process.exitCode = 97;
        });
      }
      throw new BlockedConnectionError(`test tried to connect to ${host}: only 127.0.0.1 is allowed`);
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  // No test reads real credentials, the instance metadata service or a real AWS endpoint.
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_SESSION_TOKEN = 'testing';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_PROFILE;
  process.env.AWS_CONFIG_FILE = '/dev/null';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  if (typeof afterEach === 'function') {
    afterEach(function checkNoRealEndpoint() {
      if (blockedConnections.length > 0) {
        const hosts = blockedConnections.splice(0).join(', ');
        throw new Error(`a test tried to reach a non-loopback host: ${hosts}`);
      }
    });
  }
}
