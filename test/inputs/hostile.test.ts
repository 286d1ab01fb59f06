import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { PROJECT_ROOT } from '../../src/engine/bundle';
import { snapshotBundle } from '../report/helpers';
import { fixture } from './helpers';

/**
 * Hostile input, end to end: the built CLI (bin/sescheck → dist/, `npx tsc -p tsconfig.build.json`)
 * in a real process, one row per class of bad input: its content, the exit code, and the first line
 * on stderr. Exit 2 is a clear line naming the problem; 0/1 means the input was handled as data.
 * Never 3 (a crash), never "No findings" for input that is not a plan.
 */
const BIN = path.join(PROJECT_ROOT, 'bin', 'sescheck');

interface Row {
  name: string;
  command: 'plan' | 'config';
  /** File name and content written to a temp directory (the argument), or a path used as is. */
  file?: { name: string; content: string | Buffer };
  argument?: string;
  /** Runs through bash (process substitution, stdin redirects); $BIN and $ARGS are set. */
  shell?: string;
  env?: Record<string, string>;
  code: number;
  stderr: RegExp;
}

type Json = Record<string, unknown>;

const resource = (type: string, name: string, values: unknown = {}, extra: Json = {}): Json => ({ address: `${type}.${name}`, mode: 'managed', type, name, values, ...extra });
const plan = (extra: Json, resources: Json[] = [resource('aws_instance', 'web')]): string =>
  JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', planned_values: { root_module: { resources } }, ...extra });

/** `{"k":{"k":...}}` nested `depth` levels around `leaf`, built as text (JSON.stringify would recurse). */
function nested(depth: number, open: (i: number) => string, close: string, leaf: string): string {
  const opens: string[] = [];
  for (let i = 0; i < depth; i++) opens.push(open(i));
  return opens.join('') + leaf + close.repeat(depth);
}

const DEEP = 100_000;
const deepAfterUnknown = `{"format_version":"1.2","planned_values":{"root_module":{"resources":[${JSON.stringify(resource('aws_s3_bucket', 'b'))}]}},"resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","change":{"actions":["create"],"after_unknown":${nested(DEEP, () => '{"a":', '}', 'true')}}}]}`;
const deepChildModules = `{"format_version":"1.2","planned_values":{"root_module":${nested(DEEP, () => '{"address":"module.m","child_modules":[', ']}', '{}')}}}`;
const deepModuleCalls = `{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"root_module":${nested(DEEP, () => '{"module_calls":{"m":{"module":', '}}}', '{}')}}}`;
const deepValues = plan({}, []).replace('"resources":[]', `"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":${nested(DEEP, () => '[', ']', '"x"')}}}]`);
const deepTerraformJson = `{"resource":{"aws_s3_bucket":{"b":{"bucket":"x","tags":${nested(DEEP, () => '{"a":', '}', '"x"')}}}}}`;
// Deep where the reader never walks (a change's before and after values, the prior state), and brackets in strings: data, not nesting.
const deepUnread = `{"format_version":"1.2","planned_values":{"root_module":{"resources":[${JSON.stringify(resource('aws_s3_bucket', 'b', { bucket: `${'['.repeat(5000)}\\"${'{'.repeat(5000)}\\` }))}]}},"resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","change":{"actions":["create"],"before":${nested(DEEP, () => '[', ']', '1')},"after":${nested(DEEP, () => '{"a":', '}', 'true')},"after_unknown":{}}}],"prior_state":${nested(DEEP, () => '[', ']', '1')}}`;
// Just under the limit (1000 levels): every walk (merging after_unknown, module trees, reading a value) must cope.
const nearLimit = `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","values":{"bucket":${nested(990, () => '[', ']', '"x"')}}}],"child_modules":[${nested(490, () => '{"address":"module.m","child_modules":[', ']}', '{}')}]}},"resource_changes":[{"address":"aws_s3_bucket.b","mode":"managed","change":{"actions":["create"],"after_unknown":{"tags":${nested(990, () => '{"a":', '}', 'true')}}}}]}`;

