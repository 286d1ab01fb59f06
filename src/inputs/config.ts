/**
 * Terraform configuration -> posture documents: a cdk.tf.json, a cdktf.out directory (one
 * posture per stack), a directory of .tf.json / .tf files, or one such file.
 */
import fs from 'fs';
import path from 'path';
import { InputError } from '../errors';
import type { Posture } from '../posture/types';
import { DEFAULT_PART_BYTES, assertNesting, checkJsonStart, parseJsonBytes } from './read-json';
import { type InputLimits, fileProblem, formatSize, inputLimits, readInputBytes } from './read-input';
import { assertShape } from './shape';
import { type ConfigDocument, type ModuleFiles, configInstances, moduleDirectory, moduleSources } from './terraform/config-instances';
import { normalizeInstances } from './terraform/resources';

interface Stack {
  name?: string;
  files: string[];
}

/**
 * Reads Terraform configuration; throws InputError with one line when it cannot. `onFile` hears
 * of every file read (the CLI protects them from --output); `beforeHcl`, before any HCL is
 * converted, of the bytes of the .tf files named or found in the directory (a local module's
 * files are found only once its caller is converted).
 */
export async function readConfigPath(inputPath: string, onFile?: (file: string) => void, limits: InputLimits = inputLimits(), beforeHcl?: (hclBytes: number) => void): Promise<Posture[]> {
  const stacks = findStacks(inputPath);
  for (const stack of stacks) stack.files.forEach((file) => onFile?.(file));
  if (beforeHcl) beforeHcl(stacks.flatMap((stack) => stack.files).filter((file) => file.endsWith('.tf')).reduce((bytes, file) => bytes + stat(file).size, 0));
  const postures: Posture[] = [];
  for (const stack of stacks) {
    const documents = await Promise.all(stack.files.map((file) => readDocument(file, limits)));
    const dir = path.dirname(stack.files[0]);
    const set = configInstances({ dir, documents, modules: await readLocalModules(dir, documents, limits, onFile) });
    const source: Posture['source'] = { kind: 'config', path: stack.files.length === 1 ? stack.files[0] : inputPath };
    // A lone cdk.tf.json names its stack in cdktf's metadata.
    const stackName = stack.name ?? (documents.length === 1 ? cdktfStackName(documents[0].body) : undefined);
    if (stackName) source.stack = stackName;
    postures.push(normalizeInstances(set, source));
  }
  return postures;
}

function cdktfStackName(body: Record<string, unknown>): string | undefined {
  const metadata = (body['//'] as { metadata?: { stackName?: unknown } } | undefined)?.metadata;
  return typeof metadata?.stackName === 'string' ? metadata.stackName : undefined;
}

function isTerraformFile(name: string): boolean {
  return name.endsWith('.tf') || name.endsWith('.tf.json');
}

function stat(file: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (error) {
    throw new InputError(fileProblem(file, error));
  }
}

/** Whether a path exists; a path that cannot be looked at (permission denied) is an error, never skipped. */
function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw new InputError(fileProblem(file, error));
  }
}

function listDirectory(directory: string): string[] {
  try {
    return fs.readdirSync(directory).sort();
  } catch (error) {
    throw new InputError(fileProblem(directory, error));
  }
}

/** What to read: the stacks of a cdktf.out, or one configuration (a file or a directory of files). */
function findStacks(inputPath: string): Stack[] {
  if (!stat(inputPath).isDirectory()) {
    if (!isTerraformFile(inputPath) && !inputPath.endsWith('.json')) {
      throw new InputError(`${inputPath} is not Terraform configuration: expected a .tf or .tf.json file, a directory of them, or a cdktf.out directory`);
    }
    return [{ files: [inputPath] }];
  }
  const cdktfOut = exists(path.join(inputPath, 'cdktf.out')) ? path.join(inputPath, 'cdktf.out') : inputPath;
  const stacksDirectory = path.join(cdktfOut, 'stacks');
  if (exists(stacksDirectory) && stat(stacksDirectory).isDirectory()) {
    const stacks = listDirectory(stacksDirectory)
      .map((name) => ({ name, file: path.join(stacksDirectory, name, 'cdk.tf.json') }))
      .filter((stack) => exists(stack.file))
      .map((stack) => ({ name: stack.name, files: [stack.file] }));
    if (stacks.length === 0) throw new InputError(`${inputPath}: no synthesized stacks (stacks/*/cdk.tf.json); run \`cdktf synth\` first`);
    return stacks;
  }
  const files = listDirectory(inputPath).filter(isTerraformFile).map((name) => path.join(inputPath, name));
  if (files.length === 0) {
    throw new InputError(`${inputPath}: no Terraform files (*.tf, *.tf.json, or cdktf.out/stacks/*/cdk.tf.json) in this directory`);
  }
  return [{ files }];
}

const MAX_MODULE_DEPTH = 12;

/** The local modules a configuration calls, transitively, by absolute directory; what cannot be read says why. */
async function readLocalModules(
  dir: string,
  documents: ConfigDocument[],
  limits: InputLimits,
  onFile?: (file: string) => void,
  modules = new Map<string, ModuleFiles>(),
  depth = 0,
): Promise<Map<string, ModuleFiles>> {
  if (depth >= MAX_MODULE_DEPTH) return modules;
  for (const source of moduleSources(documents)) {
    const moduleDir = moduleDirectory(dir, source);
    if (modules.has(moduleDir)) continue;
    let names: string[];
    try {
      names = fs.readdirSync(moduleDir).sort();
    } catch {
      modules.set(moduleDir, { unreadable: `directory ${moduleDir} does not exist or cannot be read` });
      continue;
    }
    const files = names.filter(isTerraformFile).sort().map((name) => path.join(moduleDir, name));
    if (files.length === 0) {
      modules.set(moduleDir, { unreadable: `no Terraform files in ${moduleDir}` });
      continue;
    }
    // A module's files are read by the scan too: --output must never replace one.
    files.forEach((file) => onFile?.(file));
    const moduleDocuments = await Promise.all(files.map((file) => readDocument(file, limits)));
    modules.set(moduleDir, moduleDocuments);
    await readLocalModules(moduleDir, moduleDocuments, limits, onFile, modules, depth + 1);
  }
  return modules;
}

