/** Whether a parsed JSON value is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The deepest nesting sescheck reads: deeper than any Terraform value or module tree, deep enough
 * that no recursive walk (sescheck's, or OPA's JSON parser in the policy wasm) can overflow.
 */
export const MAX_NESTING = 1000;

/**
 * Whether JSON text (valid or not) opens containers more than `limit` levels deep: brackets inside
 * strings are text. Iterative, so any depth is measured.
 */
export function jsonTextNestsDeeper(text: string, limit = MAX_NESTING): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22) {
      // Skip the string, escapes included.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}
