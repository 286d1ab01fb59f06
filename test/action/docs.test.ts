import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../../src/engine/bundle';

/** The CI recipes of docs/cli.md and README.md use the action, template and hook as they are. */
const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const action = yaml.load(read('action.yml')) as { inputs: Record<string, unknown> };
const template = yaml.load(read('ci/gitlab/sescheck.gitlab-ci.yml')) as Record<string, { variables?: Record<string, string> }>;
const hookIds = (yaml.load(read('.pre-commit-hooks.yaml')) as { id: string }[]).map((hook) => hook.id);

function section(file: string, heading: string): string {
  const text = read(file);
  const start = text.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `${file} has ${heading}`);
  const next = text.indexOf('\n## ', start + heading.length + 2);
  return text.slice(start, next < 0 ? undefined : next);
}

function yamlBlocks(text: string): unknown[] {
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => yaml.load(match[1]));
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

function actionSteps(document: unknown): Step[] {
  const jobs = (document as { jobs?: Record<string, { steps?: Step[] }> }).jobs ?? {};
  return Object.values(jobs).flatMap((job) => job.steps ?? []).filter((step) => step.uses?.startsWith('YOUR-ORG/sescheck@'));
}

describe('CI recipes in the docs', () => {
  const recipes = [section('docs/cli.md', '## In CI'), section('README.md', '## CI')];

  it('use the action with inputs it declares', () => {
    const steps = recipes.flatMap((text) => yamlBlocks(text).flatMap(actionSteps));
    assert.ok(steps.length >= 2, 'both pages show the action');
    for (const step of steps) {
      for (const name of Object.keys(step.with ?? {})) assert.ok(name in action.inputs, `input ${name} is declared in action.yml`);
      assert.ok('plan' in (step.with ?? {}) || 'config' in (step.with ?? {}), 'gives a plan or a configuration');
    }
  });

  it('list exactly the inputs of action.yml', () => {
    const table = [...recipes[0].matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]);
    assert.deepEqual(table, Object.keys(action.inputs));
  });

  it('extend the GitLab template jobs and set its variables', () => {
    const gitlab = yamlBlocks(recipes[0]).find((document) => (document as { include?: unknown }).include) as Record<string, { extends?: string; variables?: Record<string, string> }>;
    assert.ok(gitlab, 'docs/cli.md includes the GitLab template');
    const known = new Set([...Object.keys(template.variables ?? {}), ...Object.values(template).flatMap((job) => Object.keys(job.variables ?? {}))]);
    for (const [name, job] of Object.entries(gitlab)) {
      if (name === 'variables') for (const variable of Object.keys(job)) assert.ok(known.has(variable), `the template uses ${variable}`);
      else if (job.extends) {
        assert.ok(template[job.extends], `the template has ${job.extends}`);
        for (const variable of Object.keys(job.variables ?? {})) assert.ok(known.has(variable), `the template uses ${variable}`);
      }
    }
  });

  it('use the pre-commit hook ids of .pre-commit-hooks.yaml', () => {
    const config = yamlBlocks(recipes[0]).find((document) => (document as { repos?: unknown }).repos) as { repos: { hooks: { id: string }[] }[] };
    assert.ok(config, 'docs/cli.md shows a .pre-commit-config.yaml');
    for (const hook of config.repos.flatMap((repo) => repo.hooks)) assert.ok(hookIds.includes(hook.id), `hook ${hook.id}`);
  });
});
