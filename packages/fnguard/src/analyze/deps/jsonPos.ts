/**
 * A small JSON / JSONC parser that keeps the line of every object key (lockfile entries need
 * positions; `JSON.parse` has none). JSONC: `//` and block comments and trailing commas
 * (bun.lock). Errors are `LockfileError`s with the line. Depth is capped (hostile input).
 */
import { LockfileError } from './types.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const MAX_DEPTH = 256;

export interface PositionedJson {
  value: JsonValue;
  /** 1-based line of a key of an object produced by this parse. */
  lineOf(obj: JsonObject, key: string): number | undefined;
}

export function parseJsonWithLines(text: string, options: { jsonc?: boolean } = {}): PositionedJson {
  const lines = new WeakMap<object, Map<string, number>>();
  let i = 0;
  let line = 1;
  const n = text.length;
  const jsonc = options.jsonc === true;
  const fail = (msg: string): never => {
    throw new LockfileError(`invalid JSON: ${msg}`, line);
  };
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        line++;
        i++;
      } else if (c === 32 || c === 9 || c === 13 || c === 0xfeff) i++;
      else if (jsonc && c === 47 && text.charCodeAt(i + 1) === 47) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
      } else if (jsonc && c === 47 && text.charCodeAt(i + 1) === 42) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('unterminated comment');
        for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line++;
        i = end + 2;
      } else return;
    }
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c === 10) fail('newline in string');
      if (c === 92) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        if (e === 'u') {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 4;
        } else {
          const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          const v = e === undefined ? undefined : map[e];
          if (v === undefined) fail('bad escape');
          out += v;
        }
        start = i;
      } else i++;
    }
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: JsonObject = Object.create(null);
      const keyLines = new Map<string, number>();
      lines.set(obj, keyLines);
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (jsonc && text[i] === '}') {
          i++;
          return obj;
        }
        if (text[i] !== '"') fail('expected a key');
        const keyLine = line;
        const key = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        obj[key] = value(depth + 1);
        if (!keyLines.has(key)) keyLines.set(key, keyLine);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        if (jsonc && text[i] === ']') {
          i++;
          return arr;
        }
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) return fail(i >= n ? 'unexpected end of input' : `unexpected '${text[i]}'`);
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    return Number(m[0]);
  };
  const v = value(0);
  ws();
  if (i < n) fail('unexpected content after the value');
  return { value: v, lineOf: (obj, key) => lines.get(obj)?.get(key) };
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
