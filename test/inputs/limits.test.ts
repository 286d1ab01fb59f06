import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { InputError } from '../../src/errors';
import { readConfigPath } from '../../src/inputs/config';
import { parsePlanBytes, readPlanFile } from '../../src/inputs/plan';
import { readInputBytes, inputLimits, parseSize, DEFAULT_MAX_INPUT_BYTES } from '../../src/inputs/read-input';
import { MAX_NESTING, assertNesting, formatPath, parseJsonBytes, syntaxErrorOffset } from '../../src/inputs/read-json';
import { assertShape } from '../../src/inputs/shape';
import { byId, fixture, FIXTURES } from './helpers';

function inputError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  };
}

function temporaryDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sescheck-limits-'));
}

const PLANS = fs.readdirSync(FIXTURES).filter((name) => name.endsWith('.json')).map((name) => path.join(FIXTURES, name));

describe('inputs: the shape of plans and Terraform JSON (schema validation)', () => {
  it('accepts every real plan and state fixture, and the example plans', () => {
    for (const file of [...PLANS, 'examples/secure/plan.json', 'examples/insecure/plan.json']) {
      assert.doesNotThrow(() => assertShape(JSON.parse(fs.readFileSync(file, 'utf8')), 'plan', file, 'a Terraform plan'), file);
    }
  });

  it('accepts every Terraform JSON fixture, cdktf synth output included', () => {
    const files = [fixture('tfjson', 'main.tf.json'), ...['ses-event-publishing-eu-west-1', 'workmail-audit-logging-eu-west-1'].map((stack) => fixture('cdktf-synth', 'stacks', stack, 'cdk.tf.json'))];
    for (const file of files) assert.doesNotThrow(() => assertShape(JSON.parse(fs.readFileSync(file, 'utf8')), 'terraform-json', file, 'Terraform JSON'), file);
  });

  it('allows properties it does not know (forward compatible) and values of any type where it does not read them', () => {
    const plan = { format_version: '1.9', future: [1], planned_values: { root_module: { resources: [{ address: 'a.b', mode: 'managed', type: 'a', name: 'b', values: {}, future: null }] }, future: 'x' }, resource_changes: [{ address: 'a.b', mode: 'managed', change: { actions: ['create'], after: 'x', before: 1, after_unknown: 'y' } }], prior_state: 'anything' };
    assert.doesNotThrow(() => assertShape(plan, 'plan', 'p.json', 'a Terraform plan'));
    assert.doesNotThrow(() => assertShape({ resource: { aws_s3_bucket: { b: { tags: [1, 'x'], '//': 1 } }, '//': 'comment' }, data: 1, output: 'x' }, 'terraform-json', 'main.tf.json', 'Terraform JSON'));
  });

  it('names the first place the shape is wrong, as a path a user reads', () => {
    const plan = { format_version: '1.2', planned_values: { root_module: { child_modules: [{ resources: [{ address: 'a.b', mode: 'managed', type: 'a', name: 'b', values: { x: 1 } }, { address: 'a.c', mode: 'managed', type: 'a', name: 'c', values: [] }] }] } } };
    assert.throws(() => assertShape(plan, 'plan', 'p.json', 'a Terraform plan'), inputError(/^p\.json is not a Terraform plan: planned_values\.root_module\.child_modules\[0\]\.resources\[1\]\.values: expected an object, found an array$/));
    const odd = { format_version: '1.2', planned_values: { root_module: {} }, configuration: { provider_config: { 'aws.eu west': { module_address: 1 } } } };
    assert.throws(() => assertShape(odd, 'plan', 'p.json', 'a Terraform plan'), inputError(/: configuration\.provider_config\["aws\.eu west"\]\.module_address: expected a string, found an integer$/));
    assert.throws(() => assertShape({ format_version: '1.2', planned_values: { root_module: { resources: [{ address: 'a.b', type: 'a', name: 'b' }] } } }, 'plan', 'p.json', 'a Terraform plan'), inputError(/: planned_values\.root_module\.resources\[0\]\.mode: missing$/));
    assert.equal(formatPath([]), '(the document)');
    assert.equal(formatPath(['resource', 'aws_s3_bucket', '__proto__', 0, '//']), 'resource.aws_s3_bucket.__proto__[0]["//"]');
  });
});

