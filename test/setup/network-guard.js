'use strict';
/**
 * Refuses every network connection to a host other than loopback, in the test runner and in every
 * Node child process the tests start (the runner puts `--require` of this file in NODE_OPTIONS).
 * A refused connection fails at once (an 'error' event) and is recorded. In the runner, a root afterEach fails the
 * test that tried (collectors turn errors into unknown values, so a thrown error alone could pass
 * unseen); in a child, it says so on stderr and the child exits 97 whatever it meant to exit with.
 */
const net = require('net');

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1', 'localhost']);
const BLOCKED_EXIT_CODE = 97;
const STATE = Symbol.for('sescheck.networkGuard');

class BlockedConnectionError extends Error {
  constructor(host) {
    super(`test tried to connect to ${host}: only 127.0.0.1 is allowed`);
    this.name = 'BlockedConnectionError';
  }
}

/** The host a Socket#connect call aims at; undefined for a local (IPC) socket path. */
function hostOf(args) {
  const [first, second] = args;
  // net.connect passes its arguments normalized: an array whose first item is the options.
  if (Array.isArray(first)) return hostOf(first);
  if (typeof first === 'object' && first !== null) {
    if (first.path && !first.host) return undefined;
    return first.host || 'localhost';
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return undefined;
  return typeof second === 'string' ? second : 'localhost';
}

/** True in the mocha process itself (the setup names its pid), false in the children it starts. */
function inTestRunner() {
  return process.env.SESCHECK_TEST_RUNNER_PID === String(process.pid);
}

if (!globalThis[STATE]) {
  const blockedConnections = [];
  globalThis[STATE] = { blockedConnections, BlockedConnectionError };
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const host = hostOf(args);
    if (host !== undefined && !LOOPBACK.has(host)) {
      blockedConnections.push(host);
      if (!inTestRunner()) {
        process.stderr.write(`network-guard: blocked a connection to ${host}\n`);
        process.on('exit', () => {
          process.exitCode = BLOCKED_EXIT_CODE;
        });
      }
      // Fails as a refused connection does: an 'error' event, after connect returns.
      const error = new BlockedConnectionError(host);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return original.apply(this, args);
  };
}

module.exports = { ...globalThis[STATE], BLOCKED_EXIT_CODE, hostOf };
