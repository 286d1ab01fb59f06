import assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import fs from 'fs';
import http from 'http';
import net, { type AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import yargs from 'yargs';
import { liveCommand, scanLive, type LiveScanOptions } from '../../src/cli/live';
import type { Cli } from '../../src/cli/global-options';
import { compareWithBaseline, newFindingsFail, readBaseline } from '../../src/results/baseline';
import { ConfigError } from '../../src/errors';
import { readAccountList } from '../../src/live/accounts';
import { READ_ONLY_POLICY } from '../../src/live/iam-policy';
import { ScanProgress } from '../../src/live/progress';
import type { Report, ReportFinding } from '../../src/results/scan-result';
import { BlockedConnectionError, blockedConnections } from '../setup/network-guard';

const ROOT = path.resolve(__dirname, '..', '..');

function finding(rule_id: string, resource: string, status: ReportFinding['status'] = 'fail', severity: ReportFinding['severity'] = 'high'): ReportFinding {
  return { rule_id, severity, status, resource, region: 'eu-west-1', message: `${rule_id} on ${resource}`, remediation: 'fix it' };
}

function report(findings: ReportFinding[]): Report {
  return {
    version: 1,
    tool: { name: 'sescheck', version: '0.1.0' },
    input: { kind: 'live', path: 'aws://111122223333' },
    findings,
    summary: { rules: 20, passed: 0, fail: findings.length, unknown: 0, waived: 0 },
  };
}

describe('docs/live.md', () => {
  it('shows exactly the read-only policy the scan is tested against', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs', 'live.md'), 'utf8');
    const block = /## The minimal read-only IAM policy[\s\S]*?```json\n([\s\S]*?)```/.exec(text);
    assert.ok(block, 'a json block under the policy heading');
    assert.deepStrictEqual(JSON.parse(block[1]), JSON.parse(JSON.stringify(READ_ONLY_POLICY)));
    for (const action of READ_ONLY_POLICY.Statement[0].Action) assert.match(action, /^[a-z0-9]+:(Get|List|Describe)[A-Za-z]+$/, 'read-only actions only');
  });
});

describe('test safety: every test and every child process it starts', () => {
  /** Runs a Node snippet in a child with the environment the runner gives every child. */
  function child(script: string) {
    return spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  }

  it('gives children no profile, no credential file, no metadata service, and the guard', () => {
    const run = child(`process.stdout.write(JSON.stringify(process.env))`);
    assert.strictEqual(run.status, 0, run.stderr);
    const env = JSON.parse(run.stdout) as Record<string, string | undefined>;
    assert.strictEqual(env.AWS_EC2_METADATA_DISABLED, 'true');
    assert.strictEqual(env.AWS_PROFILE, undefined);
    for (const file of [env.AWS_CONFIG_FILE, env.AWS_SHARED_CREDENTIALS_FILE]) {
      assert.ok(file && !fs.existsSync(file), `${file} does not exist`);
    }
    assert.strictEqual(env.AWS_ACCESS_KEY_ID, 'testing');
    assert.match(env.NODE_OPTIONS ?? '', /--require "[^"]*test\/setup\/network-guard\.js"/);
  });

  it('fails a child that connects anywhere but loopback: one line on stderr, exit 97', () => {
    for (const script of [
      `require('net').connect(443, '192.0.2.10').on('error', () => {})`,
      `require('net').connect({ host: 'example.com', port: 80 }).on('error', () => {})`,
      `require('http').get('http://example.com/').on('error', () => {})`,
      `fetch('https://sts.amazonaws.com/').catch(() => {})`,
    ]) {
      const run = child(script);
      assert.strictEqual(run.status, 97, `${script}: ${run.stderr}`);
      assert.match(run.stderr, /^network-guard: blocked a connection to (192\.0\.2\.10|example\.com|sts\.amazonaws\.com)\n/, script);
    }
  });

  it('lets a child reach 127.0.0.1', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const run = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const proc = spawn(process.execPath, ['-e', `fetch('http://127.0.0.1:${port}/').then((r) => r.text()).then((t) => process.stdout.write(t))`], { cwd: ROOT });
        let stdout = '';
        proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        proc.on('exit', (status) => resolve({ status, stdout }));
      });
      assert.deepStrictEqual(run, { status: 0, stdout: 'ok' });
    } finally {
      server.close();
    }
  });

  it('makes a CLI run that tries to reach AWS exit 97, whatever the CLI decided', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'sescheck'), 'live', '--region', 'eu-west-1', '--quiet', '--format', 'json'], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000,
    });
    assert.strictEqual(run.status, 97, run.stderr);
    assert.match(run.stderr, /network-guard: blocked a connection to sts\.eu-west-1\.amazonaws\.com/);
  });

  it('fails the test that tried, in the runner itself', async () => {
    const socket = new net.Socket();
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
    socket.connect(443, '192.0.2.10');
    assert.ok((await failed) instanceof BlockedConnectionError);
    assert.deepStrictEqual(blockedConnections.splice(0), ['192.0.2.10'], 'recorded for the root afterEach, which would fail this test');
  });
});

