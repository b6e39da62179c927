/**
 * Static values of request parameters, as far as the code shows them without running it:
 * literals, `process.env.X`, concatenations/template literals, object and array literals.
 * Everything else is `unknown` with the source text.
 */
export type StaticValue =
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'env'; name: string }
  | { kind: 'concat'; parts: StaticValue[] }
  | { kind: 'object'; props: Record<string, StaticValue>; open?: boolean }
  | { kind: 'array'; items: StaticValue[]; open?: boolean }
  | { kind: 'unknown'; text: string };

export const UNKNOWN_VALUE: StaticValue = { kind: 'unknown', text: '?' };

/** The value at a parameter path (`TableName`, `Entries[].EventBusName`, `TransactItems.Put`); arrays fan out. */
export function valuesAt(v: StaticValue | undefined, path: string): StaticValue[] {
  if (!v) return [];
  const segs = path.split('.');
  let cur: StaticValue[] = [v];
  for (const raw of segs) {
    const fan = raw.endsWith('[]');
    const key = fan ? raw.slice(0, -2) : raw;
    const next: StaticValue[] = [];
    for (const c of cur) {
      const items = c.kind === 'array' ? c.items : [c];
      for (const it of items) {
        if (it.kind !== 'object') continue;
        const p = it.props[key];
        if (p === undefined) continue;
        if (fan && p.kind === 'array') next.push(...p.items);
        else next.push(p);
      }
    }
    cur = next;
  }
  return cur;
}

/** True when the object may have keys the code computes (spread, computed keys) or the value is not an object literal. */
export function isOpen(v: StaticValue | undefined): boolean {
  if (!v) return true;
  if (v.kind === 'object' || v.kind === 'array') return v.open === true;
  return true;
}

/** Does the request set parameter `path` (at any array element)? `maybe` when the request is not fully known. */
export function hasParam(v: StaticValue | undefined, path: string): boolean | 'maybe' {
  if (valuesAt(v, path).length > 0) return true;
  // a fanned-out path under a known array of known objects is decidable
  const top = path.split('.')[0]?.replace(/\[\]$/, '') ?? '';
  if (!v || v.kind !== 'object' || v.open) return 'maybe';
  const t = v.props[top];
  if (t === undefined) return false;
  if (path.includes('.')) {
    if (t.kind !== 'array' || t.open) return 'maybe';
    return t.items.some((i) => i.kind !== 'object' || i.open) ? 'maybe' : false;
  }
  return false;
}

/** The literal string of a value, when it is one. */
export function literalString(v: StaticValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'literal') return String(v.value);
  if (v.kind === 'concat' && v.parts.every((p) => p.kind === 'literal'))
    return v.parts.map((p) => String((p as { value: unknown }).value)).join('');
  return undefined;
}

/** Short text of a value for reports. */
export function describeValue(v: StaticValue | undefined): string {
  if (!v) return '(absent)';
  switch (v.kind) {
    case 'literal':
      return JSON.stringify(v.value);
    case 'env':
      return `process.env.${v.name}`;
    case 'concat':
      return v.parts.map((p) => (p.kind === 'literal' ? String(p.value) : `\${${describeValue(p)}}`)).join('');
    case 'object':
      return '{...}';
    case 'array':
      return '[...]';
    default:
      return v.text;
  }
}