// Values of the wrong shape: an object whose toString is not a function where a string belongs; a KMS alias naming itself; an EventBridge pattern (JSON text) 100k levels deep.
const objectForString = plan({}, [resource('aws_s3_bucket', 'b', { bucket: { toString: 1 }, region: 'us-east-1' })]);
const aliasNamingItself = plan({}, [
  resource('aws_kms_alias', 'a', { name: 'alias/a', target_key_id: 'alias/a', region: 'us-east-1' }),
  resource('aws_cloudtrail', 't', { name: 't', kms_key_id: 'alias/a', s3_bucket_name: 'b', region: 'us-east-1' }),
]);
// 2000 aliases of one name, each naming that name, and trails naming it: each alias found was looked up again per alias found.
const sameNameAliases = plan({}, [
  ...Array.from({ length: 2000 }, (_, i) => resource('aws_kms_alias', `x${i}`, { name: 'alias/x', target_key_id: 'alias/x', region: 'us-east-1' })),
  ...Array.from({ length: 20 }, (_, i) => resource('aws_cloudtrail', `t${i}`, { name: `t${i}`, kms_key_id: 'alias/x', s3_bucket_name: 'b', region: 'us-east-1' })),
]);
const deepEventPattern = plan({}, [
  resource('aws_sesv2_configuration_set', 'cs', { configuration_set_name: 'cs', region: 'us-east-1' }),
  resource('aws_sesv2_configuration_set_event_destination', 'd', {
    configuration_set_name: 'cs', event_destination_name: 'd', region: 'us-east-1',
    event_destination: [{ enabled: true, matching_event_types: ['SEND'], event_bridge_destination: [{ event_bus_arn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }] }],
  }),
  resource('aws_cloudwatch_event_rule', 'r', { name: 'r', event_bus_name: 'default', state: 'ENABLED', region: 'us-east-1', event_pattern: `{"source":["aws.ses"],"detail":${nested(DEEP, () => '{"a":', '}', '1')}}` }),
]);

// Keys that name Object.prototype's members, as resource types, attribute names, module, provider and variable names.
const pollutingPlan = fs.readFileSync(fixture('hostile', 'polluting-plan.json'), 'utf8');
const pollutingTerraformJson = fs.readFileSync(fixture('hostile', 'polluting.tf.json'), 'utf8');

