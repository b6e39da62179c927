/**
 * Shared YAML-with-positions loader (CloudFormation/SAM, serverless.yml, .fnguard.yml ...).
 *
 * ```ts
 * const r = parseYaml(text, '/abs/template.yaml');
 * if (!r.ok) for (const d of r.diagnostics) ctx.diagnostic(d);
 * const res = (r.value as any)?.Resources;           // plain JS values
 * const where = r.positions.at(res, 'MyFunction');   // { file, line, column, endLine, endColumn }
 * ```
 *
 * - Returns plain JS values plus a `PositionMap` (see positions.ts). Never throws.
 * - CloudFormation short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ... `!Condition`, `!Transform`)
 *   parse without warnings into their long form (`{ Ref: x }`, `{ 'Fn::GetAtt': [a, b] }`,
 *   `{ 'Fn::Sub': ... }`, `{ Condition: x }`). Disable with `cfnTags: false`.
 * - Merge keys (`<<: *base`) are applied (existing keys win).
 * - Hostile input: size limit (`too-large`), nesting depth limit (`too-deep`), alias expansion
 *   budget (`alias-bomb`: expanding aliases may add at most `maxAliasNodes` nodes and
 *   `maxAliasCount` alias uses), node budget, parse errors (`yaml-parse`) and warnings
 *   (`yaml-warning`), all as diagnostics with file and line.
 * - With errors, `ok` is false and `value` holds whatever could be composed (may be partial or
 *   undefined): callers should not trust it for more than best-effort.
 */
import type { Document, Node, Tags } from 'yaml';
import type { Diagnostic, Where } from '../../model/types.js';
import { parseYamlFast } from './fastYaml.js';
import { type NodeInfo, PositionMap } from './positions.js';
import { yamlLib } from './yamlLib.js';

export interface ParseLimits {
  /** Maximum text length in characters (default 20 MB). */
  maxBytes?: number;
  /** Maximum nesting depth of mappings/sequences (default 128). */
  maxDepth?: number;
  /** Maximum alias uses (default 1,000). */
  maxAliasCount?: number;
  /** Maximum nodes added by expanding aliases (default 100,000). */
  maxAliasNodes?: number;
  /** Maximum nodes in total (default 2,000,000). */
  maxNodes?: number;
}

export interface YamlOptions extends ParseLimits {
  /** Recognize CloudFormation short-form intrinsic tags (default true). */
  cfnTags?: boolean;
  /** Try the js-yaml fast path first (default true; the differential tests turn it off). */
  fast?: boolean;
}

export interface ParseResult {
  /** The document as plain JS values (undefined for an empty or unparsable document). */
  value: unknown;
  positions: PositionMap;
  diagnostics: Diagnostic[];
  /** False when any error-level diagnostic was produced. */
  ok: boolean;
}

export const DEFAULT_LIMITS: Required<ParseLimits> = {
  maxBytes: 20 * 1024 * 1024,
  maxDepth: 128,
  maxAliasCount: 1000,
  maxAliasNodes: 100_000,
  maxNodes: 2_000_000,
};

/** CloudFormation intrinsic short forms and their long-form key. */
export const CFN_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!FindInMap': 'Fn::FindInMap',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!ImportValue': 'Fn::ImportValue',
  '!GetAZs': 'Fn::GetAZs',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
  '!ForEach': 'Fn::ForEach',
};

/** Custom tag definitions: scalar, sequence and mapping forms of each tag, kept as nodes. */
function cfnTagDefs(): Tags {
  const tags: Tags = [];
  for (const tag of Object.keys(CFN_TAGS)) {
    tags.push({ tag, resolve: (s: string) => s });
    tags.push({ tag, collection: 'seq', resolve: (n: unknown) => n } as Tags[number]);
    tags.push({ tag, collection: 'map', resolve: (n: unknown) => n } as Tags[number]);
  }
  return tags;
}

let cachedTags: Tags | undefined;

