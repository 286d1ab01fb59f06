/** Terraform JSON string expressions: literals, "${single.reference}", and everything else. */

export type StringExpression =
  | { kind: 'literal'; value: string }
  | { kind: 'reference'; reference: string }
  | { kind: 'other'; text: string; references: string[] };

const TRAVERSAL = /^[A-Za-z_][\w-]*(?:\[(?:"(?:[^"\\]|\\.)*"|\d+|\*)\]|\.[A-Za-z_][\w-]*|\.\d+|\.\*)+$/;
const TRAVERSALS_IN = /(?<![\w.\]"])[A-Za-z_][\w-]*(?:\[(?:"(?:[^"\\]|\\.)*"|\d+|\*)\]|\.[A-Za-z_][\w-]*|\.\*)+/g;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

export function parseStringExpression(text: string): StringExpression {
  if (!text.includes('${') && !text.includes('%{')) return { kind: 'literal', value: text };
  const unescaped = text.replace(/\$\$\{/g, '').replace(/%%\{/g, '');
  if (!unescaped.includes('${') && !unescaped.includes('%{')) {
    return { kind: 'literal', value: text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') };
  }
  const single = /^\$\{\s*([^{}]*?)\s*\}$/.exec(text);
  if (single && TRAVERSAL.test(single[1])) return { kind: 'reference', reference: single[1] };
  return { kind: 'other', text, references: referencesIn(text) };
}

/** The traversals (aws_x.y.attr, var.z) inside the ${...} parts of a template. */
function referencesIn(text: string): string[] {
  const found = new Set<string>();
  for (const part of text.matchAll(/\$\{([^}]*)\}/g)) {
    const code = part[1].replace(QUOTED, '""');
    for (const match of code.matchAll(TRAVERSALS_IN)) {
      if (match[0].includes('.')) found.add(match[0]);
    }
  }
  return [...found];
}
