/**
 * A small gitignore-syntax matcher (used for `.gitignore` and `.fnguardignore`).
 *
 * Supported: blank lines and `#` comments, `\#`/`\!` escapes, trailing-space trimming, `!` negation,
 * trailing `/` (directories only), anchoring (a `/` at the start or in the middle), `*`, `?`,
 * `[...]` classes (`[!...]` negated), and double-star segments (leading, trailing and in the middle).
 * Patterns are matched against the path relative to the directory holding the ignore file.
 * The last matching pattern wins, as in git. A directory excluded by a pattern is pruned, so
 * files beneath it cannot be re-included (also as in git).
 */

export interface IgnorePattern {
  /** The pattern as written (for debugging). */
  source: string;
  negate: boolean;
  dirOnly: boolean;
  /** Does the (ignore-file-relative) path match? Linear time, no regex backtracking. */
  test(path: string): boolean;
}

/** Patterns of one ignore file, relative to `base` (a root-relative dir, '' for the root). */
export interface IgnoreFile {
  base: string;
  patterns: IgnorePattern[];
  /**
   * For an ignore file in a directory above the scan root (a parent `.gitignore` of the same git
   * repository): the path from that directory to the root, with a trailing `/`, prepended to paths.
   */
  prefix?: string;
}

const MAX_PATTERN_LENGTH = 4096;

/*
 * Globs compile to a tiny NFA simulated over the path (O(path × pattern)), so hostile patterns
 * such as `*a*a*a*a*...b` cannot cause catastrophic regex backtracking.
 */
type Atom =
  | { t: 'char'; c: string }
  | { t: 'one' }
  | { t: 'class'; neg: boolean; chars: string; ranges: [string, string][] }
  | { t: 'star' }
  | { t: 'all' }
  | { t: 'dirs' };

function parseClass(body: string): { chars: string; ranges: [string, string][] } {
  let chars = '';
  const ranges: [string, string][] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && i + 1 < body.length) {
      chars += body[++i];
      continue;
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      ranges.push([c, body[i + 2] as string]);
      i += 2;
      continue;
    }
    chars += c;
  }
  return { chars, ranges };
}

function compileAtoms(glob: string): Atom[] {
  const atoms: Atom[] = [];
  let i = 0;
  while (i < glob.length) {
    const ch = glob[i] as string;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const prevSlash = i === 0 || glob[i - 1] === '/';
        let j = i + 2;
        while (glob[j] === '*') j++;
        const next = glob[j];
        if (prevSlash && next === '/') {
          atoms.push({ t: 'dirs' });
          i = j + 1;
          continue;
        }
        if (prevSlash && next === undefined) {
          atoms.push({ t: 'all' });
          i = j;
          continue;
        }
        if (atoms[atoms.length - 1]?.t !== 'star') atoms.push({ t: 'star' });
        i = j;
        continue;
      }
      if (atoms[atoms.length - 1]?.t !== 'star') atoms.push({ t: 'star' });
      i++;
      continue;
    }
    if (ch === '?') {
      atoms.push({ t: 'one' });
      i++;
      continue;
    }
    if (ch === '\\' && i + 1 < glob.length) {
      atoms.push({ t: 'char', c: glob[i + 1] as string });
      i += 2;
      continue;
    }
    if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close > i) {
        let body = glob.slice(i + 1, close);
        let neg = false;
        if (body.startsWith('!') || body.startsWith('^')) {
          neg = true;
          body = body.slice(1);
        }
        atoms.push({ t: 'class', neg, ...parseClass(body) });
        i = close + 1;
        continue;
      }
    }
    atoms.push({ t: 'char', c: ch });
    i++;
  }
  return atoms;
}

function classHas(a: Extract<Atom, { t: 'class' }>, c: string): boolean {
  let hit = a.chars.includes(c);
  if (!hit) for (const [lo, hi] of a.ranges) if (c >= lo && c <= hi) hit = true;
  return a.neg ? !hit : hit;
}

/**
 * Compile a glob to a matcher. `floating`: the pattern may also match starting after any `/`
 * (gitignore patterns without a slash match at any depth).
 */
