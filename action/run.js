#!/usr/bin/env node
'use strict';
/*
 * The sescheck action's main step (action.yml passes the inputs as INPUT_* variables, hyphens
 * as underscores): runs sescheck on the plan or configuration writing SARIF, runs it again for
 * the Markdown report, appends that to the job summary, sets the step outputs, and exits with
 * sescheck's exit code (0 clean, 1 findings, 2 bad input, 3 a bug). Plain Node, no dependencies,
 * so the tests run it with a fake environment.
 */
const { Buffer } = require('buffer');
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const EXIT_USAGE = 2;
const EXIT_BUG = 3;
/** GitHub drops a step summary larger than 1 MiB. */
const SUMMARY_LIMIT = 1024 * 1024;

/** An input of the action, as action.yml hands it over: INPUT_FAIL_ON for `fail-on`. */
function input(name) {
  return (process.env[`INPUT_${name.replace(/-/g, '_').toUpperCase()}`] || '').trim();
}

function booleanInput(name, fallback) {
  const value = input(name).toLowerCase();
  if (value === '') return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`input ${name}: expected true or false, got "${input(name)}"`);
}

class UsageError extends Error {}

function main() {
  const outputs = {};
  let code;
  try {
    code = check(outputs);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    code = EXIT_USAGE;
    process.stderr.write(`sescheck action: ${error.message}\n`);
    annotate('error', `sescheck action: ${error.message}`);
    writeSummary(couldNotRun(error.message));
  }
  outputs['exit-code'] = String(code);
  writeOutputs(outputs);
  process.exitCode = code;
}

function check(outputs) {
  const plan = input('plan');
  const config = input('config');
  if ((plan === '') === (config === '')) throw new UsageError('set exactly one of the inputs plan (a plan JSON file) and config (Terraform configuration)');
  const [command, target] = plan !== '' ? ['plan', plan] : ['config', config];
  const failOn = input('fail-on') || 'low';
  const options = ['--fail-on', failOn];
  if (booleanInput('fail-on-unknown', false)) options.push('--fail-on-unknown');
  if (input('settings') !== '') options.push('--config', input('settings'));
  options.push(...input('args').split(/\s+/).filter(Boolean));
  const sarifFile = input('sarif-file') || 'sescheck.sarif';
  const summary = booleanInput('summary', true);
  const cli = process.env.SESCHECK_CLI || path.join(__dirname, '..', 'bin', 'sescheck');

  const sarifRun = sescheck(cli, [command, target, '--format', 'sarif', '--output', sarifFile, ...options]);
  if (sarifRun.code !== 0 && sarifRun.code !== 1) {
    annotate('error', `sescheck could not check ${target}: ${lastLine(sarifRun.stderr)}`);
    writeSummary(couldNotRun(sarifRun.stderr.trim() || `sescheck exited with code ${sarifRun.code}`, target));
    return sarifRun.code;
  }
  outputs['sarif-file'] = sarifFile;
  outputs.category = input('category') || `sescheck/${target}`;
  const counts = summaryOf(sarifFile);
  for (const key of ['fail', 'unknown', 'waived', 'passed']) outputs[key] = String(counts[key]);

  const markdownFile = path.join(fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'sescheck-')), 'report.md');
  const markdownRun = sescheck(cli, [command, target, '--format', 'markdown', '--output', markdownFile, '--quiet', ...options]);
  if (markdownRun.code === sarifRun.code) {
    outputs['markdown-file'] = markdownFile;
    if (summary) writeSummary(fs.readFileSync(markdownFile, 'utf8'));
  } else {
    annotate('warning', `the Markdown report of ${target} could not be written (exit ${markdownRun.code}): ${lastLine(markdownRun.stderr)}`);
  }
  if (sarifRun.code === 1) {
    annotate('error', `sescheck found findings at or above fail-on ${failOn} in ${target}: ${counts.fail} failed, ${counts.unknown} unknown, ${counts.waived} waived in all; see the job summary`);
  }
  return sarifRun.code;
}

/** Runs the CLI; its stderr goes to the log and is kept for the summary. */
function sescheck(cli, args) {
  process.stderr.write(`sescheck ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (run.error) return { code: EXIT_BUG, stderr: `cannot run ${cli}: ${run.error.message}` };
  process.stderr.write(run.stderr);
  return { code: run.status === null ? EXIT_BUG : run.status, stderr: run.stderr };
}

/** The counts the SARIF report carries in its run properties (the same as the JSON report's summary). */
function summaryOf(sarifFile) {
  const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
  return log.runs[0].properties.summary;
}

function couldNotRun(message, target) {
  const what = target === undefined ? 'sescheck could not run' : `sescheck could not check ${escapeHtml(target)}`;
  return `### ${what}\n\n<pre>${escapeHtml(message)}</pre>\n`;
}

/** Appends to the job summary, cut at a paragraph under GitHub's size limit. */
function writeSummary(markdown) {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  let text = markdown;
  if (Buffer.byteLength(text) > SUMMARY_LIMIT) {
    const note = '\n\n**The report was cut here: GitHub keeps at most 1 MiB of job summary. The SARIF report (code scanning) has every finding.**\n';
    const head = Buffer.from(text).subarray(0, SUMMARY_LIMIT - 4096).toString('utf8');
    text = head.slice(0, head.lastIndexOf('\n\n')) + note;
  }
  // A blank line keeps this report apart from what earlier steps or runs wrote.
  const separator = fs.existsSync(file) && fs.statSync(file).size > 0 ? '\n' : '';
  fs.appendFileSync(file, separator + text);
}

function writeOutputs(outputs) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const delimiter = `sescheck_${crypto.randomBytes(8).toString('hex')}`;
  const lines = Object.entries(outputs).map(([name, value]) => `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
  fs.appendFileSync(file, lines.join(''));
}

/** A workflow command: an error or warning annotation on the run. */
function annotate(level, message) {
  const data = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  process.stdout.write(`::${level} title=sescheck::${data}\n`);
}

function lastLine(text) {
  return text.trim().split('\n').pop() || 'no message';
}

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

main();
