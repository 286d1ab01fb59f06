/**
 * Terraform configuration -> posture documents: a cdk.tf.json, a cdktf.out directory (one
 * posture per stack), a directory of .tf.json / .tf files, or one such file.
 */
import fs from 'fs';
import path from 'path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { InputError } from '../errors';
import type { Posture } from '../posture/types';
import { fileProblem, jsonText, parseJson } from './read-json';
import { type ConfigDocument, type ModuleFiles, configInstances, moduleDirectory, moduleSources } from './terraform/config-instances';
import { normalizeInstances } from './terraform/resources';

interface Stack {
  name?: string;
  files: string[];
}

/**
 * Reads Terraform configuration; throws InputError with one line when it cannot. `onFile` hears
 * of every file read (the CLI protects them from --output).
 */
export async function readConfigPath(inputPath: string, onFile?: (file: string) => void): Promise<Posture[]> {
  const stacks = findStacks(inputPath);
  for (const stack of stacks) stack.files.forEach((file) => onFile?.(file));
  const postures: Posture[] = [];
  for (const stack of stacks) {
    const documents = await Promise.all(stack.files.map(readDocument));
    const dir = path.dirname(stack.files[0]);
    const set = configInstances({ dir, documents, modules: await readLocalModules(dir, documents, onFile) });
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

/** Whether something is at that path; a path that cannot be looked at (permission denied) is an error, not absent. */
function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw new InputError(fileProblem(file, error));
  }
}

function listDirectory(directory: string): string[] {
  try {
    return fs.readdirSync(directory);
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
    const stacks = listDirectory(stacksDirectory).sort()
      .map((name) => ({ name, file: path.join(stacksDirectory, name, 'cdk.tf.json') }))
      .filter((stack) => exists(stack.file))
      .map((stack) => ({ name: stack.name, files: [stack.file] }));
    if (stacks.length === 0) throw new InputError(`${inputPath}: no synthesized stacks (stacks/*/cdk.tf.json); run \`cdktf synth\` first`);
    return stacks;
  }
  const files = listDirectory(inputPath).filter(isTerraformFile).sort().map((name) => path.join(inputPath, name));
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
      names = fs.readdirSync(moduleDir);
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
    const moduleDocuments = await Promise.all(files.map(readDocument));
    modules.set(moduleDir, moduleDocuments);
    await readLocalModules(moduleDir, moduleDocuments, onFile, modules, depth + 1);
  }
  return modules;
}

async function readDocument(file: string): Promise<ConfigDocument> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new InputError(fileProblem(file, error));
  }
  if (file.endsWith('.tf')) {
    const text = bytes.toString('utf8');
    let body: Record<string, unknown>;
    try {
      body = await parseHcl(file, text);
    } catch (error) {
      const detail = String((error as Error).message ?? error).replace(/^parse config: \[?/, '').replace(/\]$/, '').split(';')[0];
      throw new InputError(`${file}: invalid HCL: ${detail}`);
    }
    return { file, body, lineOf: hclLineFinder(text) };
  }
  const text = jsonText(bytes, file);
  const body = parseJson(text, file);
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
  return { file, body: json, lineOf: jsonLineFinder(text) };
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

function keyAt(text: string, key: string, from: number): number {
  const match = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`, 'g');
  match.lastIndex = from;
  return match.exec(text)?.index ?? -1;
}

/** The line of a resource's key in Terraform JSON: "resource" > "TYPE" > "NAME". */
function jsonLineFinder(text: string): ConfigDocument['lineOf'] {
  let starts: number[] | undefined;
  const resourceStart = text.indexOf('"resource"');
  return (type, name) => {
    if (resourceStart < 0) return undefined;
    // Keys are followed by a colon, values never are.
    const typeAt = keyAt(text, type, resourceStart);
    if (typeAt < 0) return undefined;
    const nameAt = keyAt(text, name, typeAt);
    if (nameAt < 0) return undefined;
    starts ??= lineStartsOf(text);
    return lineAt(starts, nameAt);
  };
}

/** The line of `resource "TYPE" "NAME"` in HCL (hcl2json does not keep positions). */
function hclLineFinder(text: string): ConfigDocument['lineOf'] {
  let starts: number[] | undefined;
  return (type, name) => {
    const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`^[ \\t]*resource[ \\t]+"?${escape(type)}"?[ \\t]+"?${escape(name)}"?[ \\t]*\\{`, 'm').exec(text);
    if (!match) return undefined;
    starts ??= lineStartsOf(text);
    return lineAt(starts, match.index + match[0].length - match[0].trimStart().length);
  };
}
