import assert from 'node:assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { InputError } from '../../src/errors';
import { readConfigPath } from '../../src/inputs/config';
import { readPlanFile } from '../../src/inputs/plan';
import { fixture } from './helpers';

/** The read fails with one line, an InputError, matching `pattern`. */
async function rejectsWithLine(read: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(read, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}

function temporaryDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-inputs-bad-'));
}

describe('inputs: bad input is one clear line', () => {
  it('a missing file', async () => {
    await rejectsWithLine(() => readPlanFile(fixture('bad', 'nope.json')), /nope\.json: no such file or directory$/);
    await rejectsWithLine(() => readConfigPath(fixture('bad', 'nope')), /nope: no such file or directory$/);
  });

  it('a binary plan file says how to make the JSON', async () => {
    await rejectsWithLine(
      () => readPlanFile(fixture('bad', 'plan.out')),
      /plan\.out is a binary Terraform plan file; run `terraform show -json .*plan\.out > plan\.json` and pass plan\.json$/,
    );
  });

  it('truncated JSON says where it ends', async () => {
    await rejectsWithLine(() => readPlanFile(fixture('bad', 'truncated-plan.json')), /truncated-plan\.json: invalid JSON: the text ends early at offset 5000 \(truncated file\?\)$/);
  });

  it('invalid JSON says the line and column', async () => {
    await rejectsWithLine(() => readPlanFile(fixture('bad', 'invalid.json')), /invalid\.json: invalid JSON at line 4, column 37: unexpected "}"$/);
  });

  it('HCL given as a plan says to scan it with config', async () => {
    await rejectsWithLine(
      () => readPlanFile(fixture('hcl', 'main.tf')),
      /main\.tf is Terraform configuration \(HCL\), not JSON; scan it with `sescheck config .*main\.tf`$/,
    );
  });

  it('JSON that is neither a plan nor a state', async () => {
    await rejectsWithLine(() => readPlanFile(fixture('bad', 'not-terraform.json')), /not-terraform\.json is neither a Terraform plan nor a state: it has no format_version/);
    await rejectsWithLine(() => readConfigPath(fixture('bad', 'not-terraform.json')), /not-terraform\.json is not Terraform JSON/);
  });

  it('an unsupported format_version major', async () => {
    await rejectsWithLine(() => readPlanFile(fixture('bad', 'format-2.json')), /format-2\.json: unsupported format_version 2\.0; sescheck reads format 1\.x/);
  });

  it('a raw state file, Terraform JSON given as a plan, and a plan given as configuration', async () => {
    await rejectsWithLine(() => readPlanFile(fixture('bad', 'raw-state.json')), /raw Terraform state file; run `terraform show -json > state\.json`/);
    await rejectsWithLine(() => readPlanFile(fixture('tfjson', 'main.tf.json')), /is Terraform configuration \(Terraform JSON\), not a plan or state/);
    await rejectsWithLine(() => readConfigPath(fixture('plan-compliant.json')), /is a Terraform plan or state, not configuration/);
  });

  it('an empty directory, a directory given as a plan, and an empty file', async () => {
    const empty = temporaryDirectory();
    await rejectsWithLine(() => readConfigPath(empty), /: no Terraform files \(\*\.tf, \*\.tf\.json, or cdktf\.out\/stacks\/\*\/cdk\.tf\.json\) in this directory$/);
    await rejectsWithLine(() => readPlanFile(empty), /is a directory, expected a file$/);
    const emptyFile = path.join(empty, 'plan.json');
    fs.writeFileSync(emptyFile, '\n');
    await rejectsWithLine(() => readPlanFile(emptyFile), /plan\.json is empty/);
    fs.mkdirSync(path.join(empty, 'cdktf.out', 'stacks'), { recursive: true });
    await rejectsWithLine(() => readConfigPath(empty), /no synthesized stacks .* run `cdktf synth` first$/);
  });

  it('invalid HCL', async () => {
    await rejectsWithLine(() => readConfigPath(fixture('bad', 'invalid.tf')), /invalid\.tf: invalid HCL: .*Unclosed configuration block/);
  });
});