const ROWS: Row[] = [
  // Shape: a document that is not a plan is exit 2 naming the path, never an empty posture.
  { name: 'plan without planned_values', command: 'plan', file: { name: 'p.json', content: JSON.stringify({ format_version: '1.2', resource_changes: [] }) }, code: 2, stderr: /p\.json is not a Terraform plan: planned_values: missing$/ },
  { name: 'planned_values a string', command: 'plan', file: { name: 'p.json', content: JSON.stringify({ format_version: '1.2', planned_values: 'x' }) }, code: 2, stderr: /: planned_values: expected an object, found a string$/ },
  { name: 'planned_values without root_module', command: 'plan', file: { name: 'p.json', content: JSON.stringify({ format_version: '1.2', planned_values: {} }) }, code: 2, stderr: /: planned_values\.root_module: missing$/ },
  {
    name: 'resource values a string', command: 'plan', code: 2, stderr: /: planned_values\.root_module\.resources\[3\]\.values: expected an object, found a string$/,
    file: { name: 'p.json', content: plan({}, [resource('aws_instance', 'a'), resource('aws_instance', 'b'), resource('aws_instance', 'c'), resource('aws_s3_bucket', 'd', 'bucket-d')]) },
  },
  { name: 'resources [1,2,3]', command: 'plan', file: { name: 'p.json', content: plan({}, [1, 2, 3] as never) }, code: 2, stderr: /: planned_values\.root_module\.resources\[0\]: expected an object, found an integer$/ },
  { name: 'resource type a number', command: 'plan', file: { name: 'p.json', content: plan({}, [{ ...resource('aws_s3_bucket', 'b'), type: 7 }]) }, code: 2, stderr: /: planned_values\.root_module\.resources\[0\]\.type: expected a string, found an integer$/ },
  { name: 'child_modules an object', command: 'plan', file: { name: 'p.json', content: JSON.stringify({ format_version: '1.2', planned_values: { root_module: { child_modules: {} } } }) }, code: 2, stderr: /: planned_values\.root_module\.child_modules: expected an array, found an object$/ },
  { name: 'resource_changes entries null and a string', command: 'plan', file: { name: 'p.json', content: plan({ resource_changes: [null, 'x'] }) }, code: 2, stderr: /: resource_changes\[0\]: expected an object, found null$/ },
  { name: 'a resource_changes entry a string', command: 'plan', file: { name: 'p.json', content: plan({ resource_changes: [{ address: 'aws_instance.web', mode: 'managed', change: { actions: ['create'] } }, 'x'] }) }, code: 2, stderr: /: resource_changes\[1\]: expected an object, found a string$/ },
  { name: 'change.actions a string', command: 'plan', file: { name: 'p.json', content: plan({ resource_changes: [{ address: 'aws_instance.web', mode: 'managed', change: { actions: 'create' } }] }) }, code: 2, stderr: /: resource_changes\[0\]\.change\.actions: expected an array, found a string$/ },
  { name: 'format_version an object', command: 'plan', file: { name: 'p.json', content: JSON.stringify({ format_version: {}, planned_values: { root_module: {} } }) }, code: 2, stderr: /: format_version: expected a string, found an object$/ },
  { name: 'module_calls entry not an object', command: 'plan', file: { name: 'p.json', content: plan({ configuration: { root_module: { module_calls: { logs: 'x' } } } }) }, code: 2, stderr: /: configuration\.root_module\.module_calls\.logs: expected an object, found a string$/ },
  { name: 'provider_config entry null', command: 'plan', file: { name: 'p.json', content: plan({ configuration: { provider_config: { aws: null } } }) }, code: 2, stderr: /: configuration\.provider_config\.aws: expected an object, found null$/ },
  { name: 'variables a list', command: 'plan', file: { name: 'p.json', content: plan({ variables: [] }) }, code: 2, stderr: /: variables: expected an object, found an array$/ },
  { name: 'state without values.root_module', command: 'plan', file: { name: 's.json', content: JSON.stringify({ format_version: '1.0', values: { outputs: {} } }) }, code: 2, stderr: /s\.json is not a Terraform state: values\.root_module: missing$/ },
  // Handled as data: what sescheck does not read may be anything; unknown keys are forward compatible.
  { name: 'after a string, unknown keys (handled as data)', command: 'plan', file: { name: 'p.json', content: plan({ resource_changes: [{ address: 'aws_instance.web', mode: 'managed', change: { actions: ['create'], after: 'x', after_unknown: 'y' } }], future_key: { x: 1 } }) }, code: 0, stderr: /^$/ },
  // Nesting: 100k levels anywhere is exit 2 with the path; just under the limit every walk copes.
  { name: 'after_unknown 100k levels deep', command: 'plan', file: { name: 'p.json', content: deepAfterUnknown }, code: 2, stderr: /: resource_changes\[0\]\.change\.after_unknown\.a\.a\.a\.a…: nested deeper than 1000 levels$/ },
  { name: 'child_modules 100k levels deep', command: 'plan', file: { name: 'p.json', content: deepChildModules }, code: 2, stderr: /: planned_values\.root_module\.child_modules\[0\]\.child_modules\[0\].*…: nested deeper than 1000 levels$/ },
  { name: 'module_calls 100k levels deep', command: 'plan', file: { name: 'p.json', content: deepModuleCalls }, code: 2, stderr: /: configuration\.root_module\.module_calls\.m\.module\.module_calls\.m.*…: nested deeper than 1000 levels$/ },
  { name: 'a value 100k levels deep', command: 'plan', file: { name: 'p.json', content: deepValues }, code: 2, stderr: /: planned_values\.root_module\.resources\[0\]\.values\.bucket\[0\].*: nested deeper than 1000 levels$/ },
  { name: 'before, after and prior_state 100k levels deep, a value full of brackets and quotes (handled as data)', command: 'plan', file: { name: 'p.json', content: deepUnread }, code: 0, stderr: /^$/ },
  { name: 'values, modules and after_unknown just under the nesting limit', command: 'plan', file: { name: 'p.json', content: nearLimit }, code: 0, stderr: /^$/ },
  // Values of the wrong shape are data: unknown with why, or no link.
  { name: 'an object with a toString key where a string belongs (handled as data)', command: 'plan', file: { name: 'p.json', content: objectForString }, code: 0, stderr: /^$/ },
  { name: '2000 KMS aliases of one name naming that name (handled as data, in seconds: it grew as N^depth)', command: 'plan', file: { name: 'p.json', content: sameNameAliases }, code: 1, stderr: /^$/ },
  { name: 'a KMS alias naming itself (handled as data)', command: 'plan', file: { name: 'p.json', content: aliasNamingItself }, code: 1, stderr: /^$/ },
  { name: 'an EventBridge event pattern 100k levels deep (its match unknown)', command: 'plan', file: { name: 'p.json', content: deepEventPattern }, code: 1, stderr: /^$/ },
  // Keys naming Object.prototype's members are data.
  { name: '__proto__, constructor, toString as types, attributes, modules, providers, variables', command: 'plan', file: { name: 'p.json', content: pollutingPlan }, code: 0, stderr: /^(sescheck: note: .*)?$/ },
  // Terraform JSON and HCL.
  { name: 'Terraform JSON resource: [1,2,3]', command: 'config', file: { name: 'main.tf.json', content: '{"resource":[1,2,3]}' }, code: 2, stderr: /main\.tf\.json is not Terraform JSON: resource\[0\]: expected an object, found an integer$/ },
  { name: 'Terraform JSON resource type a string', command: 'config', file: { name: 'main.tf.json', content: '{"resource":{"aws_s3_bucket":"x"}}' }, code: 2, stderr: /: resource\.aws_s3_bucket: expected an object or an array, found a string$/ },
  { name: 'Terraform JSON resource body a number', command: 'config', file: { name: 'main.tf.json', content: '{"resource":{"aws_s3_bucket":{"b":[1]}}}' }, code: 2, stderr: /: resource\.aws_s3_bucket\.b\[0\]: expected an object, found an integer$/ },
  { name: 'Terraform JSON provider meta-argument a number', command: 'config', file: { name: 'main.tf.json', content: '{"resource":{"aws_s3_bucket":{"b":{"provider":1}}}}' }, code: 2, stderr: /: resource\.aws_s3_bucket\.b\.provider: expected a string, found an integer$/ },
  { name: 'Terraform JSON provider alias a list', command: 'config', file: { name: 'main.tf.json', content: '{"provider":{"aws":[{"alias":["x"]}]}}' }, code: 2, stderr: /: provider\.aws\[0\]\.alias: expected a string, found an array$/ },
  { name: 'Terraform JSON 100k levels deep', command: 'config', file: { name: 'main.tf.json', content: deepTerraformJson }, code: 2, stderr: /main\.tf\.json: resource\.aws_s3_bucket\.b\.tags\.a\.a\.a\.a…: nested deeper than 1000 levels$/ },
  { name: 'Terraform JSON with __proto__, constructor, toString keys', command: 'config', file: { name: 'main.tf.json', content: pollutingTerraformJson }, code: 0, stderr: /^(sescheck: note: .*)?$/ },
  { name: 'HCL with __proto__ and constructor names', command: 'config', file: { name: 'main.tf', content: 'resource "__proto__" "constructor" {}\nresource "aws_s3_bucket" "__proto__" {\n  bucket = "x"\n  constructor = aws_s3_bucket.__proto__.toString\n}\n' }, code: 0, stderr: /^(sescheck: note: .*)?$/ },
  // Reading: special files, size limit, endless streams, pipes.
  { name: 'plan /dev/zero', command: 'plan', argument: '/dev/zero', code: 2, stderr: /^sescheck: \/dev\/zero: is a character device, expected a file or a pipe$/ },
  { name: 'config /dev/zero (as a .tf.json symlink)', command: 'config', shell: 'ln -s /dev/zero "$DIR/zero.tf.json" && "$BIN" config "$DIR/zero.tf.json" $ARGS', code: 2, stderr: /zero\.tf\.json: is a character device, expected a file or a pipe$/ },
  { name: 'a directory named like a .tf file in a configuration directory', command: 'config', shell: 'mkdir "$DIR/conf" "$DIR/conf/x.tf" && echo \'{"resource":{}}\' > "$DIR/conf/main.tf.json" && "$BIN" config "$DIR/conf" $ARGS', code: 2, stderr: /conf\/x\.tf: is a directory, expected a file$/ },
  { name: 'a directory as a plan', command: 'plan', shell: '"$BIN" plan "$DIR" $ARGS', code: 2, stderr: /: is a directory, expected a file$/ },
  { name: 'plan - from /dev/zero', command: 'plan', shell: '"$BIN" plan - $ARGS < /dev/zero', code: 2, stderr: /^sescheck: -: invalid JSON at line 1, column 1: unexpected "\\u0000"$/ },
  {
    name: 'plan - from an endless stream past the size limit', command: 'plan', env: { SESCHECK_MAX_INPUT_SIZE: '1M' }, code: 2,
    shell: `"${process.execPath}" -e 'process.stdout.on("error", () => {}); process.stdout.write("["); const s = "1,".repeat(65536); (function w() { while (process.stdout.write(s)); process.stdout.once("drain", w); })()' | "$BIN" plan - $ARGS`,
    stderr: /^sescheck: stdin gave more than 1 MiB, above the input size limit of 1 MiB \(1048576 bytes\); raise it with SESCHECK_MAX_INPUT_SIZE/,
  },
  { name: 'a file above the size limit', command: 'plan', env: { SESCHECK_MAX_INPUT_SIZE: '1K' }, file: { name: 'p.json', content: plan({ padding: 'x'.repeat(2048) }) }, code: 2, stderr: /p\.json is 2\.\d KiB, above the input size limit of 1 KiB \(1024 bytes\)/ },
  { name: 'a size limit that is not a size', command: 'plan', env: { SESCHECK_MAX_INPUT_SIZE: 'lots' }, file: { name: 'p.json', content: plan({}) }, code: 2, stderr: /^sescheck: SESCHECK_MAX_INPUT_SIZE=lots: expected a size such as 4G, 500M or 1000000 \(bytes\)$/ },
  { name: 'a plan through process substitution <(...)', command: 'plan', shell: `"$BIN" plan <(cat "${fixture('plan-compliant.json')}") $ARGS`, code: 0, stderr: /^$/ },
  { name: 'a named pipe whose writer comes later', command: 'plan', shell: `mkfifo "$DIR/p" && { (sleep 1; cat "${fixture('plan-compliant.json')}" > "$DIR/p") & } && "$BIN" plan "$DIR/p" $ARGS`, code: 0, stderr: /^$/ },
];

