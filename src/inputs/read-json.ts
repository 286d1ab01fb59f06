/**
 * JSON input bytes -> one document: one clear line when the input is not JSON, no string larger than
 * V8 can build (large inputs are parsed in parts), and no nesting deeper than the walks can follow.
 */
import { InputError } from '../errors';
import { MAX_NESTING } from '../json-object';
import { formatSize } from './read-input';

export { MAX_NESTING };
/** Inputs above this are parsed in parts (V8's largest string is 2^29 - 24 characters, about 512 MiB). */
export const DEFAULT_PART_BYTES = 256 * 1024 * 1024;
/** The smallest bound on one object key when a document is read in parts. */
const KEY_BYTES = 1 << 20;

export interface JsonReadOptions {
  /** The largest piece given to JSON.parse at once (a parameter so tests can split small inputs). */
  partBytes?: number;
  /** Top-level members dropped after parsing (plans: prior state and drift, which sescheck does not read). */
  dropTopLevel?: ReadonlySet<string>;
  /**
   * Inputs parsed in parts only: the elements of these top-level arrays cut down to what the reader
   * reads as they are parsed, so that a large input is not held whole (plans: a change's before and
   * after values, most of a plan's size).
   */
  trimElements?: Readonly<Record<string, (element: unknown) => unknown>>;
  /** The parts of the document whose nesting is checked (same paths): what the reader walks; the whole document by default. */
  walked?: (document: unknown) => unknown;
}

const SPACE = new Set([0x20, 0x0a, 0x0d, 0x09]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function fail(message: string): never {
  throw new InputError(message);
}

/** The offset of the first byte after a byte order mark and whitespace. */
function firstSignificant(bytes: Buffer): number {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && SPACE.has(bytes[i])) i++;
  return i;
}

/**
 * Checks the first bytes of an input: a binary plan, HCL given as JSON, or bytes no JSON value
 * starts with are refused before the rest is read (an endless stream stops at once).
 */
export function checkJsonStart(path: string): (start: Buffer) => void {
  return (start) => {
    if (start.length >= 2 && start[0] === 0x50 && start[1] === 0x4b) {
      fail(`${path} is a binary Terraform plan file; run \`terraform show -json ${path === '-' ? 'plan.out' : path} > plan.json\` and pass plan.json`);
    }
    const at = firstSignificant(start);
    if (at >= start.length) return;
    if (path.endsWith('.tf') && start[at] !== 0x7b) {
      fail(`${path} is Terraform configuration (HCL), not JSON; scan it with \`sescheck config ${path}\``);
    }
    // A JSON value starts with one of { [ " - 0-9 t f n.
    if (!/^[{["\-0-9tfn]$/.test(String.fromCharCode(start[at]))) {
      const before = start.toString('utf8', 0, at);
      const { line, column } = lineAndColumn(before, before.length);
      const char = start.toString('utf8', at, Math.min(start.length, at + 4));
      fail(`${path}: invalid JSON at line ${line}, column ${column}: unexpected ${JSON.stringify(String.fromCodePoint(char.codePointAt(0) ?? 0))}`);
    }
  };
}

/** The line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The JSON document in `bytes`; throws InputError with one line when it is not JSON or nests too deep. */
export function parseJsonBytes(bytes: Buffer, path: string, options: JsonReadOptions = {}): unknown {
  checkJsonStart(path)(bytes.subarray(0, 4096));
  const start = firstSignificant(bytes);
  if (start >= bytes.length) fail(`${path} is empty; expected JSON`);
  const partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
  // Lines and columns count from the first byte after a byte order mark.
  const text = (): string => bytes.toString('utf8', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
  const document = bytes.length - start <= partBytes ? parseJson(text(), path) : new PartParser(bytes, path, partBytes, options.dropTopLevel, options.trimElements).document(start);
  assertNesting(options.walked ? options.walked(document) : document, path);
  return document;
}

/** Parses JSON text; a syntax error becomes an InputError saying where. */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 does not always say where: find the first offending character ourselves (error path only).
    const offset = syntaxErrorOffset(text) ?? Number(/at position (\d+)/.exec((error as Error).message)?.[1] ?? text.length);
    if (offset >= text.trimEnd().length) {
      return fail(`${path}: invalid JSON: the text ends early at offset ${text.length} (truncated file?)`);
    }
    const { line, column } = lineAndColumn(text, offset);
    return fail(`${path}: invalid JSON at line ${line}, column ${column}: unexpected ${JSON.stringify(String.fromCodePoint(text.codePointAt(offset) ?? 0))}`);
  }
}

/** The offset of the first character that breaks the JSON grammar; undefined when there is none. Iterative: any depth. */
export function syntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const open: string[] = [];
  const space = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const expect = (char: string): void => {
    if (text[i] !== char) throw i;
    i++;
  };
  const string = (): void => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) throw i;
      i += text[i] === '\\' ? 2 : 1;
    }
    expect('"');
  };
  const key = (): void => {
    space();
    string();
    space();
    expect(':');
  };
  try {
    for (;;) {
      // A value.
      space();
      const char = text[i];
      if (char === '{' || char === '[') {
        i++;
        space();
        if (text[i] === (char === '{' ? '}' : ']')) i++;
        else {
          open.push(char);
          if (char === '{') key();
          continue;
        }
      } else if (char === '"') {
        string();
      } else {
        const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
        if (!literal) throw i;
        i += literal[0].length;
      }
      // After a value: the next member or element, or the end of the containers it closes.
      for (;;) {
        space();
        if (open.length === 0) return i < text.length ? i : undefined;
        const container = open[open.length - 1];
        if (text[i] === ',') {
          i++;
          if (container === '{') key();
          break;
        }
        expect(container === '{' ? '}' : ']');
        open.pop();
      }
    }
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
}

