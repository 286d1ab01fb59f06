/**
 * Scales bench/base-plan.json (a real `terraform show -json` of bench/terraform, two tenants) to
 * a plan of about N resource instances or N megabytes: the module instance
 * module.tenant["tn000000"] is copied under new keys (tn000000, tn000001, ...), with every value
 * that carries the key (names, addresses) renamed, in the places Terraform puts module instances
 * (planned_values child modules, resource_changes, relevant_attributes). The configuration is per
 * module call, so it is unchanged. Written in pieces: a plan may be larger than one string.
 */
import fs from 'fs';
import path from 'path';

type Json = Record<string, unknown>;

export const BASE_PLAN = path.join(__dirname, 'base-plan.json');
const TEMPLATE_KEY = 'tn000000';
const TENANT = /^module\.tenant\["tn\d{6}"\]/;

const key = (index: number): string => `tn${String(index).padStart(6, '0')}`;

interface Section {
  /** The section's array in the base plan, with a placeholder where the tenants go. */
  replace(placeholder: string): void;
  /** The template tenant's elements, as JSON text without the brackets. */
  template: string;
}

/** Splits an array of the base plan: the template tenant's elements, and the rest with a placeholder where the first tenant was. */
function section(holder: Json, field: string, owner: (item: Json) => string | undefined): Section {
  const items = holder[field] as Json[];
  const template = items.filter((item) => owner(item) === `module.tenant["${TEMPLATE_KEY}"]`);
  if (template.length === 0) throw new Error(`base plan: no tenant module instance to copy in ${field}`);
  const first = items.findIndex((item) => TENANT.test(owner(item) ?? ''));
  const others = items.filter((item) => !TENANT.test(owner(item) ?? ''));
  return {
    template: template.map((item) => JSON.stringify(item)).join(','),
    replace: (placeholder) => {
      holder[field] = [...others.slice(0, first), placeholder, ...others.slice(first)];
    },
  };
}

/** The resource instances of one tenant and of everything else, in the base plan. */
function counts(base: Json): { perTenant: number; fixed: number } {
  const changes = base.resource_changes as Json[];
  const perTenant = changes.filter((c) => c.module_address === `module.tenant["${TEMPLATE_KEY}"]`).length;
  const fixed = changes.filter((c) => !TENANT.test(String(c.module_address ?? ''))).length;
  return { perTenant, fixed };
}

/**
 * Writes a plan of about `size.instances` resource instances (or `size.megabytes` MB) to `file`;
 * returns the exact count and the number of tenants.
 */
export function writeScaledPlan(file: string, size: { instances: number } | { megabytes: number }): { instances: number; tenants: number } {
  const base = JSON.parse(fs.readFileSync(BASE_PLAN, 'utf8')) as Json;
  const { perTenant, fixed } = counts(base);
  const planned = (base.planned_values as Json).root_module as Json;
  const sections = [
    section(planned, 'child_modules', (m) => String(m.address)),
    section(base, 'resource_changes', (c) => c.module_address as string | undefined),
    section(base, 'relevant_attributes', (a) => /^module\.[^.]+\[[^\]]+\]/.exec(String(a.resource))?.[0]),
  ];
  const placeholders = sections.map((s, i) => {
    const placeholder = `__sescheck_bench_tenants_${i}__`;
    s.replace(placeholder);
    return placeholder;
  });
  // As terraform show -json prints it: one line.
  const skeleton = `${JSON.stringify(base)}\n`;
  const perTenantBytes = sections.reduce((sum, s) => sum + Buffer.byteLength(s.template) + 1, 0);
  const tenants = Math.max(
    1,
    'instances' in size ? Math.round((size.instances - fixed) / perTenant) : Math.round((size.megabytes * 1024 * 1024 - Buffer.byteLength(skeleton)) / perTenantBytes),
  );
  const fd = fs.openSync(file, 'w');
  try {
    let rest = skeleton;
    sections.forEach((s, i) => {
      const [before, after] = rest.split(`"${placeholders[i]}"`);
      fs.writeSync(fd, before);
      const parts = s.template.split(TEMPLATE_KEY);
      const batch: string[] = [];
      for (let t = 0; t < tenants; t++) {
        batch.push((t ? ',' : '') + parts.join(key(t)));
        if (batch.length === 256 || t === tenants - 1) fs.writeSync(fd, batch.splice(0).join(''));
      }
      rest = after;
    });
    fs.writeSync(fd, rest);
  } finally {
    fs.closeSync(fd);
  }
  return { instances: fixed + tenants * perTenant, tenants };
}
