import assert from 'assert';
import { spawn } from 'child_process';
import path from 'path';
import { scanLive } from '../../src/cli/live';
import { ConfigError } from '../../src/errors';
import { PolicyEngine } from '../../src/engine/evaluate';
import { defaultSettings } from '../../src/engine/settings';
import { actionsWithoutAnswerCheck } from '../../src/live/answers';
import { collectAccount } from '../../src/live/collect-account';
import type { TimeLimits } from '../../src/live/scan-context';
import type { Posture } from '../../src/posture/types';
import { postureProblems } from '../../src/posture/validate';
import { credentials } from './helpers';
import { startFaultProxy, type FaultKind, type FaultProxy } from './fault-proxy';
import { startMoto, type MotoServer } from './moto';
import { ACCOUNT, REGION, seedReferenceSetup } from './seed';
import { answerMotoGaps } from './supplement';

const ROOT = path.resolve(__dirname, '..', '..');

/** Short limits so that every fault ends in well under a second or two (the defaults are in docs/live.md). */
const LIMITS: TimeLimits = { connectTimeoutMs: 500, requestTimeoutMs: 400, maxAttempts: 2, callTimeoutMs: 1_500 };

/** Every fault of the table, scanned in one region, must end within this (the suite runs in seconds). */
const SCAN_BOUND_MS = 8_000;

type Verdict = Map<string, string>;

/** Runs bin/sescheck without blocking this process, which serves the proxy the child talks to. */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; elapsed: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'sescheck'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, elapsed: Date.now() - started });
    });
  });
}