/**
 * The most text given to one JSON.parse: consecutive array elements are parsed together up to
 * this, and a container above it is taken apart. Measured on a 1 GiB plan: 1 MiB pieces parse in
 * 23 s CPU at 2.3 GB peak, 32 MiB pieces in 26 s at 3.1 GB (large transient strings), one
 * JSON.parse per element (before) in 31 s.
 */
const GROUP_BYTES = 1024 * 1024;

/**
 * JSON bytes larger than one string can be, parsed in one pass: a container above the group size
 * (1 MiB, or `partBytes` if smaller) is taken apart into its members or elements (checking its
 * own grammar), and consecutive smaller elements of an array are parsed together by one
 * JSON.parse. Each byte is scanned about once to find where elements end (a container is not
 * measured to its end before it is taken apart). The result is what JSON.parse of the whole text
 * would give, and an error says where, as JSON.parse of the whole text would.
 */
class PartParser {
  private readonly groupBytes: number;

  constructor(
    private readonly bytes: Buffer,
    private readonly path: string,
    private readonly partBytes: number,
    private readonly dropTopLevel: ReadonlySet<string> = new Set(),
    private readonly trimElements: Readonly<Record<string, (element: unknown) => unknown>> = {},
  ) {
    this.groupBytes = Math.min(partBytes, GROUP_BYTES);
  }

  document(start: number): unknown {
    const [document, end] = this.value(start, 1, true);
    const after = this.skipSpace(end);
    if (after < this.bytes.length) this.syntaxError(after);
    return document;
  }

  /** The value starting at `from`, and the offset after it; `trim` cuts down each element of an array. */
  private value(from: number, depth: number, top = false, trim?: (element: unknown) => unknown): [unknown, number] {
    if (depth > MAX_NESTING) fail(`${this.path}: JSON nested deeper than ${MAX_NESTING} levels (at byte ${from})`);
    const first = this.bytes[from];
    if (first === 0x7b || first === 0x5b) {
      const end = this.valueEnd(from, this.groupBytes);
      if (end >= 0) {
        const value = this.parsePiece(from, end);
        return [trim && Array.isArray(value) ? value.map(trim) : value, end];
      }
      return first === 0x7b ? this.object(from, depth, top) : this.array(from, depth, trim);
    }
    const end = this.valueEnd(from);
    if (end - from > this.partBytes) {
      fail(`${this.path}: a single JSON value of ${formatSize(end - from)} at byte ${from} is larger than sescheck reads at once (${formatSize(this.partBytes)})`);
    }
    return [this.parsePiece(from, end), end];
  }

