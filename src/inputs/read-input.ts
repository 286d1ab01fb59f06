/**
 * Reading an input's bytes, bounded: a size limit, special files (devices, sockets, directories)
 * refused, and a named pipe that nothing writes to not waited on forever.
 */
import { constants as bufferConstants } from 'buffer';
import fs from 'fs';
import net from 'net';
import { ConfigError, InputError } from '../errors';

export const MAX_INPUT_SIZE_ENV = 'SESCHECK_MAX_INPUT_SIZE';
export const DEFAULT_MAX_INPUT_BYTES = 2 * 1024 ** 3;
/** A writer usually opens a named pipe within milliseconds of the reader (a shell redirect, `<(...)`). */
export const FIFO_WRITER_WAIT_MS = 10_000;

export interface InputLimits {
  /** The largest input read, in bytes; larger inputs are refused (exit 2). */
  maxBytes: number;
  /** How long to wait for a first byte from a named pipe that has no writer yet. */
  fifoWriterWaitMs: number;
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** A size such as 2G, 500M, 64KiB or 1000000 (bytes); binary units. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2].toUpperCase()]);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** The limits of this run: SESCHECK_MAX_INPUT_SIZE overrides the default size limit. */
export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits {
  const raw = env[MAX_INPUT_SIZE_ENV];
  let maxBytes = DEFAULT_MAX_INPUT_BYTES;
  if (raw !== undefined && raw !== '') {
    const parsed = parseSize(raw);
    if (parsed === undefined) throw new ConfigError(`${MAX_INPUT_SIZE_ENV}=${raw}: expected a size such as 4G, 500M or 1000000 (bytes)`);
    if (parsed > bufferConstants.MAX_LENGTH) {
      throw new ConfigError(`${MAX_INPUT_SIZE_ENV}=${raw}: above the largest input Node.js can hold (${formatSize(bufferConstants.MAX_LENGTH)})`);
    }
    maxBytes = parsed;
  }
  return { maxBytes, fifoWriterWaitMs: FIFO_WRITER_WAIT_MS };
}

