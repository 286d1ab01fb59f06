import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../../src/engine/bundle';
import { snapshotBundle } from '../report/helpers';

/**
 * The pre-commit hook (.pre-commit-hooks.yaml) and the GitLab CI template (ci/gitlab/), run here:
 * their script on temporary Terraform directories, against the repository's built CLI.
 */
interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames?: boolean;
}
interface GitlabJob {
  extends?: string;
  script?: string[];
  before_script?: string[];
  variables?: Record<string, string>;
  artifacts?: { reports?: { junit?: string } };
}

const hooks = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const gitlab = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'ci', 'gitlab', 'sescheck.gitlab-ci.yml'), 'utf8')) as Record<string, GitlabJob>;
/** Where the GitLab template clones sescheck; the tests use this repository instead. */
const CLONE = '/tmp/sescheck';
const example = (name: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'examples', name, 'main.tf'), 'utf8');

let dir: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

/** Runs the hook as pre-commit does: its entry, from the repository being committed, with the files last. */
function runHook(files: string[], args: string[] = []) {
  const [hook] = hooks;
  const run = spawnSync(path.join(PROJECT_ROOT, hook.entry), [...args, '--bundle', snapshotBundle(), ...files], { cwd: dir, encoding: 'utf8' });
  return { code: run.status, output: run.stdout + run.stderr };
}

