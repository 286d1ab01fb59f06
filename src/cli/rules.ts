import { PolicyEngine } from '../engine/evaluate';
import type { RuleInfo } from '../engine/findings';
import { loadSettings, settingsPath } from '../engine/settings';
import type { Cli } from './global-options';
import { EXIT_OK, runHandler } from './run';
import { writeToStream } from './scan';

export interface RulesOptions {
  format: 'text' | 'json';
  config?: string;
  bundle?: string;
}

/** `sescheck rules`: the catalog, read from the built bundle's METADATA. */
export async function listRules(options: RulesOptions, write: (text: string) => Promise<unknown> | void): Promise<number> {
  const settings = loadSettings(settingsPath(options.config));
  const engine = await PolicyEngine.load(options.bundle);
  const rules = engine.catalog(settings);
  await write(options.format === 'json' ? `${JSON.stringify(rules, null, 2)}\n` : await renderRules(rules));
  return EXIT_OK;
}

async function renderRules(rules: RuleInfo[]): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const table = new Table({ head: ['id', 'severity', 'title'], style: { head: [], border: [] } });
  for (const rule of rules) table.push([rule.id, rule.severity, rule.title]);
  return `${table.toString()}\n`;
}

export function rulesCommand(cli: Cli): Cli {
  return cli.command(
    'rules',
    'List every rule: id, severity and title',
    (command) =>
      command.option('format', {
        choices: ['text', 'json'] as const,
        default: 'text' as const,
        describe: 'Output format',
      }),
    (argv) =>
      runHandler(() =>
        listRules(
          { format: argv.format, config: argv.config, bundle: argv.bundle },
          (text) => writeToStream(process.stdout, text, 'stdout'),
        ),
      ),
  );
}
