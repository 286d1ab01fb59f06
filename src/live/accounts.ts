import fs from 'fs';
import yaml from 'js-yaml';
import { ConfigError } from '../errors';

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Reads an account list: one 12-digit account id a line (`#` starts a comment), or a YAML/JSON
 * list of quoted ids. Wrong entries are errors naming the line or position.
 */
export function readAccountList(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read --accounts file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const trimmed = text.trim();
  const accounts = trimmed.startsWith('[') || trimmed.startsWith('-') ? parseList(file, text) : parseLines(file, text);
  if (accounts.length === 0) throw new ConfigError(`--accounts file ${file} lists no account`);
  return [...new Set(accounts)];
}

function parseLines(file: string, text: string): string[] {
  const accounts: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    if (!ACCOUNT_ID.test(line)) throw new ConfigError(`--accounts file ${file}, line ${index + 1}: "${line}" is not a 12-digit AWS account id`);
    accounts.push(line);
  });
  return accounts;
}

function parseList(file: string, text: string): string[] {
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    throw new ConfigError(`--accounts file ${file} is not a valid YAML or JSON list: ${(error as yaml.YAMLException).reason ?? String(error)}`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError(`--accounts file ${file} must be a list of account ids`);
  return parsed.map((entry, index) => {
    if (typeof entry === 'number') {
      throw new ConfigError(`--accounts file ${file}, entry ${index + 1}: quote account ids ("${entry}"), or a leading zero is lost`);
    }
    if (typeof entry !== 'string' || !ACCOUNT_ID.test(entry.trim())) {
      throw new ConfigError(`--accounts file ${file}, entry ${index + 1}: ${JSON.stringify(entry)} is not a 12-digit AWS account id`);
    }
    return entry.trim();
  });
}