describe('pre-commit hook and GitLab CI template', function () {
  // Each case runs the CLI in several processes; the HCL parser alone takes seconds on a busy machine.
  this.timeout(180000);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-hooks-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('.pre-commit-hooks.yaml', () => {
    it('defines one hook whose entry is an executable script of this repository, for Terraform files only', () => {
      assert.deepEqual(hooks.map((hook) => hook.id), ['sescheck-config']);
      const [hook] = hooks;
      assert.equal(hook.language, 'script');
      const stat = fs.statSync(path.join(PROJECT_ROOT, hook.entry));
      assert.ok(stat.mode & 0o111, `${hook.entry} is executable`);
      assert.notEqual(hook.pass_filenames, false, 'pre-commit passes the changed files');
      const pattern = new RegExp(hook.files);
      for (const file of ['main.tf', 'infra/ses/cdk.tf.json']) assert.match(file, pattern);
      for (const file of ['terraform.tfvars', 'README.md', 'plan.json', 'main.tf.bak']) assert.doesNotMatch(file, pattern);
    });

    it('checks each directory with a changed file once, and fails when one has findings', () => {
      write('mail/main.tf', example('insecure'));
      write('mail/outputs.tf', 'output "x" {\n  value = 1\n}\n');
      write('logging/main.tf', example('secure'));
      const failing = runHook(['mail/main.tf', 'mail/outputs.tf', 'logging/main.tf']);
      assert.equal(failing.code, 1);
      assert.equal(failing.output.match(/^sescheck [\d.]+: config mail$/gm)?.length, 1, 'mail is checked once');
      assert.match(failing.output, /^sescheck [\d.]+: config logging$/m);
      assert.match(failing.output, /FAIL {5}aws_sesv2_configuration_set\.main/);
      const clean = runHook(['logging/main.tf']);
      assert.equal(clean.code, 0, clean.output);
      assert.doesNotMatch(clean.output, /config mail/);
    });

    it('passes options before the files to sescheck', () => {
      write('mail/main.tf', example('insecure'));
      assert.equal(runHook(['mail/main.tf'], ['--fail-on', 'none']).code, 0);
      const tlsOnly = runHook(['mail/main.tf'], ['--rule', 'CS-004', '--format', 'json']);
      assert.equal(tlsOnly.code, 1);
      assert.match(tlsOnly.output, /"rule_id": "CS-004"/);
      assert.doesNotMatch(tlsOnly.output, /"rule_id": "CT-001"/);
    });

    it('exits 2 when a directory cannot be read, and 0 when no Terraform directory is left', () => {
      write('broken/main.tf', 'resource "aws_s3_bucket" "x" {\n');
      write('logging/main.tf', example('secure'));
      const broken = runHook(['logging/main.tf', 'broken/main.tf']);
      assert.equal(broken.code, 2);
      assert.match(broken.output, /^sescheck: broken\/main\.tf: invalid HCL/m);
      const gone = runHook(['deleted/main.tf']);
      assert.equal(gone.code, 0);
      assert.match(gone.output, /deleted: no Terraform files left, skipped/);
      assert.match(gone.output, /no changed Terraform directory to check/);
    });
  });

  describe('ci/gitlab/sescheck.gitlab-ci.yml', () => {
    const lines = (job: GitlabJob) => [...(gitlab['.sescheck-setup'].before_script ?? []), ...(job.script ?? [])];

    it('parses, and its jobs use files this repository has', () => {
      for (const name of ['.sescheck-setup', 'sescheck-config', '.sescheck-plan']) assert.ok(gitlab[name], `job ${name}`);
      assert.equal(gitlab['sescheck-config'].extends, '.sescheck-setup');
      assert.equal(gitlab['.sescheck-plan'].extends, '.sescheck-setup');
      const used = new Set(JSON.stringify(gitlab).match(/\/tmp\/sescheck\/[\w./-]+/g));
      assert.ok(used.size >= 3);
      for (const file of used) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, path.relative(CLONE, file))), `${file} is in the repository`);
      assert.equal(gitlab['.sescheck-plan'].artifacts?.reports?.junit, 'sescheck-junit.xml');
    });

    it('sescheck-config checks the directories a merge request changed', () => {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
      git('init', '--quiet');
      write('logging/main.tf', example('secure'));
      write('mail/main.tf', example('secure'));
      git('add', '.');
      git('commit', '--quiet', '-m', 'base');
      const base = git('rev-parse', 'HEAD').trim();
      write('mail/main.tf', example('insecure'));
      write('mail/terraform.tfvars', 'x = 1\n');
      git('add', '.');
      git('commit', '--quiet', '-m', 'change');
      // The job's script lines, as the runner would run them, with this repository as the clone.
      const script = (gitlab['sescheck-config'].script ?? []).map((line) => line.replaceAll(CLONE, PROJECT_ROOT).replaceAll('/tmp/changed-terraform-files', path.join(dir, '.changed')));
      const run = spawnSync('bash', ['-e', '-c', script.join('\n')], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CI_MERGE_REQUEST_DIFF_BASE_SHA: base, SESCHECK_OPTIONS: `--bundle ${snapshotBundle()}` },
      });
      assert.equal(run.status, 1, run.stderr);
      assert.equal(fs.readFileSync(path.join(dir, '.changed'), 'utf8'), 'mail/main.tf\n');
      assert.match(run.stdout, /^sescheck [\d.]+: config mail$/m);
      assert.doesNotMatch(run.stdout, /config logging/);
    });

    it('.sescheck-plan runs options sescheck has and writes the JUnit report it publishes', () => {
      const script = (gitlab['.sescheck-plan'].script ?? []).map((line) => line.replaceAll(CLONE, PROJECT_ROOT));
      fs.copyFileSync(path.join(PROJECT_ROOT, 'examples', 'insecure', 'plan.json'), path.join(dir, 'plan.json'));
      const run = spawnSync('bash', ['-e', '-c', script.join('\n')], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, SESCHECK_PLAN: gitlab['.sescheck-plan'].variables?.SESCHECK_PLAN ?? '', SESCHECK_OPTIONS: `--bundle ${snapshotBundle()}` },
      });
      assert.equal(run.status, 1, run.stderr);
      assert.match(fs.readFileSync(path.join(dir, 'sescheck-junit.xml'), 'utf8'), /<testsuite name="CT-001 /);
      assert.ok(lines(gitlab['.sescheck-plan']).some((line) => line.includes('scripts/setup.sh')), 'the setup builds sescheck first');
    });
  });
});
