/**
 * IAM-style wildcard matching for resource ARNs: `*` matches any run of characters, `?` exactly
 * one (case-sensitive by default). For actions use `actionMatches` in `iam-actions.ts`.
 */
const cache = new Map<string, RegExp>();

function toRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}:${pattern}`;
  let re = cache.get(cacheKey);
  if (!re) {
    let src = '';
    for (const ch of pattern) {
      if (ch === '*') src += '.*';
      else if (ch === '?') src += '.';
      else src += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, caseInsensitive ? 'is' : 's');
    if (cache.size > 5000) cache.clear();
    cache.set(cacheKey, re);
  }
  return re;
}

/** Does the IAM wildcard `pattern` match `value`? */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?'))
    return caseInsensitive ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return toRegExp(pattern, caseInsensitive).test(value);
}