async function readDocument(file: string, limits: InputLimits): Promise<ConfigDocument> {
  if (file.endsWith('.tf')) {
    const bytes = await readInputBytes(file, limits);
    if (bytes.length > DEFAULT_PART_BYTES) throw new InputError(`${file} is ${formatSize(bytes.length)} of HCL, more than sescheck converts at once (${formatSize(DEFAULT_PART_BYTES)}); convert it to Terraform JSON first`);
    const text = bytes.toString('utf8');
    // The HCL parser is a Go program in wasm that starts as its module loads (about 0.5 s of CPU): only for .tf files.
    const { parse: parseHcl } = await import('@cdktf/hcl2json');
    let body: Record<string, unknown>;
    try {
      body = await parseHcl(file, text);
    } catch (error) {
      const detail = String((error as Error).message ?? error).replace(/^parse config: \[?/, '').replace(/\]$/, '').split(';')[0];
      throw new InputError(`${file}: invalid HCL: ${detail}`);
    }
    assertNesting(body, file);
    assertShape(body, 'terraform-json', file, 'Terraform configuration sescheck can read (after conversion to Terraform JSON)');
    return { file, body, lineOf: hclLineFinder(text) };
  }
  const bytes = await readInputBytes(file, limits, checkJsonStart(file));
  const body = parseJsonBytes(bytes, file);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(`${file} is not Terraform JSON: expected a JSON object`);
  }
  const json = body as Record<string, unknown>;
  if ('format_version' in json || 'planned_values' in json) {
    throw new InputError(`${file} is a Terraform plan or state, not configuration; scan it with \`sescheck plan ${file}\``);
  }
  if (!['resource', 'provider', 'terraform', 'variable', 'module', 'data', 'locals', 'output'].some((key) => key in json)) {
    throw new InputError(`${file} is not Terraform JSON: it has none of resource, provider, terraform, variable, module, data`);
  }
  assertShape(json, 'terraform-json', file, 'Terraform JSON');
  // Lines are found in the text; a text larger than a string can be has no lines.
  return { file, body: json, lineOf: bytes.length <= DEFAULT_PART_BYTES ? jsonLineFinder(bytes.toString('utf8')) : () => undefined };
}

function lineAt(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Where each object key of a JSON text is (offsets of its opening quote, in order): one pass over the text. */
function keyOffsets(text: string): Map<string, number[]> {
  const offsets = new Map<string, number[]>();
  for (let quote = text.indexOf('"'); quote !== -1;) {
    let end = quote + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) break;
    let after = end + 1;
    while (after < text.length && (text[after] === ' ' || text[after] === '\n' || text[after] === '\r' || text[after] === '\t')) after++;
    if (text[after] === ':') {
      const raw = text.slice(quote + 1, end);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      const list = offsets.get(key);
      if (list) list.push(quote);
      else offsets.set(key, [quote]);
    }
    quote = text.indexOf('"', end + 1);
  }
  return offsets;
}

/** The first offset in a sorted list at or after `from`; -1 when none. */
function firstFrom(offsets: number[] | undefined, from: number): number {
  if (!offsets) return -1;
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (offsets[middle] < from) low = middle + 1;
    else high = middle;
  }
  return low < offsets.length ? offsets[low] : -1;
}

/** The line of a resource's key in Terraform JSON: "resource" > "TYPE" > "NAME" (the text indexed once, on first use). */
function jsonLineFinder(text: string): ConfigDocument['lineOf'] {
  let index: { keys: Map<string, number[]>; starts: number[]; resourceStart: number } | undefined;
  return (type, name) => {
    index ??= (() => {
      const keys = keyOffsets(text);
      return { keys, starts: lineStartsOf(text), resourceStart: firstFrom(keys.get('resource'), 0) };
    })();
    if (index.resourceStart < 0) return undefined;
    const typeAt = firstFrom(index.keys.get(type), index.resourceStart);
    if (typeAt < 0) return undefined;
    const nameAt = firstFrom(index.keys.get(name), typeAt);
    return nameAt < 0 ? undefined : lineAt(index.starts, nameAt);
  };
}

/** The line of `resource "TYPE" "NAME"` in HCL (hcl2json does not keep positions): every header found in one pass. */
function hclLineFinder(text: string): ConfigDocument['lineOf'] {
  let lines: Map<string, number> | undefined;
  return (type, name) => {
    if (!lines) {
      lines = new Map();
      const starts = lineStartsOf(text);
      for (const match of text.matchAll(/^[ \t]*resource[ \t]+"?([^"\s{]+)"?[ \t]+"?([^"\s{]+)"?[ \t]*\{/gm)) {
        const key = `${match[1]}\u0000${match[2]}`;
        if (!lines.has(key)) lines.set(key, lineAt(starts, (match.index ?? 0) + match[0].length - match[0].trimStart().length));
      }
    }
    return lines.get(`${type}\u0000${name}`);
  };
}