describe('inputs: keys such as __proto__, constructor and toString are data', () => {
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  afterEach(() => {
    // No user key ever reaches a prototype.
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(typeof Object.prototype.toString, 'function');
  });

  it('a plan with them as resource types, attribute names (after_unknown), module, provider and variable names', async () => {
    const posture = await readPlanFile(fixture('hostile', 'polluting-plan.json'));
    const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.b');
    assert.equal(bucket.name, 'b');
    // provider_config_key "constructor" is not a provider configuration: the region stays unknown.
    assert.equal(bucket.region, null);
    assert.match(bucket.unknown.region ?? '', /provider configuration constructor is not in the plan/);
    assert.ok(byId(posture, 's3_buckets', 'module.__proto__.aws_s3_bucket.c'));
  });

  it('Terraform JSON with them as types, names, attributes, variables and locals', async () => {
    const [posture] = await readConfigPath(fixture('hostile', 'polluting.tf.json'));
    const bucket = byId(posture, 's3_buckets', 'aws_s3_bucket.__proto__');
    // ${aws_s3_bucket.x.constructor}: x sets no constructor attribute, so the name is known only after apply.
    assert.equal(bucket.name, null);
    assert.equal(bucket.unknown.name, 'known only after apply');
    assert.equal(byId(posture, 's3_buckets', 'aws_s3_bucket.x').name, 'x');
  });
});

describe('inputs: nesting', () => {
  it('refuses a document deeper than the limit, naming where, without overflowing the stack', () => {
    let deep: unknown = true;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    assert.throws(() => assertNesting({ x: [deep] }, 'p.json'), inputError(/^p\.json: x\[0\]\.a\.a\.a\.a\.a\.a…: nested deeper than 1000 levels$/));
    let limit: unknown = 1;
    for (let i = 1; i < MAX_NESTING; i++) limit = [limit];
    assert.doesNotThrow(() => assertNesting([limit], 'p.json'));
    assert.throws(() => assertNesting([[limit]], 'p.json'), inputError(/nested deeper than 1000 levels/));
  });

  it('counts containers, not brackets: exactly the limit is read, one more is refused, for arrays, objects and both', () => {
    // `depth` containers as text, the innermost empty: each an array or an object as `isArray` says.
    const nest = (depth: number, isArray: (level: number) => boolean): string => {
      let text = isArray(depth - 1) ? '[]' : '{}';
      for (let level = depth - 2; level >= 0; level--) text = isArray(level) ? `[${text}]` : `{"a":${text}}`;
      return text;
    };
    const shapes = { arrays: () => true, objects: () => false, alternating: (level: number) => level % 2 === 0 };
    for (const [name, isArray] of Object.entries(shapes)) {
      assert.doesNotThrow(() => parseJsonBytes(Buffer.from(nest(MAX_NESTING, isArray)), 'p.json'), name);
      assert.throws(() => parseJsonBytes(Buffer.from(nest(MAX_NESTING + 1, isArray)), 'p.json'), inputError(/^p\.json: .*…: nested deeper than 1000 levels$/), name);
    }
    const arrays = (depth: number): string => nest(depth, shapes.arrays);
    assert.throws(() => parseJsonBytes(Buffer.from(`{"x":${arrays(MAX_NESTING)}}`), 'p.json'), inputError(/^p\.json: x\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]…: nested deeper than 1000 levels$/));
  });

  it('does not count brackets in strings, escaped quotes and backslashes included, nor a byte order mark', () => {
    const deep = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
    // Strings full of brackets, with \" inside and \\ before their closing quote, around real nesting at the limit.
    const strings = `"${'['.repeat(5000)}\\"${'{'.repeat(5000)}\\\\"`;
    const atLimit = `{"s":${strings},"v":${deep(MAX_NESTING - 1)},"t":["\\\\",${strings}]}`;
    const parsed = parseJsonBytes(Buffer.from(`\ufeff${atLimit}`), 'p.json') as Record<string, unknown>;
    assert.equal(parsed.s, `${'['.repeat(5000)}"${'{'.repeat(5000)}\\`);
    const past = `{"s":${strings},"t":["\\\\",${strings}],"v":${deep(MAX_NESTING)}}`;
    assert.throws(() => parseJsonBytes(Buffer.from(`\ufeff${past}`), 'p.json'), inputError(/^p\.json: v\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]…: nested deeper than 1000 levels$/));
    assert.throws(() => parseJsonBytes(Buffer.from(past), 'p.json'), inputError(/^p\.json: v\[0\].*…: nested deeper than 1000 levels$/));
  });

  it('checks the parts of a plan the reader walks, and leaves a change\'s before and after values and the unread members to be data', () => {
    const deep = (depth: number): string => '{"a":'.repeat(depth) + 'true' + '}'.repeat(depth);
    const plan = (change: string, extra = ''): Buffer => Buffer.from(`{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[{"address":"a.b","mode":"managed","change":${change}}]${extra}}`);
    const unread = plan(`{"actions":["create"],"before":${deep(100_000)},"after":${deep(100_000)},"after_sensitive":${deep(100_000)},"after_unknown":{}}`, `,"prior_state":${deep(100_000)},"relevant_attributes":[${deep(100_000)}]`);
    assert.doesNotThrow(() => parsePlanBytes(unread, 'p.json'));
    // The same values where the reader walks them: in after_unknown, in an entry's own members, in a member it does not know.
    assert.throws(() => parsePlanBytes(plan(`{"actions":["create"],"after_unknown":${deep(100_000)}}`), 'p.json'), inputError(/^p\.json: resource_changes\[0\]\.change\.after_unknown\.a\.a.*…: nested deeper than 1000 levels$/));
    assert.throws(() => parsePlanBytes(plan(`{"actions":["create"]},"future":${deep(100_000)}`), 'p.json'), inputError(/^p\.json: resource_changes\[0\]\.future\.a\.a.*…: nested deeper than 1000 levels$/));
    assert.throws(() => parsePlanBytes(plan('{"actions":["create"]}', `,"future":${deep(100_000)}`), 'p.json'), inputError(/^p\.json: future\.a\.a.*…: nested deeper than 1000 levels$/));
  });

  it('finds a syntax error in deeply nested JSON without recursion', () => {
    const text = '['.repeat(200_000) + '}';
    assert.equal(syntaxErrorOffset(text), 200_000);
    assert.throws(() => parseJsonBytes(Buffer.from(text), 'p.json'), inputError(/^p\.json: invalid JSON at line 1, column 200001: unexpected "}"$/));
    assert.throws(() => parseJsonBytes(Buffer.from('['.repeat(200_000)), 'p.json'), inputError(/^p\.json: invalid JSON: the text ends early at offset 200000 \(truncated file\?\)$/));
  });
});

