import assert from 'node:assert/strict';
import yargs from 'yargs';
import { buildCli } from '../../src/cli/main';
import { REPEATABLE_OPTIONS, singleValueOptions, type DeclaredOptions } from '../../src/cli/option-values';
import { EXIT_USAGE } from '../../src/cli/run';

interface CommandHandler {
  original: string;
  builder: (command: ReturnType<typeof yargs>) => unknown;
}

/** Every command of the CLI and the options it declares (its own and the global ones), read from yargs. */
function commandTable(): { name: string; positionals: string[]; options: DeclaredOptions }[] {
  const cli = buildCli([]) as unknown as {
    getOptions(): DeclaredOptions;
    getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Record<string, CommandHandler> } };
  };
  const global = cli.getOptions();
  return Object.entries(cli.getInternalMethods().getCommandInstance().getCommandHandlers()).map(([name, handler]) => {
    const command = yargs([]);
    handler.builder(command);
    const own = (command as unknown as { getOptions(): DeclaredOptions }).getOptions();
    const options: DeclaredOptions = {
      key: { ...global.key, ...own.key },
      boolean: [...global.boolean, ...own.boolean],
      array: [...global.array, ...own.array],
      count: [...global.count, ...own.count],
      string: [...global.string, ...own.string],
      number: [...global.number, ...own.number],
      choices: { ...global.choices, ...own.choices },
    };
    const positionals = [...handler.original.matchAll(/<([^>]+)>/g)].map((match) => match[1]);
    return { name, positionals, options };
  });
}

/** Runs the CLI in this process (the checks refuse before any command runs); stderr and the exit code. */
async function run(args: string[]): Promise<{ code: number | undefined; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  const previous = process.exitCode;
  let stderr = '';
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  }) as typeof process.stderr.write;
  try {
    process.exitCode = undefined;
    await buildCli(args).parseAsync();
    return { code: process.exitCode as number | undefined, stderr };
  } finally {
    process.stderr.write = write;
    process.exitCode = previous;
  }
}

function validValue(name: string, options: DeclaredOptions): string {
  const choices = options.choices[name] as string[] | undefined;
  if (choices) return choices[0];
  return options.number.includes(name) ? '1' : 'x';
}

describe('options that take one value', () => {
  const table = commandTable();

  it('are found for every command, the known ones included', () => {
    assert.deepEqual(table.map((command) => command.name).sort(), ['config', 'live', 'plan', 'rules']);
    const all = new Set(table.flatMap((command) => singleValueOptions(command.options)));
    for (const name of ['config', 'bundle', 'format', 'output', 'fail-on', 'baseline', 'concurrency', 'profile', 'role-arn', 'external-id', 'accounts', 'role-name', 'endpoint-url']) {
      assert.ok(all.has(name), `--${name} takes one value`);
    }
    for (const name of REPEATABLE_OPTIONS) assert.ok(!all.has(name), `--${name} is repeatable`);
  });

  for (const command of table) {
    // Inputs that do not exist: were the check ever gone, the command would fail before reading anything.
    const positionals = command.positionals.map(() => 'no-such-input');
    for (const name of singleValueOptions(command.options).filter((option) => !command.positionals.includes(option))) {
      const value = validValue(name, command.options);
      it(`${command.name} --${name}: refused when repeated (exit 2, one line naming it)`, async () => {
        const { code, stderr } = await run([command.name, ...positionals, `--${name}`, value, `--${name}=${value}`]);
        assert.equal(code, EXIT_USAGE, stderr);
        assert.match(stderr, new RegExp(`^sescheck: --${name} is given 2 times; it takes one value, give it once\\n$`));
      });

      it(`${command.name} --${name}: refused without a value`, async () => {
        for (const args of [[`--${name}`], [`--${name}=`], [`--${name}`, '--debug']]) {
          const { code, stderr } = await run([command.name, ...positionals, ...args]);
          assert.equal(code, EXIT_USAGE, `${args.join(' ')}: ${stderr}`);
          assert.match(stderr, new RegExp(`^sescheck: --${name} needs a value\\n$`), args.join(' '));
        }
      });
    }
  }

  it('a repeatable option may be repeated, but not be empty', async () => {
    const { code, stderr } = await run(['plan', 'no-such-input', '--rule', 'CS-004', '--rule', '']);
    assert.equal(code, EXIT_USAGE);
    assert.equal(stderr, 'sescheck: --rule needs a value\n');
    const repeated = await run(['plan', 'no-such-input', '--rule', 'CS-004', '--rule', 'CT-001']);
    assert.equal(repeated.stderr, 'sescheck: no-such-input: no such file or directory\n', 'repeating --rule is fine: the command runs');
  });

  it('a repeated number is refused, not added up (yargs reads `--concurrency 1 --concurrency 1` as 2)', async () => {
    assert.equal((await run(['live', '--region', 'eu-west-1', '--concurrency', '1', '--concurrency', '1'])).stderr, 'sescheck: --concurrency is given 2 times; it takes one value, give it once\n');
  });

  it('an option that takes a value cannot be negated (`--no-output` would be the value false)', async () => {
    for (const name of ['output', 'config', 'format', 'region', 'rule']) {
      const { code, stderr } = await run(['live', `--no-${name}`]);
      assert.equal(code, EXIT_USAGE);
      assert.equal(stderr, `sescheck: --no-${name}: --${name} takes a value and cannot be negated; leave it out instead\n`);
    }
  });

  it('a number option refuses what is not a finite number, quoting it', async () => {
    assert.equal((await run(['live', '--region', 'eu-west-1', '--concurrency', 'many'])).stderr, 'sescheck: --concurrency many: not a number\n');
    assert.equal((await run(['live', '--region', 'eu-west-1', '--concurrency=1e400'])).stderr, 'sescheck: --concurrency 1e400: not a finite number\n');
  });
});
