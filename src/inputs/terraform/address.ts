/** Terraform addresses: module.a["x"].module.b[0].aws_s3_bucket.logs["k"]. */

export type InstanceKey = string | number;

export interface ModuleStep {
  name: string;
  key?: InstanceKey;
}

/** Splits an address into its dot-separated steps, each with an optional [key]. */
function steps(address: string): { name: string; key?: InstanceKey }[] {
  const result: { name: string; key?: InstanceKey }[] = [];
  // Names and unescaped keys are sliced, not built a character at a time.
  let i = 0;
  while (i < address.length) {
    let end = i;
    while (end < address.length && address[end] !== '.' && address[end] !== '[') end++;
    const step: { name: string; key?: InstanceKey } = { name: address.slice(i, end) };
    i = end;
    if (address[i] === '[') {
      i++;
      if (address[i] === '"') {
        i++;
        let close = i;
        while (close < address.length && address[close] !== '"' && address[close] !== '\\') close++;
        let key = address.slice(i, close);
        i = close;
        // An escaped character: the rest of the key a character at a time.
        while (i < address.length && address[i] !== '"') {
          if (address[i] === '\\') i++;
          key += address[i++];
        }
        step.key = key;
        i += 2; // closing quote and bracket
      } else {
        let close = i;
        while (close < address.length && address[close] !== ']') close++;
        const digits = address.slice(i, close);
        step.key = digits === '*' ? digits : Number(digits);
        i = close + 1;
      }
    }
    result.push(step);
    if (address[i] === '.') i++;
  }
  return result;
}

export function formatKey(key: InstanceKey | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** The module instance path of an address list: module.a["x"].module.b */
export function formatModules(modules: ModuleStep[]): string {
  return modules.map((m) => `module.${m.name}${formatKey(m.key)}`).join('.');
}

/** The module path without instance keys (module.a.module.b), as the configuration names it. */
export function configModulePath(modules: ModuleStep[]): string {
  return modules.map((m) => `module.${m.name}`).join('.');
}

/** Parses a module instance address such as module.a["x"].module.b[0]. */
export function parseModuleAddress(address: string): ModuleStep[] {
  if (!address) return [];
  const parts = steps(address);
  const modules: ModuleStep[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) modules.push({ name: parts[i + 1].name, key: parts[i + 1].key });
  return modules;
}

/**
 * A reference as Terraform prints it in configuration expressions, split into the
 * traversal steps: aws_s3_bucket.logs[0].id -> [{aws_s3_bucket}, {logs, key 0}, {id}].
 */
export function parseTraversal(reference: string): { name: string; key?: InstanceKey }[] {
  return steps(reference);
}