  private object(from: number, depth: number, top: boolean): [Record<string, unknown>, number] {
    const object: Record<string, unknown> = {};
    let i = this.skipSpace(from + 1);
    if (this.bytes[i] === 0x7d) return [object, i + 1];
    for (;;) {
      if (i >= this.bytes.length) this.truncated();
      if (this.bytes[i] !== QUOTE) this.syntaxError(i);
      const keyEnd = this.stringEnd(i);
      // A key is one string too: bounded like a value (at least 1 MiB, so small test parts keep their keys).
      const keyLimit = Math.max(this.partBytes, KEY_BYTES);
      if (keyEnd - i > keyLimit) {
        fail(`${this.path}: a single JSON key of ${formatSize(keyEnd - i)} at byte ${i} is larger than sescheck reads at once (${formatSize(keyLimit)})`);
      }
      const key = this.parsePiece(i, keyEnd) as string;
      i = this.skipSpace(keyEnd);
      if (i >= this.bytes.length) this.truncated();
      if (this.bytes[i] !== 0x3a) this.syntaxError(i);
      i = this.skipSpace(i + 1);
      if (i >= this.bytes.length) this.truncated();
      const [value, valueEnd] = this.value(i, depth + 1, false, top && Object.hasOwn(this.trimElements, key) ? this.trimElements[key] : undefined);
      // As JSON.parse does: "__proto__" is an own key, never the prototype.
      if (!(top && this.dropTopLevel.has(key))) Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      i = this.skipSpace(valueEnd);
      if (this.bytes[i] === 0x2c) i = this.skipSpace(i + 1);
      else if (this.bytes[i] === 0x7d) return [object, i + 1];
      else if (i >= this.bytes.length) this.truncated();
      else this.syntaxError(i);
    }
  }

  private array(from: number, depth: number, trim?: (element: unknown) => unknown): [unknown[], number] {
    const array: unknown[] = [];
    let i = this.skipSpace(from + 1);
    if (this.bytes[i] === 0x5d) return [array, i + 1];
    // Consecutive elements below the group size, [groupStart, groupEnd), are parsed together.
    let groupStart = -1;
    let groupEnd = -1;
    const flush = (): void => {
      if (groupStart < 0) return;
      for (const item of this.group(groupStart, groupEnd, depth + 1)) array.push(trim ? trim(item) : item);
      groupStart = -1;
    };
    for (;;) {
      if (i >= this.bytes.length) this.truncated();
      const first = this.bytes[i];
      const end = first === 0x7b || first === 0x5b ? this.valueEnd(i, this.groupBytes) : this.valueEnd(i);
      let valueEnd = end;
      if (end < 0 || end - i > this.groupBytes) {
        flush();
        const [value, after] = this.value(i, depth + 1);
        array.push(trim ? trim(value) : value);
        valueEnd = after;
      } else {
        if (groupStart >= 0 && end - groupStart > this.groupBytes) flush();
        if (groupStart < 0) groupStart = i;
        groupEnd = end;
      }
      i = this.skipSpace(valueEnd);
      if (this.bytes[i] === 0x2c) i = this.skipSpace(i + 1);
      else if (this.bytes[i] === 0x5d) {
        flush();
        return [array, i + 1];
      } else if (i >= this.bytes.length) this.truncated();
      else this.syntaxError(i);
    }
  }

  /** The elements from `from` to `to` (elements and the commas between them), in one JSON.parse; element by element to say where one is invalid. */
  private group(from: number, to: number, depth: number): unknown[] {
    if (depth > MAX_NESTING) fail(`${this.path}: JSON nested deeper than ${MAX_NESTING} levels (at byte ${from})`);
    try {
      return JSON.parse(`[${this.bytes.toString('utf8', from, to)}]`) as unknown[];
    } catch {
      const items: unknown[] = [];
      for (let i = from; i < to; ) {
        const end = this.valueEnd(i);
        items.push(this.parsePiece(i, end));
        i = this.skipSpace(end);
        if (this.bytes[i] === 0x2c) i = this.skipSpace(i + 1);
      }
      return items;
    }
  }

  private parsePiece(from: number, to: number): unknown {
    const text = this.bytes.toString('utf8', from, to);
    try {
      return JSON.parse(text);
    } catch (error) {
      // As for the whole text: where V8 says, when the grammar walk finds nothing (a bad escape).
      const offset = syntaxErrorOffset(text) ?? Number(/at position (\d+)/.exec((error as Error).message)?.[1] ?? text.length);
      return this.syntaxError(from + Buffer.byteLength(text.slice(0, offset)));
    }
  }

  private skipSpace(i: number): number {
    while (i < this.bytes.length && SPACE.has(this.bytes[i])) i++;
    return i;
  }

