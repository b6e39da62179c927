/**
 * Small linear-time helpers the secret detectors use to read code and config text around an
 * anchor: string literals, identifiers, balanced arguments. No regex backtracking, every loop bounded.
 */

/** `[A-Za-z0-9_]` */
export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Characters of a config key or identifier: word characters, `$`, `-`, `.`. */
export function isNameCode(c: number): boolean {
  return isWordCode(c) || c === 36 || c === 45 || c === 46;
}

/** Match a sticky regex at exactly `pos`. */
export function matchAt(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  if (pos < 0 || pos > text.length) return null;
  re.lastIndex = pos;
  return re.exec(text);
}

export interface StringLiteral {
  /** The literal's content as written (escapes kept). */
  value: string;
  /** Index of the first content character. */
  start: number;
  /** Index after the content (the closing quote's index). */
  end: number;
  quote: string;
}

const MAX_LITERAL = 4096;

/**
 * Read a string literal starting at `pos` (a quote, optionally after a Python `r`/`b`/`u` prefix).
 * Returns null for anything dynamic (template literals with `${`, f-strings with `{`), unterminated or
 * very long literals.
 */
export function readStringLiteral(text: string, pos: number): StringLiteral | null {
  let p = pos;
  let fString = false;
  const c0 = text.charCodeAt(p);
  if (c0 === 114 || c0 === 82 || c0 === 98 || c0 === 66 || c0 === 117 || c0 === 85 || c0 === 102 || c0 === 70) {
    const q = text.charCodeAt(p + 1);
    if (q !== 34 && q !== 39) return null;
    fString = c0 === 102 || c0 === 70;
    p++;
  }
  const q = text.charCodeAt(p);
  if (q !== 34 && q !== 39 && q !== 96) return null;
  // Python triple-quoted strings: not single values
  if (text.charCodeAt(p + 1) === q && text.charCodeAt(p + 2) === q) return null;
  const start = p + 1;
  const limit = Math.min(text.length, start + MAX_LITERAL);
  for (let i = start; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i++;
      continue;
    }
    if (c === q) return { value: text.slice(start, i), start, end: i, quote: String.fromCharCode(q) };
    if (c === 10 && q !== 96) return null;
    if (q === 96 && c === 36 && text.charCodeAt(i + 1) === 123) return null;
    if (fString && c === 123) return null;
  }
  return null;
}

/** Skip spaces and tabs (and newlines when `newlines`) from `pos`, at most `max` characters. */
export function skipBlanks(text: string, pos: number, max = 40, newlines = false): number {
  const limit = Math.min(text.length, pos + max);
  let p = pos;
  while (p < limit) {
    const c = text.charCodeAt(p);
    if (c !== 32 && c !== 9 && !(newlines && (c === 10 || c === 13))) break;
    p++;
  }
  return p;
}

/** Skip whitespace including newlines from `pos`, at most `max`. */
export function skipSpace(text: string, pos: number, max = 200): number {
  return skipBlanks(text, pos, max, true);
}

/**
 * From `pos` (just inside a call's `(`), skip one argument: balanced brackets, string literals.
 * Returns the index of the `,` ending it, or -1 (closing paren, too long, unbalanced).
 */
export function skipArgument(text: string, pos: number, max = 2000): number {
  const limit = Math.min(text.length, pos + max);
  let depth = 0;
  for (let i = pos; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 96) {
      const lit = readStringLiteral(text, i);
      if (!lit) return -1;
      i = lit.end;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (depth === 0) return -1;
      depth--;
    } else if (c === 44 && depth === 0) return i;
  }
  return -1;
}

/**
 * The last index of `needle` starting in [pos - maxBack, pos], or -1. Detectors look back from an anchor with this:
 * an unbounded `lastIndexOf` walks to the start of the text for every anchor, quadratic on one long line of anchors.
 */
export function lastIndexWithin(text: string, needle: string, pos: number, maxBack: number): number {
  const from = Math.max(0, pos - maxBack);
  const i = text.slice(from, pos + needle.length).lastIndexOf(needle);
  return i < 0 ? -1 : from + i;
}

/** Line start index of `pos`. */
export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Index of the end of the line containing `pos` (the `\n` or text end). */
export function lineEnd(text: string, pos: number): number {
  const e = text.indexOf('\n', pos);
  return e < 0 ? text.length : e;
}