describe('baseline comparison', () => {
  const previous = report([finding('CT-001', 'aws://111122223333/eu-west-1'), finding('RT-001', 'arn:aws:s3:::old'), finding('ID-001', 'arn:x', 'unknown')]);
  const current = report([
    { ...finding('CT-001', 'aws://111122223333/eu-west-1'), message: 'reworded' },
    finding('CS-004', 'arn:aws:ses:eu-west-1:111122223333:configuration-set/new', 'fail', 'medium'),
    finding('ID-001', 'arn:x', 'fail'),
  ]);

  it('marks unchanged by rule, resource and status, whatever the message; a status change is new', () => {
    const marked = compareWithBaseline(current, previous, 'prev.json');
    assert.deepStrictEqual(marked.findings.map((f) => [f.rule_id, f.baseline]), [['CT-001', 'unchanged'], ['CS-004', 'new'], ['ID-001', 'new']]);
    assert.deepStrictEqual(marked.baseline.resolved.map((f) => f.rule_id), ['RT-001', 'ID-001']);
    assert.deepStrictEqual([marked.baseline.new, marked.baseline.unchanged], [2, 1]);
  });

  it('fails on new findings only with --fail-on-new semantics, at the threshold', () => {
    const marked = compareWithBaseline(current, previous, 'prev.json');
    assert.strictEqual(newFindingsFail(marked, 'high', false), true, 'ID-001 went from unknown to a high fail');
    const onlyMedium = compareWithBaseline(report([current.findings[0], current.findings[1]]), previous, 'prev.json');
    assert.strictEqual(newFindingsFail(onlyMedium, 'high', false), false);
    assert.strictEqual(newFindingsFail(onlyMedium, 'medium', false), true);
  });

  it('rejects a baseline that is not a JSON report, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-baseline-'));
    try {
      const file = path.join(dir, 'b.json');
      fs.writeFileSync(file, '<sarif/>');
      assert.throws(() => readBaseline(file), (e: Error) => e instanceof ConfigError && e.message.includes(file) && e.message.includes('--format json'));
      fs.writeFileSync(file, JSON.stringify({ version: 1, findings: [{ rule_id: 'CT-001' }] }));
      assert.throws(() => readBaseline(file), /finding 1 has no rule_id, resource or status/);
      assert.throws(() => readBaseline(path.join(dir, 'missing.json')), /cannot read --baseline .*missing\.json: no such file or directory$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--accounts file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-accounts-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    const file = path.join(dir, 'accounts');
    fs.writeFileSync(file, text);
    return file;
  };

  it('reads one id a line with comments, and YAML or JSON lists', () => {
    assert.deepStrictEqual(readAccountList(write('# prod\n111122223333\n\n012345678901  # zero first\n111122223333\n')), ['111122223333', '012345678901']);
    assert.deepStrictEqual(readAccountList(write('["111122223333", "444455556666"]')), ['111122223333', '444455556666']);
    assert.deepStrictEqual(readAccountList(write("- '111122223333'\n- '012345678901'\n")), ['111122223333', '012345678901']);
  });

  it('names the line of a wrong id, refuses unquoted numbers and an empty list', () => {
    assert.throws(() => readAccountList(write('111122223333\nprod-account\n')), /line 2: "prod-account" is not a 12-digit AWS account id/);
    assert.throws(() => readAccountList(write('- 111122223333\n')), /entry 1: quote account ids/);
    assert.throws(() => readAccountList(write('# nobody\n')), /lists no account/);
  });
});

describe('sescheck live command line', () => {
  const base: LiveScanOptions = { regions: ['eu-west-1'], allRegions: false, concurrency: 4, failOnNew: false, format: 'json', failOn: 'low' };

  it('rejects contradictory or incomplete options as user errors before calling AWS', async () => {
    const cases: [Partial<LiveScanOptions>, RegExp][] = [
      [{ regions: [] }, /--region \(repeatable\) or --all-regions/],
      [{ allRegions: true }, /exclude each other/],
      [{ regions: ['eu-west'] }, /--region eu-west: not an AWS region name/],
      [{ accountsFile: 'a.txt' }, /--accounts needs --role-name/],
      [{ accountsFile: 'a.txt', roleName: 'r', roleArn: 'arn:aws:iam::111122223333:role/r' }, /--accounts and --role-arn exclude each other/],
      [{ roleArn: 'sescheck' }, /not an IAM role ARN/],
      [{ externalId: 'x' }, /--external-id needs --role-arn, --accounts or --organization/],
      [{ failOnNew: true }, /--fail-on-new needs --baseline/],
      [{ endpointUrl: 'localhost:5000' }, /not an http\(s\) URL/],
      [{ concurrency: 0 }, /from 1 to 32/],
    ];
    for (const [overrides, message] of cases) {
      await assert.rejects(scanLive({ ...base, ...overrides }), (e: Error) => e instanceof ConfigError && message.test(e.message), String(message));
    }
  });

  it('parses repeatable and comma-separated regions and exits 2 with one line for a usage error', async () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    const previous = process.exitCode;
    try {
      const cli = liveCommand(yargs(['live', '--region', 'eu-west-1,us-west-2', '--region', 'nowhere', '--format', 'json']) as unknown as Cli).exitProcess(false);
      await cli.parseAsync();
      assert.strictEqual(process.exitCode, 2);
      assert.deepStrictEqual(written, ['sescheck: --region nowhere: not an AWS region name (like eu-west-1)\n']);
    } finally {
      process.stderr.write = original;
      process.exitCode = previous;
    }
  });

  it('draws progress only on a terminal and never with --quiet', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    assert.strictEqual(ScanProgress.wanted(false, tty), true);
    assert.strictEqual(ScanProgress.wanted(true, tty), false);
    assert.strictEqual(ScanProgress.wanted(false, pipe), false);
  });
});