describe('inputs: JSON larger than one string, parsed in parts', () => {
  it('gives what JSON.parse gives, for every fixture split into pieces of 4 KiB or less', () => {
    for (const file of PLANS) {
      const bytes = fs.readFileSync(file);
      assert.deepEqual(parseJsonBytes(bytes, file, { partBytes: 4096 }), JSON.parse(bytes.toString('utf8')), file);
    }
  });

  it('refuses one key larger than it reads at once, as it refuses one value: one line, no internal error', () => {
    const text = `{"a": 1, "${'k'.repeat(2 << 20)}": 2}`;
    assert.throws(() => parseJsonBytes(Buffer.from(text), 'p.json', { partBytes: 1024 }), inputError(/^p\.json: a single JSON key of 2 MiB at byte 9 is larger than sescheck reads at once \(1 MiB\)$/));
  });

  it('keeps "__proto__" an own key, strings with brackets and escaped quotes intact, and drops what the plan reader does not read', () => {
    const text = '\ufeff {"__proto__": {"a": "]}\\"[{"}, "list": [1, -2.5e3, true, null, "x\\\\", {"k": []}, []], "prior_state": {"big": [1, 2, 3]}, "e": {}}  \n';
    const parsed = parseJsonBytes(Buffer.from(text), 't.json', { partBytes: 8, dropTopLevel: new Set(['prior_state']) }) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['__proto__', 'list', 'e']);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value, { a: ']}"[{' });
    assert.deepEqual(parsed.list, [1, -2500, true, null, 'x\\', { k: [] }, []]);
  });

  it('says where invalid JSON is, as the whole-text parse does', () => {
    // Elements parsed together (a group) that are invalid inside: [1, tru, 3], {"b": tru} in an array, a bad escape.
    const cases = ['{"a": [1, 2,, 3]}', '{"a": 1 "b": 2}', '{"a": {"b": tru}}', '{"a": [1, 2]} x', '{"a"\n: [1,\n 2] ]', '{"a": [1, 2]', '[{"a": "unterminated}]', '[1, tru, 3]', '{"a": [{"b": 1}, {"b": tru}, {"c": 2}]}', '{"a": ["x", "\\q", "y"]}', '[1, 2] [3]', '{"a": [1]}}'];
    for (const text of cases) {
      let whole = '';
      let parts = '';
      try {
        parseJsonBytes(Buffer.from(text), 'p.json');
      } catch (error) {
        whole = (error as Error).message;
      }
      try {
        parseJsonBytes(Buffer.from(text), 'p.json', { partBytes: 4 });
      } catch (error) {
        parts = (error as Error).message;
        assert.ok(error instanceof InputError, parts);
      }
      assert.ok(whole, text);
      assert.equal(parts, whole, text);
    }
  });

  it('cuts down the elements of the arrays it is told to as they are parsed, whether grouped or taken apart', () => {
    const text = JSON.stringify({ resource_changes: [{ address: 'a', change: { actions: ['create'], before: null, after: { big: 'x'.repeat(8) } } }, { address: 'b', change: { actions: ['update'], after: { list: [1, 2, 3] } } }], other: [{ after: 1 }] });
    const trim = (entry: unknown): unknown => ({ ...(entry as Record<string, unknown>), change: { actions: ((entry as Record<string, unknown>).change as Record<string, unknown>).actions } });
    for (const partBytes of [24, 64]) {
      const parsed = parseJsonBytes(Buffer.from(text), 't.json', { partBytes, trimElements: { resource_changes: trim } }) as Record<string, unknown>;
      assert.deepEqual(parsed, { resource_changes: [{ address: 'a', change: { actions: ['create'] } }, { address: 'b', change: { actions: ['update'] } }], other: [{ after: 1 }] }, String(partBytes));
    }
    // A document parsed whole is not cut down (it fits in memory as it is).
    assert.deepEqual(parseJsonBytes(Buffer.from(text), 't.json', { partBytes: 1024, trimElements: { resource_changes: trim } }), JSON.parse(text));
  });

  it('reads a plan in parts to the same posture', async () => {
    const file = fixture('plan-modules-provider5.json');
    assert.deepEqual(await readPlanFile(file, inputLimits(), { partBytes: 256 }), await readPlanFile(file));
  });
});