function run(row: Row, directory: string): Promise<{ code: number | null; stderr: string }> {
  const args = ['--bundle', snapshotBundle(), '--quiet'];
  const env: NodeJS.ProcessEnv = { ...process.env, ...row.env, BIN, DIR: directory, ARGS: args.join(' ') };
  let command: string;
  let commandArgs: string[];
  if (row.shell) {
    command = 'bash';
    commandArgs = ['-c', row.shell.replace(/\$ARGS/g, args.map((a) => `'${a}'`).join(' '))];
  } else {
    let target = row.argument as string;
    if (row.file) {
      target = path.join(directory, row.file.name);
      fs.writeFileSync(target, row.file.content);
    }
    command = process.execPath;
    commandArgs = [BIN, row.command, target, ...args];
  }
  return new Promise((resolve, reject) => {
    // A row that hangs fails (killed: no exit code) instead of holding the suite up.
    const child = spawn(command, commandArgs, { cwd: directory, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000, killSignal: 'SIGKILL' });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('hostile input, end to end (bin/sescheck; build dist first)', function () {
  // About 40 Node processes, three at a time: minutes on a loaded 2-core machine.
  this.timeout(600_000);
  const results = new Map<string, { code: number | null; stderr: string }>();
  let root: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-hostile-'));
    // A few rows at a time: each is a Node process.
    const queue = [...ROWS.entries()];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [index, row] = next;
        const directory = path.join(root, String(index));
        fs.mkdirSync(directory);
        results.set(row.name, await run(row, directory));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const row of ROWS) {
    it(`${row.command}: ${row.name} → exit ${row.code}`, () => {
      const result = results.get(row.name);
      assert.ok(result, 'ran');
      const firstLine = result.stderr.split('\n')[0];
      assert.doesNotMatch(result.stderr, /internal error|RangeError|TypeError|at .*\.js:\d+/, result.stderr);
      assert.equal(result.code, row.code, result.stderr);
      assert.match(firstLine, row.stderr);
      if (row.code === 2) assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one line: ${result.stderr}`);
    });
  }

  it('refuses a socket', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-socket-'));
    const socketPath = path.join(directory, 'plan.sock');
    const server = net.createServer(() => undefined).listen(socketPath);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const result = await run({ name: 'socket', command: 'plan', argument: socketPath, code: 2, stderr: /./ }, directory);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /plan\.sock: is a socket, expected a file or a pipe\n$/);
    } finally {
      server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
