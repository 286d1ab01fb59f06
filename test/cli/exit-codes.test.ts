import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PROJECT_ROOT } from '../../src/engine/bundle';
import { runHandler, EXIT_BUG, EXIT_USAGE } from '../../src/cli/run';
import { reportPostures } from '../../src/cli/scan';
import { InputError } from '../../src/errors';
import { snapshotBundle, tlsPosture } from '../report/helpers';

/** Runs a handler as the CLI does, capturing stderr and the exit code (restored afterwards). */
async function exitOf(handler: () => Promise<number> | number): Promise<{ code: number | undefined; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  const previous = process.exitCode;
  let stderr = '';
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    await runHandler(handler);
    return { code: process.exitCode as number | undefined, stderr };
  } finally {
    process.stderr.write = write;
    process.exitCode = previous;
  }
}

describe('exit codes of a command handler', () => {
  it('is what the handler returns (0 or 1)', async () => {
    assert.equal((await exitOf(() => 0)).code, 0);
    assert.equal((await exitOf(() => 1)).code, 1);
  });

  it('is 2 for a user error, printed as one line', async () => {
    const { code, stderr } = await exitOf(() => {
      throw new InputError('plan.json is not a Terraform plan');
    });
    assert.equal(code, EXIT_USAGE);
    assert.equal(stderr, 'sescheck: plan.json is not a Terraform plan\n');
  });

  it('is 3 for anything else, saying it is a bug and how to report it', async () => {
    const posture = tlsPosture() as unknown as Record<string, unknown>;
    delete posture.identities;
    const { code, stderr } = await exitOf(() => reportPostures([posture as never], { format: 'json', failOn: 'low', bundle: snapshotBundle(), quiet: true }));
    assert.equal(code, EXIT_BUG);
    assert.match(stderr, /^sescheck: internal error: the posture document of plan\.json does not match the schema/);
    assert.match(stderr, /This is a bug in sescheck\. Please report it with the command you ran and the output of --debug\./);
  });
});

describe('bin/sescheck ends once its output is written', function () {
  this.timeout(120_000);

  it('with its report and exit code, though something still keeps the event loop alive (the HCL parser leaves a timer pending)', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-exit-'));
    try {
      // A timer of ten minutes: without the exit, the run would wait for it.
      const keepAlive = path.join(directory, 'keep-alive.js');
      fs.writeFileSync(keepAlive, 'setTimeout(() => {}, 600_000);\n');
      const bin = path.join(PROJECT_ROOT, 'bin', 'sescheck');
      const run = spawnSync(process.execPath, ['--require', keepAlive, bin, 'plan', path.join(PROJECT_ROOT, 'examples', 'insecure', 'plan.json'), '--format', 'json'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      assert.equal(run.signal, null, 'the run was still going after a minute');
      assert.equal(run.status, 1);
      assert.ok((JSON.parse(run.stdout) as { findings: unknown[] }).findings.length > 0);
      assert.match(run.stderr, /^sescheck: 19 rules: \d+ passed, \d+ failed/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