describe('inputs: reading with limits', () => {
  it('parses sizes (binary units) and refuses what is not one', () => {
    assert.equal(parseSize('2G'), 2 * 1024 ** 3);
    assert.equal(parseSize('500M'), 500 * 1024 ** 2);
    assert.equal(parseSize('64KiB'), 64 * 1024);
    assert.equal(parseSize('1000000'), 1_000_000);
    for (const bad of ['', 'lots', '-1', '0', '1e9', '2X']) assert.equal(parseSize(bad), undefined, bad);
    assert.equal(inputLimits({}).maxBytes, DEFAULT_MAX_INPUT_BYTES);
    assert.equal(inputLimits({ SESCHECK_MAX_INPUT_SIZE: '3G' }).maxBytes, 3 * 1024 ** 3);
    assert.throws(() => inputLimits({ SESCHECK_MAX_INPUT_SIZE: '100T' }), /above the largest input Node\.js can hold/);
  });

  it('refuses a file above the limit before reading it, and reads one at the limit', async () => {
    const directory = temporaryDirectory();
    const file = path.join(directory, 'plan.json');
    fs.writeFileSync(file, 'x'.repeat(1000));
    await assert.rejects(readInputBytes(file, { maxBytes: 999, fifoWriterWaitMs: 100 }), inputError(/plan\.json is 1000 bytes, above the input size limit of 999 bytes \(999 bytes\)/));
    assert.equal((await readInputBytes(file, { maxBytes: 1000, fifoWriterWaitMs: 100 })).length, 1000);
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('does not keep a file\'s bytes alive once read (an asynchronous read request held them until the event loop turned)', function () {
    this.timeout(60000);
    const directory = temporaryDirectory();
    const file = path.join(directory, 'plan.json');
    const size = 16 * 1024 * 1024;
    fs.writeFileSync(file, Buffer.alloc(size, 0x20));
    // A scan parses, maps and evaluates without turning the event loop: only microtasks pass before the collection.
    // V8 frees array buffers on a background thread after a collection; sweeping them on the main thread
    // (and a second collection, which finishes the first one's sweep) keeps a busy machine from counting them.
    const script = `require('./src/inputs/read-input').readInputBytes(${JSON.stringify(file)}).then(async (bytes) => {
      const length = bytes.length;
      bytes = undefined;
      await null;
      gc();
      gc();
      process.stdout.write(JSON.stringify([length, process.memoryUsage().arrayBuffers]));
    })`;
    try {
      const result = spawnSync(process.execPath, ['--expose-gc', '--no-concurrent-array-buffer-sweeping', '--require', 'tsx/cjs', '-e', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const [length, held] = JSON.parse(result.stdout) as [number, number];
      assert.equal(length, size);
      assert.ok(held < size / 2, `${held} bytes of array buffers still held`);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('stops waiting on a named pipe that has no writer', async () => {
    const directory = temporaryDirectory();
    const fifo = path.join(directory, 'plan.json');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await assert.rejects(readPlanFile(fifo, { maxBytes: 1024, fifoWriterWaitMs: 300 }), inputError(/plan\.json is a named pipe that nothing wrote to within 0\.3 s \(no writer\)/));
    assert.ok(Date.now() - started < 5000);
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('stops reading a named pipe past the size limit', async () => {
    const directory = temporaryDirectory();
    const fifo = path.join(directory, 'plan.json');
    execFileSync('mkfifo', [fifo]);
    // A writer that never stops (bash keeps writing until the pipe closes).
    const writer = spawn('bash', ['-c', `while :; do printf '[1,1,1,1,1,1,1,1,1,1,' ; done > '${fifo}'`], { stdio: 'ignore' });
    try {
      await assert.rejects(readPlanFile(fifo, { maxBytes: 100_000, fifoWriterWaitMs: 5000 }), inputError(/plan\.json gave more than 97\.7 KiB, above the input size limit/));
    } finally {
      writer.kill();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