export function compileGlob(glob: string, floating = false): (path: string) => boolean {
  // fast paths: a literal name, or `*` + a literal suffix (`*.log`)
  if (!/[*?[\\]/.test(glob)) {
    return floating ? (path) => path === glob || path.endsWith(`/${glob}`) : (path) => path === glob;
  }
  if (glob.startsWith('*') && !glob.startsWith('**') && !/[*?[\\/]/.test(glob.slice(1))) {
    const suffix = glob.slice(1);
    return floating
      ? (path) => path.endsWith(suffix) && path.lastIndexOf('/') < path.length - suffix.length
      : (path) => path.endsWith(suffix) && !path.includes('/');
  }
  const atoms = compileAtoms(glob);
  const n = atoms.length;
  // state s = 2*i + sub; sub=1 only for `dirs` (inside a directory segment). Buffers are reused.
  let cur = new Uint8Array(2 * n + 2);
  let nxt = new Uint8Array(2 * n + 2);
  const close = (set: Uint8Array) => {
    for (let i = 0; i < n; i++) {
      if (!set[2 * i]) continue;
      const t = (atoms[i] as Atom).t;
      if (t === 'star' || t === 'all' || t === 'dirs') set[2 * (i + 1)] = 1;
    }
  };
  return (path: string) => {
    cur.fill(0);
    cur[0] = 1;
    close(cur);
    for (let p = 0; p < path.length; p++) {
      const c = path[p] as string;
      nxt.fill(0);
      let any = false;
      for (let i = 0; i < n; i++) {
        const a = atoms[i] as Atom;
        for (let sub = 0; sub < 2; sub++) {
          if (!cur[2 * i + sub]) continue;
          switch (a.t) {
            case 'char':
              if (c === a.c) nxt[2 * (i + 1)] = 1;
              break;
            case 'one':
              if (c !== '/') nxt[2 * (i + 1)] = 1;
              break;
            case 'class':
              if (c !== '/' && classHas(a, c)) nxt[2 * (i + 1)] = 1;
              break;
            case 'star':
              if (c !== '/') nxt[2 * i] = 1;
              break;
            case 'all':
              nxt[2 * i] = 1;
              break;
            case 'dirs':
              if (c === '/') nxt[2 * i] = 1;
              else nxt[2 * i + 1] = 1;
              break;
          }
        }
      }
      if (floating && c === '/') nxt[0] = 1;
      close(nxt);
      for (let k = 0; k < nxt.length; k++)
        if (nxt[k]) {
          any = true;
          break;
        }
      if (!any) return false;
      const tmp = cur;
      cur = nxt;
      nxt = tmp;
    }
    return cur[2 * n] === 1;
  };
}

/** Parse one pattern line; returns undefined for blanks, comments and unusable lines. */
export function parseIgnorePattern(line: string): IgnorePattern | undefined {
  let p = line.replace(/\r$/, '');
  if (p.length > MAX_PATTERN_LENGTH) return undefined;
  // trailing unescaped spaces are ignored
  p = p.replace(/(?<!\\)\s+$/, '');
  if (p === '' || p.startsWith('#')) return undefined;
  let negate = false;
  if (p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  } else if (p.startsWith('\\!') || p.startsWith('\\#')) {
    p = p.slice(1);
  }
  let dirOnly = false;
  if (p.endsWith('/') && !p.endsWith('\\/')) {
    dirOnly = true;
    p = p.replace(/\/+$/, '');
  }
  if (p === '') return undefined;
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.replace(/^\/+/, '');
  if (p === '') return undefined;
  return { source: line, negate, dirOnly, test: compileGlob(p, !anchored) };
}

export function parseIgnoreFile(text: string, base: string): IgnoreFile {
  const patterns: IgnorePattern[] = [];
  for (const line of text.split('\n')) {
    const pat = parseIgnorePattern(line);
    if (pat) patterns.push(pat);
  }
  return { base, patterns };
}

/**
 * Is `rel` (root-relative, forward slashes) ignored by this stack of ignore files (outermost
 * first)? Returns true (ignored), false (explicitly re-included) or undefined (no pattern matched).
 */
export function matchIgnore(stack: readonly IgnoreFile[], rel: string, isDir: boolean): boolean | undefined {
  let verdict: boolean | undefined;
  for (const file of stack) {
    let sub: string;
    if (file.prefix !== undefined) sub = file.prefix + rel;
    else if (file.base === '') sub = rel;
    else if (rel.startsWith(`${file.base}/`)) sub = rel.slice(file.base.length + 1);
    else continue;
    for (const pat of file.patterns) {
      if (pat.dirOnly && !isDir) continue;
      if (pat.test(sub)) verdict = !pat.negate;
    }
  }
  return verdict;
}

/** Glob matcher for rule ids, paths and function names (`*`, `?`, `**`, `[...]`); anchored at both ends. */
export function globMatcher(glob: string): { test(s: string): boolean } {
  const m = compileGlob(glob);
  return { test: m };
}