describe('sescheck live against a flaky cloud (fault proxy in front of moto on 127.0.0.1)', function () {
  this.timeout(120_000);
  let moto: MotoServer | undefined;
  let proxy: FaultProxy;
  let engine: PolicyEngine;
  let healthy: Verdict;

  /** Each rule and resource's status: fail, unknown or pass (judged without a finding). */
  function verdicts(posture: Posture): Verdict {
    const { findings, checked } = engine.evaluate(posture, defaultSettings());
    const verdict: Verdict = new Map(checked.map((c) => [`${c.rule_id} ${c.resource}`, 'pass']));
    for (const finding of findings) verdict.set(`${finding.rule_id} ${finding.resource}`, finding.status);
    return verdict;
  }

  async function scan(): Promise<{ posture: Posture; elapsed: number }> {
    const started = Date.now();
    const posture = await collectAccount({ regions: [REGION], credentials, endpointUrl: proxy.endpoint, limits: LIMITS, hooks: { onClient: answerMotoGaps } });
    return { posture, elapsed: Date.now() - started };
  }

  before(async () => {
    moto = await startMoto();
    await seedReferenceSetup(moto.endpoint);
    proxy = await startFaultProxy(moto.endpoint);
    engine = await PolicyEngine.load();
    const { posture } = await scan();
    assert.deepStrictEqual(posture.notes, [], 'through the proxy without faults, every call is answered');
    healthy = verdicts(posture);
    assert.ok([...healthy.values()].includes('pass') && [...healthy.values()].includes('fail'), 'the healthy account has passes and fails to lose');
  });

  afterEach(() => {
    proxy.faults.clear();
    proxy.faulted.splice(0);
  });

  after(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('checks the answer of every call the scan makes', () => {
    assert.deepStrictEqual(actionsWithoutAnswerCheck(), []);
  });

  const cases: { api: string; action: string; fault: FaultKind; reason: RegExp }[] = [
    { api: 'DescribeTrails', action: 'cloudtrail:DescribeTrails', fault: 'empty-200', reason: /IncompleteAnswer on cloudtrail:DescribeTrails in eu-west-1 \(the 200 answer has no body\)/ },
    { api: 'ListEmailIdentities', action: 'ses:ListEmailIdentities', fault: 'no-list-200', reason: /IncompleteAnswer on ses:ListEmailIdentities in eu-west-1 \(the answer has no EmailIdentities\)/ },
    { api: 'DescribeDeliverySources', action: 'logs:DescribeDeliverySources', fault: 'no-list-200', reason: /IncompleteAnswer on logs:DescribeDeliverySources in eu-west-1/ },
    { api: 'GetBucketVersioning', action: 's3:GetBucketVersioning', fault: 'empty-200', reason: /IncompleteAnswer on s3:GetBucketVersioning in eu-west-1 \(the 200 answer has no body\)/ },
    { api: 'DescribeTrails', action: 'cloudtrail:DescribeTrails', fault: 'black-hole', reason: /TimeoutError on cloudtrail:DescribeTrails in eu-west-1 \(no answer within 0\.4 s per attempt, 2 attempts\)/ },
    { api: 'ListConfigurationSets', action: 'ses:ListConfigurationSets', fault: 'slow-throttle', reason: /on ses:ListConfigurationSets in eu-west-1/ },
    { api: 'DescribeTrails', action: 'cloudtrail:DescribeTrails', fault: 'truncated', reason: /on cloudtrail:DescribeTrails in eu-west-1/ },
    { api: 'ListEmailIdentities', action: 'ses:ListEmailIdentities', fault: 'stalled', reason: /TimeoutError on ses:ListEmailIdentities in eu-west-1 \(the answer stopped for 0\.4 s/ },
    { api: 'DescribeTrails', action: 'cloudtrail:DescribeTrails', fault: 'cut-json', reason: /on cloudtrail:DescribeTrails in eu-west-1/ },
    { api: 'DescribeLogGroups', action: 'logs:DescribeLogGroups', fault: 'black-hole', reason: /TimeoutError on logs:DescribeLogGroups in eu-west-1/ },
    // A paginator fed the same token again would call forever: each list is a fault instead.
    { api: 'DescribeDeliverySources', action: 'logs:DescribeDeliverySources', fault: 'same-token', reason: /IncompleteAnswer on logs:DescribeDeliverySources in eu-west-1 \(the same page token came back twice\)/ },
    { api: 'ListEmailIdentities', action: 'ses:ListEmailIdentities', fault: 'same-token', reason: /IncompleteAnswer on ses:ListEmailIdentities in eu-west-1 \(the same page token came back twice\)/ },
    { api: 'ListConfigurationSets', action: 'ses:ListConfigurationSets', fault: 'same-token', reason: /IncompleteAnswer on ses:ListConfigurationSets in eu-west-1 \(the same page token came back twice\)/ },
  ];

  for (const { api, action, fault, reason } of cases) {
    it(`${fault} on ${action}: unknown naming the API, never a pass, within the bound`, async () => {
      proxy.faults.set(api, fault);
      const { posture, elapsed } = await scan();
      assert.ok(proxy.faulted.includes(api), `the proxy faulted ${api}`);
      assert.ok(elapsed < SCAN_BOUND_MS, `scan took ${elapsed} ms`);
      assert.deepStrictEqual(postureProblems(posture), []);
      const notes = posture.notes.filter((n) => `${n.service}:${n.api}` === action);
      assert.ok(notes.length > 0, `a note names ${action}: ${JSON.stringify(posture.notes)}`);
      assert.match(notes[0].message, reason);
      const faulty = verdicts(posture);
      const unknownNaming = [...engine.evaluate(posture, defaultSettings()).findings].filter((f) => f.status === 'unknown' && f.message.includes(action));
      assert.ok(unknownNaming.length > 0, `an unknown finding names ${action}`);
      // A fault may hide a check (unknown), never turn a failing or unknown check into a pass.
      // (A target only the faulty scan has, such as a global endpoint of unknown region, may pass: it hides nothing the healthy scan judged.)
      const newPasses = [...faulty].filter(([key, status]) => status === 'pass' && healthy.has(key) && healthy.get(key) !== 'pass').map(([key]) => key);
      assert.deepStrictEqual(newPasses, []);
      const lostFails = [...healthy].filter(([key, status]) => status === 'fail' && faulty.get(key) === 'pass').map(([key]) => key);
      assert.deepStrictEqual(lostFails, []);
    });
  }

  it('stops calling an endpoint that swallowed a call: the rest of its calls are unknown at once', async () => {
    proxy.faults.set('DescribeDeliverySources', 'black-hole');
    const { posture, elapsed } = await scan();
    const logs = posture.notes.filter((n) => n.service === 'logs').map((n) => `${n.api}: ${n.message}`);
    assert.ok(logs.some((n) => n.startsWith('DescribeDeliveryDestinations: TimeoutError') && n.includes('not sent, as an earlier call to this endpoint got no answer')), logs.join('\n'));
    assert.deepStrictEqual(proxy.faulted, ['DescribeDeliverySources', 'DescribeDeliverySources'], 'two attempts, then nothing more to that endpoint');
    assert.ok(elapsed < 2 * LIMITS.callTimeoutMs + 2_000, `scan took ${elapsed} ms`);
  });

  it('keeps calling an endpoint that answers, even when a throttled call ran out of time', async () => {
    proxy.faults.set('ListConfigurationSets', 'slow-throttle');
    const { posture } = await scan();
    assert.ok(posture.notes.some((n) => n.api === 'ListConfigurationSets'), 'the throttled call is a fault');
    // Adaptive retry may also slow a later call past its limit on a loaded machine; what must not happen is the endpoint being cut off.
    assert.deepStrictEqual(posture.notes.filter((n) => n.message.includes('not sent, as an earlier call to this endpoint got no answer')), []);
    assert.ok(posture.identities.some((i) => i.identity === 'noreply@example.org'), 'the identities were read from the same endpoint');
  });

  it('stops calling an endpoint whose answer stalled', async () => {
    proxy.faults.set('GetConfigurationSet', 'stalled');
    const { posture } = await scan();
    const notes = posture.notes.filter((n) => n.service === 'ses');
    // The two configuration sets are read at the same time: both stall; every later call is not sent.
    const stalled = notes.filter((n) => /^TimeoutError on ses:GetConfigurationSet in eu-west-1 \(the answer stopped for 0\.4 s/.test(n.message));
    const notSent = notes.filter((n) => n.message.includes('(not sent, as an earlier call to this endpoint got no answer: the answer stopped'));
    assert.strictEqual(stalled.length, 2, notes.map((n) => n.message).join('\n'));
    assert.deepStrictEqual(notSent.map((n) => n.api).sort(), ['GetConfigurationSetEventDestinations', 'GetConfigurationSetEventDestinations', 'ListEmailIdentities', 'ListMultiRegionEndpoints']);
    assert.strictEqual(stalled.length + notSent.length, notes.length);
  });

  it('bounds one call by the call limit even when each attempt keeps within its own', async () => {
    // Throttled with a Retry-After of 30 s: the SDK would wait; the call limit ends it.
    proxy.faults.set('DescribeTrails', 'slow-throttle');
    const started = Date.now();
    const posture = await collectAccount({
      regions: [REGION], credentials, endpointUrl: proxy.endpoint, hooks: { onClient: answerMotoGaps },
      limits: { ...LIMITS, maxAttempts: 10, callTimeoutMs: 1_000 },
    });
    const note = posture.notes.find((n) => n.api === 'DescribeTrails');
    assert.match(note?.message ?? '', /TimeoutError on cloudtrail:DescribeTrails in eu-west-1 \(no whole answer within the 1 s call limit\)/);
    assert.ok(Date.now() - started < SCAN_BOUND_MS);
  });

  it('takes an empty STS answer as an account it cannot read: every check unknown, none failed', async () => {
    proxy.faults.set('GetCallerIdentity', 'empty-200');
    const { posture } = await scan();
    assert.strictEqual(posture.source.path, 'aws://unknown-account');
    const { findings } = engine.evaluate(posture, defaultSettings());
    assert.ok(findings.length > 0);
    assert.deepStrictEqual(findings.filter((f) => f.status !== 'unknown').map((f) => f.rule_id), []);
    for (const finding of findings) assert.match(finding.message, /IncompleteAnswer on sts:GetCallerIdentity in eu-west-1/);
  });

  it('refuses --all-regions when the account lists no region: exit 2, one line', async () => {
    proxy.faults.set('ListRegions', 'zero-regions');
    await assert.rejects(
      scanLive({ regions: [], allRegions: true, endpointUrl: proxy.endpoint, concurrency: 1, failOn: 'high', quiet: true, failOnNew: false, cwd: ROOT, format: 'json', limits: LIMITS }),
      (error: Error) => error instanceof ConfigError && /--all-regions: account:ListRegions listed no enabled region for account 123456789012/.test(error.message),
    );
    const run = await runCli(['live', '--all-regions', '--endpoint-url', proxy.endpoint, '--format', 'json']);
    assert.strictEqual(run.status, 2, run.stderr);
    assert.deepStrictEqual(run.stderr.split('\n').filter(Boolean), [`sescheck: --all-regions: account:ListRegions listed no enabled region for account ${ACCOUNT}; name the regions with --region`]);
  });

  it('keeps stderr to sescheck lines in a CLI run with faults, within the bound set by its options', async () => {
    proxy.faults.set('DescribeTrails', 'black-hole');
    proxy.faults.set('ListEmailIdentities', 'empty-200');
    const run = await runCli([
      'live', '--region', REGION, '--endpoint-url', proxy.endpoint, '--format', 'json', '--fail-on', 'none',
      '--connect-timeout', '0.5', '--request-timeout', '0.4', '--max-attempts', '2', '--call-timeout', '1.5',
    ]);
    assert.strictEqual(run.status, 0, run.stderr);
    assert.ok(run.elapsed < 20_000, `the run took ${run.elapsed} ms`);
    const lines = run.stderr.split('\n').filter(Boolean);
    assert.deepStrictEqual(lines.filter((line) => !line.startsWith('sescheck: ')), [], 'no SDK warning or stack trace on stderr');
    assert.ok(lines.some((line) => /^sescheck: note: TimeoutError on cloudtrail:DescribeTrails in eu-west-1/.test(line)), run.stderr);
    assert.ok(lines.some((line) => /^sescheck: note: IncompleteAnswer on ses:ListEmailIdentities in eu-west-1/.test(line)), run.stderr);
    const report = JSON.parse(run.stdout) as { findings: { status: string; message: string }[] };
    assert.ok(report.findings.some((f) => f.status === 'unknown' && f.message.includes('cloudtrail:DescribeTrails')));
  });

  it('refuses time limits out of range, or given twice, with one line', async () => {
    const base = { regions: [REGION], allRegions: false, concurrency: 1, failOn: 'high' as const, quiet: true, failOnNew: false, cwd: ROOT, format: 'json' as const };
    for (const [limits, maxAttempts, message] of [
      [{ requestTimeoutMs: 0 }, undefined, /--request-timeout 0: give seconds from 0.01 to 3600/],
      [{ callTimeoutMs: Number.NaN }, undefined, /--call-timeout NaN/],
      [{}, 0, /--max-attempts 0: give a whole number from 1 to 10/],
    ] as const) {
      await assert.rejects(scanLive({ ...base, limits, maxAttempts }), (e: Error) => e instanceof ConfigError && message.test(e.message), String(message));
    }
    const run = await runCli(['live', '--region', REGION, '--call-timeout', '1', '--call-timeout', '2']);
    assert.strictEqual(run.status, 2, run.stderr);
    assert.strictEqual(run.stderr.split('\n').filter(Boolean).length, 1, run.stderr);
  });
});