  /** The offset after the string starting at `i` (a quote). */
  private stringEnd(i: number): number {
    let at = i + 1;
    for (;;) {
      const quote = this.bytes.indexOf(QUOTE, at);
      if (quote < 0) return this.truncated();
      let backslashes = 0;
      while (this.bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      at = quote + 1;
    }
  }

  /**
   * The offset after the value starting at `i`: containers by bracket count (their grammar is
   * checked when parsed); -1 when a container runs on past `limit` bytes (it is taken apart).
   */
  private valueEnd(i: number, limit = Infinity): number {
    const bytes = this.bytes;
    const first = bytes[i];
    if (first === QUOTE) return this.stringEnd(i);
    if (first !== 0x7b && first !== 0x5b) {
      let at = i;
      while (at < bytes.length && !SPACE.has(bytes[at]) && bytes[at] !== 0x2c && bytes[at] !== 0x7d && bytes[at] !== 0x5d) at++;
      if (at === i) return at < bytes.length ? this.syntaxError(i) : this.truncated();
      return at;
    }
    // One pass, strings skipped inline (a call per string costs more than the scan of a short one).
    const length = Math.min(bytes.length, limit === Infinity ? bytes.length : i + limit + 1);
    let depth = 0;
    let at = i;
    for (; at < length; at++) {
      const byte = bytes[at];
      if (byte === QUOTE) {
        for (at++; at < bytes.length && bytes[at] !== QUOTE; at++) if (bytes[at] === BACKSLASH) at++;
        if (at >= bytes.length) return this.truncated();
      } else if (byte === 0x7b || byte === 0x5b) depth++;
      else if ((byte === 0x7d || byte === 0x5d) && --depth === 0) return at + 1;
    }
    return at < bytes.length ? -1 : this.truncated();
  }

  private truncated(): never {
    return fail(`${this.path}: invalid JSON: the text ends early at offset ${this.bytes.length} (truncated file?)`);
  }

  private syntaxError(offset: number): never {
    let line = 1;
    let lineStart = 0;
    for (let i = this.bytes.indexOf(0x0a); i !== -1 && i < offset; i = this.bytes.indexOf(0x0a, i + 1)) {
      line++;
      lineStart = i + 1;
    }
    // Columns count characters; on a line longer than a string can be, bytes.
    const column = offset - lineStart > 1024 * 1024 ? offset - lineStart + 1 : this.bytes.toString('utf8', lineStart, offset).length + 1;
    const char = this.bytes.toString('utf8', offset, Math.min(offset + 4, this.bytes.length));
    return fail(`${this.path}: invalid JSON at line ${line}, column ${column}: unexpected ${JSON.stringify(String.fromCodePoint(char.codePointAt(0) ?? 0))}`);
  }
}

/** A path inside a document, as a user reads it: planned_values.root_module.resources[3].values. */
export function formatPath(steps: readonly (string | number)[]): string {
  let text = '';
  for (const step of steps) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(step)) text += text ? `.${step}` : step;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text || '(the document)';
}

/**
 * Whether `container`, `room` levels above the limit, holds a container past it. Recursive but
 * bounded: it never goes more than `room` frames deep (1000 frames take under 200 KB of Node's
 * 984 KB stack), so it cannot overflow the stack itself, and it allocates nothing (measured on the
 * 10k plan: half the time of an explicit stack).
 */
function nestsDeeper(container: object, room: number): boolean {
  if (room === 0) return true;
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const item: unknown = container[i];
      if (typeof item === 'object' && item !== null && nestsDeeper(item, room - 1)) return true;
    }
  } else {
    for (const key in container) {
      const item = (container as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null && nestsDeeper(item, room - 1)) return true;
    }
  }
  return false;
}

/** The path of the first container deeper than `limit` (error path only). */
function deepPath(document: unknown, limit: number): (string | number)[] {
  const stack: { value: unknown; steps: (string | number)[] }[] = [{ value: document, steps: [] }];
  while (stack.length) {
    const { value, steps } = stack.pop() as (typeof stack)[number];
    if (typeof value !== 'object' || value === null) continue;
    if (steps.length >= limit) return steps;
    for (const [key, item] of Object.entries(value)) stack.push({ value: item, steps: [...steps, Array.isArray(value) ? Number(key) : key] });
  }
  return [];
}

/** Refuses a document nested deeper than MAX_NESTING, naming where (the first steps of the path). */
export function assertNesting(document: unknown, path: string, limit = MAX_NESTING): void {
  if (typeof document !== 'object' || document === null || !nestsDeeper(document, limit)) return;
  const steps = deepPath(document, limit);
  const shown = formatPath(steps.slice(0, 8));
  fail(`${path}: ${shown}${steps.length > 8 ? '…' : ''}: nested deeper than ${limit} levels`);
}