export function fileProblem(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file or directory`;
  if (code === 'EACCES') return `${path}: permission denied`;
  if (code === 'EISDIR') return `${path}: is a directory, expected a file`;
  if (code === 'ELOOP') return `${path}: too many levels of symbolic links`;
  if (code === 'ENXIO') return `${path}: is a socket or a device with nothing behind it, expected a file`;
  return `${path}: cannot read: ${(error as Error).message}`;
}

function tooLarge(path: string, limits: InputLimits, size?: number): InputError {
  const what = size === undefined ? `${path === '-' ? 'stdin' : path} gave more than ${formatSize(limits.maxBytes)}` : `${path} is ${formatSize(size)}`;
  return new InputError(`${what}, above the input size limit of ${formatSize(limits.maxBytes)} (${limits.maxBytes} bytes); raise it with ${MAX_INPUT_SIZE_ENV}, e.g. ${MAX_INPUT_SIZE_ENV}=4G`);
}

/** What a special file is, in words; undefined for the files sescheck reads (regular files and pipes). */
function specialKind(stats: fs.Stats): string | undefined {
  if (stats.isDirectory()) return 'is a directory, expected a file';
  if (stats.isCharacterDevice()) return 'is a character device, expected a file or a pipe';
  if (stats.isBlockDevice()) return 'is a block device, expected a file or a pipe';
  if (stats.isSocket()) return 'is a socket, expected a file or a pipe';
  return undefined;
}

/**
 * The bytes of an input file, or of stdin for "-". `checkStart` sees the first bytes read and may
 * throw, so that an endless stream of something that is not JSON stops at once.
 */
export async function readInputBytes(path: string, limits: InputLimits = inputLimits(), checkStart?: (start: Buffer) => void): Promise<Buffer> {
  if (path === '-') {
    if (process.stdin.isTTY) throw new InputError('- reads the plan from stdin, but stdin is a terminal: pipe `terraform show -json plan.out` into it');
    return readStream(process.stdin, path, limits, checkStart);
  }
  // Refuse special files before opening them: opening a device can have effects of its own.
  let stats: fs.Stats;
  try {
    stats = fs.statSync(path);
  } catch (error) {
    throw new InputError(fileProblem(path, error));
  }
  const special = specialKind(stats);
  if (special) throw new InputError(`${path}: ${special}`);
  let fd: number;
  try {
    // O_NONBLOCK: opening a named pipe without a writer returns at once instead of blocking.
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(fileProblem(path, error));
  }
  let owned = true;
  try {
    const opened = fs.fstatSync(fd);
    const openedSpecial = specialKind(opened);
    if (openedSpecial) throw new InputError(`${path}: ${openedSpecial}`);
    if (opened.isFIFO()) {
      owned = false;
      return await readFifo(fd, path, limits, checkStart);
    }
    if (opened.size > limits.maxBytes) throw tooLarge(path, limits, opened.size);
    return readRegularFile(fd, opened.size, path, limits, checkStart);
  } catch (error) {
    // A system call that failed (EIO, ...) is about the file; anything else is a bug.
    if ((error as NodeJS.ErrnoException).syscall) throw new InputError(fileProblem(path, error));
    throw error;
  } finally {
    if (owned) fs.closeSync(fd);
  }
}

/**
 * A regular file: one buffer of its size (it may still grow while read: the limit holds). Read
 * synchronously: an asynchronous read's request keeps its buffer alive until the event loop turns,
 * which a scan does not do before it has evaluated, so the whole file would stay in memory.
 */
function readRegularFile(fd: number, size: number, path: string, limits: InputLimits, checkStart?: (start: Buffer) => void): Buffer {
  let buffer = Buffer.allocUnsafe(Math.min(size, limits.maxBytes) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > limits.maxBytes) throw tooLarge(path, limits);
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limits.maxBytes + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const read = fs.readSync(fd, buffer, length, Math.min(buffer.length - length, 1 << 30), null);
    if (read === 0) break;
    if (length === 0) checkStart?.(buffer.subarray(0, read));
    length += read;
  }
  if (length > limits.maxBytes) throw tooLarge(path, limits);
  return buffer.subarray(0, length);
}

/**
 * A named pipe (or `<(command)`): a non-blocking read tells a pipe with a writer (EAGAIN, or data)
 * from one without (0 bytes); wait a bounded time for a writer, then stream what it writes.
 */
async function readFifo(fd: number, path: string, limits: InputLimits, checkStart?: (start: Buffer) => void): Promise<Buffer> {
  const first = Buffer.allocUnsafe(64 * 1024);
  const deadline = Date.now() + limits.fifoWriterWaitMs;
  let firstLength = 0;
  try {
    for (;;) {
      try {
        firstLength = fs.readSync(fd, first, 0, first.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw error;
      }
      if (firstLength > 0) break;
      if (Date.now() >= deadline) {
        throw new InputError(`${path} is a named pipe that nothing wrote to within ${limits.fifoWriterWaitMs / 1000} s (no writer); start the writer first, e.g. \`terraform show -json plan.out > ${path} &\``);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  const start = first.subarray(0, firstLength);
  if (firstLength > 0) checkStart?.(start);
  // The pipe socket owns the descriptor from here and closes it.
  const socket = new net.Socket({ fd, readable: true, writable: false });
  return readStream(socket, path, limits, firstLength > 0 ? undefined : checkStart, start);
}

/** A stream (stdin, a pipe) read to its end, stopping past the size limit. */
async function readStream(stream: NodeJS.ReadableStream & { destroy?: () => void }, path: string, limits: InputLimits, checkStart?: (start: Buffer) => void, start?: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = start && start.length ? [start] : [];
  let length = start?.length ?? 0;
  let checked = checkStart === undefined;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      chunks.push(bytes);
      length += bytes.length;
      if (!checked) {
        checked = true;
        checkStart?.(bytes);
      }
      if (length > limits.maxBytes) throw tooLarge(path, limits);
    }
  } finally {
    // Stop reading an endless stream; never close the process's own stdin.
    if (stream !== process.stdin) stream.destroy?.();
  }
  return Buffer.concat(chunks, length);
}