class Budget extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parse YAML text into plain values with positions. Never throws. */
export function parseYaml(text: string, file: string, options: YamlOptions = {}): ParseResult {
  const { cfnTags: _c, fast: _f, ...limitOptions } = options;
  const limits = { ...DEFAULT_LIMITS, ...stripUndefined(limitOptions) };
  const positions = new PositionMap(file);
  const diagnostics: Diagnostic[] = [];
  const fail = (code: string, message: string, line?: number, column?: number): ParseResult => {
    diagnostics.push({ level: 'error', file, ...(line ? { line, column } : {}), message, code });
    return { value: undefined, positions, diagnostics, ok: false };
  };
  if (typeof text !== 'string') return fail('yaml-parse', 'not a text file');
  if (text.length > limits.maxBytes) return fail('too-large', `file is larger than ${limits.maxBytes} characters; skipped`);
  // The yaml composer recurses per nesting level: refuse absurd flow nesting before parsing.
  const deep = flowDepthExceeds(text, limits.maxDepth);
  if (deep >= 0) {
    const lc = lineCol(text, deep);
    return fail('too-deep', `nesting deeper than ${limits.maxDepth} levels; skipped`, lc.line, lc.column);
  }
  if (options.fast !== false) {
    const fast = parseYamlFast(text, file, limits, options.cfnTags === false ? undefined : CFN_TAGS);
    if (fast) return { value: fast.value, positions: fast.positions, diagnostics: fast.diagnostics, ok: true };
  }
  const { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    cachedTags ??= cfnTagDefs();
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: true,
      uniqueKeys: false,
      strict: false,
      customTags: options.cfnTags === false ? [] : cachedTags,
      keepSourceTokens: false,
    });
  } catch (e) {
    return fail('yaml-parse', `YAML parser failed: ${(e as Error).message ?? String(e)}`);
  }
  const pos = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const err of doc.errors) {
    const p = err.linePos?.[0] ?? pos(err.pos[0]);
    diagnostics.push({
      level: 'error',
      file,
      line: p.line,
      column: 'col' in p ? p.col : 1,
      message: firstLine(err.message),
      code: 'yaml-parse',
    });
  }
  for (const w of doc.warnings) {
    const p = w.linePos?.[0] ?? pos(w.pos[0]);
    diagnostics.push({
      level: 'warning',
      file,
      line: p.line,
      column: 'col' in p ? p.col : 1,
      message: firstLine(w.message),
      code: 'yaml-warning',
    });
  }

  const whereOf = (node: { range?: [number, number, number] | null } | null | undefined): Where => {
    const range = node?.range;
    if (!range) return { file, line: 1, column: 1 };
    let start = range[0];
    // A tagged node's range starts after its tag: start at the tag (`!Ref X`), like the user sees it.
    const tag = (node as { tag?: string }).tag;
    if (tag?.startsWith('!') && !tag.startsWith('!!')) {
      const t = text.lastIndexOf(tag, start);
      if (t >= 0 && t >= start - tag.length - 256 && /^\s*$/.test(text.slice(t + tag.length, start))) start = t;
    }
    const s = pos(start);
    const e = pos(range[1]);
    return { file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };

  let nodes = 0;
  let aliasUses = 0;
  let aliasNodes = 0;
  const cfn = options.cfnTags !== false;

  const convert = (node: unknown, depth: number, inAlias: number, aliasStack: Set<unknown>): unknown => {
    if (node === null || node === undefined) return null;
    if (++nodes > limits.maxNodes) throw new Budget('too-large', `more than ${limits.maxNodes} YAML nodes`, offsetOf(node));
    if (inAlias > 0 && ++aliasNodes > limits.maxAliasNodes)
      throw new Budget('alias-bomb', `aliases expand to more than ${limits.maxAliasNodes} nodes (alias bomb?)`, offsetOf(node));
    if (depth > limits.maxDepth) throw new Budget('too-deep', `nesting deeper than ${limits.maxDepth} levels`, offsetOf(node));
    if (isAlias(node)) {
      if (++aliasUses > limits.maxAliasCount)
        throw new Budget('alias-bomb', `more than ${limits.maxAliasCount} alias uses (alias bomb?)`, offsetOf(node));
      const target = node.resolve(doc);
      if (!target) return null;
      if (aliasStack.has(target)) throw new Budget('alias-bomb', 'recursive alias', offsetOf(node));
      aliasStack.add(target);
      try {
        return convert(target, depth, inAlias + 1, aliasStack);
      } finally {
        aliasStack.delete(target);
      }
    }
    let value: unknown;
    if (isScalar(node)) {
      value = node.value;
      if (typeof value === 'bigint') value = Number(value);
      else if (value instanceof Date) value = value.toISOString();
      else if (value instanceof Uint8Array) value = '<binary>';
      else if (typeof value === 'symbol') value = String(value);
    } else if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      const keys = new Map<string, { key: Where; value: Where }>();
      const merges: unknown[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        if (isScalar(keyNode) && keyNode.value === '<<' && keyNode.type === 'PLAIN') {
          merges.push(convert(pair.value, depth + 1, inAlias, aliasStack));
          continue;
        }
        const k = keyString(keyNode, depth, inAlias, aliasStack);
        const v = convert(pair.value, depth + 1, inAlias, aliasStack);
        if (k === '__proto__') continue; // never let a key touch prototypes
        if (Object.hasOwn(obj, k)) {
          const kw = whereOf(keyNode);
          diagnostics.push({
            level: 'warning',
            file,
            line: kw.line,
            column: kw.column,
            message: `duplicate key "${k}" (the last one wins)`,
            code: 'duplicate-key',
          });
        }
        obj[k] = v;
        keys.set(k, { key: whereOf(keyNode), value: whereOf((pair.value as Node | null) ?? keyNode) });
      }
      for (const m of merges) {
        for (const src of Array.isArray(m) ? m : [m]) {
          if (!src || typeof src !== 'object' || Array.isArray(src)) continue;
          const srcInfo = positions.get(src);
          for (const [k, v] of Object.entries(src)) {
            if (Object.hasOwn(obj, k)) continue;
            obj[k] = v;
            const kk = srcInfo?.keys?.get(k);
            if (kk) keys.set(k, kk);
          }
        }
      }
      positions.set(obj, { where: whereOf(node), keys });
      value = obj;
    } else if (isSeq(node)) {
      const arr: unknown[] = [];
      const items: Where[] = [];
      for (const item of node.items) {
        arr.push(convert(item, depth + 1, inAlias, aliasStack));
        items.push(whereOf(item as Node));
      }
      const info: NodeInfo = { where: whereOf(node), items };
      positions.set(arr, info);
      value = arr;
    } else if (isPair(node)) {
      value = null;
    } else {
      value = null;
    }
    const tag = (node as { tag?: string }).tag;
    if (cfn && tag && tag in CFN_TAGS) value = wrapIntrinsic(tag, value, node as Node);
    return value;
  };

  const keyString = (keyNode: Node | null, depth: number, inAlias: number, aliasStack: Set<unknown>): string => {
    // a null key (`null:`, `~:`, or none at all) is the string "null", as on the js-yaml path (String(null))
    if (keyNode === null) return 'null';
    if (isScalar(keyNode)) return keyNode.value === null ? 'null' : String(keyNode.value);
    const v = convert(keyNode, depth + 1, inAlias, aliasStack);
    try {
      return JSON.stringify(v) ?? '';
    } catch {
      return '';
    }
  };

  const wrapIntrinsic = (tag: string, value: unknown, node: Node): unknown => {
    const long = CFN_TAGS[tag] as string;
    let inner = value;
    if (tag === '!GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      inner = dot > 0 ? [value.slice(0, dot), value.slice(dot + 1)] : [value];
      positions.set(inner as unknown[], { where: whereOf(node), items: [whereOf(node), whereOf(node)] });
    }
    const out: Record<string, unknown> = { [long]: inner };
    const w = whereOf(node);
    positions.set(out, { where: w, keys: new Map([[long, { key: w, value: w }]]) });
    return out;
  };

  const offsetOf = (node: unknown): number => {
    const r = (node as { range?: [number, number, number] } | null)?.range;
    return r ? r[0] : 0;
  };

  let value: unknown;
  try {
    value = doc.contents === null ? undefined : convert(doc.contents, 0, 0, new Set());
  } catch (e) {
    if (e instanceof Budget) {
      const p = pos(e.offset);
      return fail(e.code, `${e.message}; skipped`, p.line, p.column);
    }
    if (e instanceof RangeError) return fail('too-deep', 'document too deeply nested; skipped');
    return fail('yaml-parse', `could not read YAML: ${(e as Error)?.message ?? String(e)}`);
  }
  return { value, positions, diagnostics, ok: !diagnostics.some((d) => d.level === 'error') };
}

/**
 * Offset of the first `[`/`{` that opens a flow collection deeper than `max`, or -1.
 * Quoted strings and comments are skipped; block indentation is bounded by the depth check
 * during conversion.
 */
export function flowDepthExceeds(text: string, max: number): number {
  let depth = 0;
  let quote = '';
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (comment) {
      if (c === 10) comment = false;
      continue;
    }
    if (quote) {
      if (quote === '"' && c === 92 /* \ */) i++;
      else if (text[i] === quote) quote = '';
      continue;
    }
    if (c === 34 /* " */) quote = '"';
    else if (c === 39 /* ' */) {
      // a quote only starts a string after a separator (it is literal inside plain scalars)
      const prev = i > 0 ? text[i - 1] : ' ';
      if (prev === ' ' || prev === '[' || prev === '{' || prev === ',' || prev === ':' || prev === '\n' || prev === '\t' || prev === '-')
        quote = "'";
    } else if (c === 35 /* # */ && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\n' || text[i - 1] === '\t')) comment = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** 1-based line/column of an offset (for diagnostics before the parser runs). */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  const line = i < 0 ? s : s.slice(0, i);
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
