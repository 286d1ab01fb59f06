import assert from 'node:assert/strict';
import fs from 'fs';
import path from 'path';
import ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', 'src');

/** Every .ts file under src/, relative to it with forward slashes (`engine/evaluate.ts`). */
function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

/** Imports TypeScript erases: `import type`, `export type`, or only `type` names. */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

/** The src/ files a file imports (static, `export ... from`, and `import()`); with `types`, type-only imports too. */
function importsOf(file: string, types: boolean): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (types || !typeOnly(node)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)))
    .flatMap((target) => [`${target}.ts`, `${target}/index.ts`].filter((candidate) => fs.existsSync(path.join(SRC, candidate))));
}

/** The first folder of a src/ path (`engine`), or the file itself at the top level. */
function folderOf(file: string): string {
  return file.split('/')[0];
}

/** A cycle in the import graph, as the files around it, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.get(node) !== undefined) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the data flow in src/ (imports)', () => {
  const graph = new Map(sourceFiles().map((file) => [file, importsOf(file, true)]));
  const runtime = new Map(sourceFiles().map((file) => [file, importsOf(file, false)]));

  it('reads the imports it checks (so the checks below can fail)', () => {
    assert.ok(graph.get('results/build.ts')?.includes('results/waivers.ts'));
    assert.ok(graph.get('cli/live.ts')?.includes('report/text.ts'), 'import() counts');
    assert.ok(!runtime.get('report/text.ts')?.includes('report/reporter.ts'), 'a type-only import is not a runtime one');
    assert.deepEqual(findCycle(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']]])), ['a.ts', 'b.ts', 'a.ts']);
  });

  it('has no import cycle between the stages, type-only imports included', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      const to = targets.map(folderOf).filter((folder) => folder !== from);
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
    }
    assert.deepEqual(findCycle(folders), undefined);
  });

  it('has no runtime import cycle between the files of engine/, results/ and report/', () => {
    const stages = new Map([...runtime].filter(([file]) => ['engine', 'results', 'report'].includes(folderOf(file))));
    assert.deepEqual(findCycle(stages), undefined);
  });

  it('keeps each stage from reaching downstream: engine ↛ results, report, cli; results ↛ report, cli; report ↛ cli', () => {
    const downstream: Record<string, string[]> = {
      posture: ['engine', 'results', 'report', 'cli'],
      engine: ['results', 'report', 'cli', 'cdktf', 'lambda'],
      results: ['report', 'cli', 'cdktf', 'lambda'],
      report: ['cli', 'cdktf', 'lambda'],
    };
    const wrong = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => (downstream[folderOf(file)] ?? []).includes(folderOf(target))).map((target) => `${file} -> ${target}`),
    );
    assert.deepEqual(wrong, []);
  });
});
