/** Reading input files: one read, one parse, and one clear line when the input is wrong. */
import fs from 'fs';
import { InputError } from '../errors';

/** The bytes of a file, or of stdin for "-". */
export async function readInputBytes(path: string): Promise<Buffer> {
  if (path === '-') {
    if (process.stdin.isTTY) throw new InputError('- reads the plan from stdin, but stdin is a terminal: pipe `terraform show -json plan.out` into it');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return await fs.promises.readFile(path);
  } catch (error) {
    throw new InputError(fileProblem(path, error));
  }
}

export function fileProblem(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file or directory`;
  if (code === 'EACCES') return `${path}: permission denied`;
  if (code === 'EISDIR') return `${path}: is a directory, expected a file`;
  return `${path}: cannot read: ${(error as Error).message}`;
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
    return fail(`${path}: invalid JSON at line ${line}, column ${column}: unexpected ${JSON.stringify(text[offset])}`);
  }
}

function fail(message: string): never {
  throw new InputError(message);
}

/** The text of a JSON input: refuses binary plan files, strips a byte order mark. */
export function jsonText(bytes: Buffer, path: string): string {
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw new InputError(`${path} is a binary Terraform plan file; run \`terraform show -json ${path === '-' ? 'plan.out' : path} > plan.json\` and pass plan.json`);
  }
  const raw = bytes.toString('utf8');
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === '') throw new InputError(`${path} is empty; expected JSON`);
  if (path.endsWith('.tf') && !text.trimStart().startsWith('{')) {
    throw new InputError(`${path} is Terraform configuration (HCL), not JSON; scan it with \`sescheck config ${path}\``);
  }
  return text;
}

/** The offset of the first character that breaks the JSON grammar; undefined when there is none. */
export function syntaxErrorOffset(text: string): number | undefined {
  let i = 0;
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
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        string();
        space();
        expect(':');
        value();
        space();
        if (text[i] === ',') i++;
        else return expect('}');
      }
    }
    if (char === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else return expect(']');
      }
    }
    if (char === '"') return string();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!literal) throw i;
    i += literal[0].length;
  };
  try {
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (offset) {
    return offset as number;
  }
}
