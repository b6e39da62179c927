/**
 * JSON-with-positions parser (JSON.parse has no positions). Same result shape as `parseYaml`:
 * plain JS values plus a `PositionMap`, diagnostics instead of exceptions, depth/size/node limits.
 *
 * Strict JSON (RFC 8259) with two tolerances common in IaC files: a UTF-8 BOM and trailing
 * whitespace. Duplicate keys: the last one wins, with a `duplicate-key` warning. `__proto__`
 * keys are dropped.
 */
import type { Diagnostic, Where } from '../../model/types.js';
import { DEFAULT_LIMITS, type ParseLimits, type ParseResult } from '../yaml/parseYaml.js';
import { PositionMap } from '../yaml/positions.js';

class JsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly code = 'json-parse',
  ) {
    super(message);
  }
}

export function parseJson(text: string, file: string, options: ParseLimits = {}): ParseResult {
  const maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const maxNodes = options.maxNodes ?? DEFAULT_LIMITS.maxNodes;
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const positions = new PositionMap(file);
  const diagnostics: Diagnostic[] = [];
  if (typeof text !== 'string' || text.length > maxBytes) {
    diagnostics.push({ level: 'error', file, message: `file is larger than ${maxBytes} characters; skipped`, code: 'too-large' });
    return { value: undefined, positions, diagnostics, ok: false };
  }
  // line starts for offset -> line/column
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lc = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
  };
  const where = (start: number, end: number): Where => {
    const s = lc(start);
    const e = lc(end);
    return { file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };

  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let nodes = 0;
  const n = text.length;

  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };

  const parseString = (): string => {
    const start = i; // at the opening quote
    i++;
    let escaped = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 0x20) throw new JsonError('control character in string', i);
      i++;
    }
    if (i >= n) throw new JsonError('unterminated string', start);
    i++;
    if (!escaped) return text.slice(start + 1, i - 1);
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new JsonError('invalid escape in string', start);
    }
  };

  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  const value = (depth: number): unknown => {
    if (++nodes > maxNodes) throw new JsonError(`more than ${maxNodes} JSON values`, i, 'too-large');
    ws();
    if (i >= n) throw new JsonError('unexpected end of input', n);
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) {
      if (depth >= maxDepth) throw new JsonError(`nesting deeper than ${maxDepth} levels`, i, 'too-deep');
      const start = i++;
      const obj: Record<string, unknown> = {};
      const keys = new Map<string, { key: Where; value: Where }>();
      ws();
      if (text.charCodeAt(i) === 125) {
        i++;
      } else {
        for (;;) {
          ws();
          if (text.charCodeAt(i) !== 34) throw new JsonError('expected a string key', i);
          const ks = i;
          const k = parseString();
          const kw = where(ks, i);
          ws();
          if (text.charCodeAt(i) !== 58) throw new JsonError("expected ':'", i);
          i++;
          ws();
          const vs = i;
          const v = value(depth + 1);
          const vw = where(vs, i);
          if (k !== '__proto__') {
            if (keys.has(k))
              diagnostics.push({
                level: 'warning',
                file,
                line: kw.line,
                column: kw.column,
                message: `duplicate key "${k}" (the last one wins)`,
                code: 'duplicate-key',
              });
            obj[k] = v;
            keys.set(k, { key: kw, value: vw });
          }
          ws();
          const d = text.charCodeAt(i);
          if (d === 44) {
            i++;
            continue;
          }
          if (d === 125) {
            i++;
            break;
          }
          throw new JsonError("expected ',' or '}'", i);
        }
      }
      positions.set(obj, { where: where(start, i), keys });
      return obj;
    }
    if (c === 91 /* [ */) {
      if (depth >= maxDepth) throw new JsonError(`nesting deeper than ${maxDepth} levels`, i, 'too-deep');
      const start = i++;
      const arr: unknown[] = [];
      const items: Where[] = [];
      ws();
      if (text.charCodeAt(i) === 93) {
        i++;
      } else {
        for (;;) {
          ws();
          const vs = i;
          arr.push(value(depth + 1));
          items.push(where(vs, i));
          ws();
          const d = text.charCodeAt(i);
          if (d === 44) {
            i++;
            continue;
          }
          if (d === 93) {
            i++;
            break;
          }
          throw new JsonError("expected ',' or ']'", i);
        }
      }
      positions.set(arr, { where: where(start, i), items });
      return arr;
    }
    if (c === 34) return parseString();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    NUM.lastIndex = i;
    const m = NUM.exec(text);
    if (m && m[0].length > 0) {
      i += m[0].length;
      return Number(m[0]);
    }
    throw new JsonError(`unexpected character '${text[i]}'`, i);
  };

  try {
    ws();
    if (i >= n) return { value: undefined, positions, diagnostics, ok: true };
    const v = value(0);
    ws();
    if (i < n) throw new JsonError('unexpected content after the JSON value', i);
    return { value: v, positions, diagnostics, ok: !diagnostics.some((d) => d.level === 'error') };
  } catch (e) {
    const err = e instanceof JsonError ? e : new JsonError(e instanceof RangeError ? 'document too deeply nested' : String(e), i);
    const p = lc(Math.min(err.offset, n));
    diagnostics.push({ level: 'error', file, line: p.line, column: p.column, message: `invalid JSON: ${err.message}`, code: err.code });
    return { value: undefined, positions, diagnostics, ok: false };
  }
}
