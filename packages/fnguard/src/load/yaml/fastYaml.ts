/**
 * The fast path of `parseYaml`: js-yaml (several times faster than the `yaml` package, and the
 * dominant cost of a scan) with positions rebuilt from its node events.
 *
 * It returns `undefined` whenever the document needs anything it does not reproduce exactly, and
 * `parseYaml` then uses the full `yaml`-based parser: syntax errors and warnings, aliases and merge
 * keys (alias budgets), directives, several documents, unknown tags, complex keys, budgets
 * exceeded, and any disagreement between the events and the composed value. So the fast path is
 * an optimisation only: what it returns is what the full parser returns (a differential test checks
 * values and positions on every YAML fixture).
 */
import { CORE_SCHEMA, load, type Schema, type State, Type } from 'js-yaml';
import type { Diagnostic, Where } from '../../model/types.js';
import { parseBlockYaml } from './blockYaml.js';
import { PositionMap } from './positions.js';

/** A node as js-yaml composed it: source offsets, result and child nodes (keys and values alternate in mappings). */
interface Frame {
  start: number;
  end: number;
  result: unknown;
  kind: string | null;
  children: Frame[];
}

class Fallback extends Error {}

export interface FastLimits {
  maxDepth: number;
  maxNodes: number;
}

/** Text that may hold an alias (`*name`), a merge key, a directive or a number js-yaml reads otherwise (`-0` as 0, `-.5` as a string, `0b1` and `-0x1` as numbers): the full parser handles those. */
const NEEDS_FULL_PARSER = /(?:^|[\s[{,])\*[^\s,\]}]|<<\s*:|^%|(?:^|[\s:[{,])(?:-0(?:\.0*)?(?=[\s,\]}]|$)|[-+]\.\d|[-+]?0b[01]|[-+]0[xo])/m;

/** Texts neither fast path handles (see NEEDS_FULL_PARSER), also several documents and tabs. */
export function needsFullParser(text: string): boolean {
  return NEEDS_FULL_PARSER.test(text) || /^---/m.test(text.slice(1)) || text.includes('\t');
}

const wrappers = new WeakSet<object>();
let cfnSchema: Schema | undefined;

function schemaFor(cfnTags: Readonly<Record<string, string>> | undefined): Schema {
  if (!cfnTags) return CORE_SCHEMA;
  if (cfnSchema) return cfnSchema;
  const types: Type[] = [];
  for (const [tag, long] of Object.entries(cfnTags)) {
    for (const kind of ['scalar', 'sequence', 'mapping'] as const) {
      types.push(
        new Type(tag, {
          kind,
          construct: (data: unknown) => {
            let inner = data ?? (kind === 'scalar' ? '' : data);
            if (tag === '!GetAtt' && typeof inner === 'string') {
              const dot = inner.indexOf('.');
              inner = dot > 0 ? [inner.slice(0, dot), inner.slice(dot + 1)] : [inner];
            }
            const out = { [long]: inner };
            wrappers.add(out);
            return out;
          },
        }),
      );
    }
  }
  cfnSchema = CORE_SCHEMA.extend(types);
  return cfnSchema;
}

/** Line starts of a text, for offset -> 1-based line/column by binary search. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function parseYamlFast(
  text: string,
  file: string,
  limits: FastLimits,
  cfnTags: Readonly<Record<string, string>> | undefined,
): FastResult | undefined {
  if (needsFullParser(text)) return undefined;
  const block = parseBlockYaml(text, file, limits, cfnTags);
  if (block) return { value: block.value, positions: block.positions, diagnostics: [] };
  return jsYamlPath(text, file, limits, cfnTags);
}

type FastResult = { value: unknown; positions: PositionMap; diagnostics: Diagnostic[] };

/** The js-yaml path alone (the block parser's reference in tests). */
export function parseWithJsYaml(
  text: string,
  file: string,
  limits: FastLimits,
  cfnTags: Readonly<Record<string, string>> | undefined,
): FastResult | undefined {
  return needsFullParser(text) ? undefined : jsYamlPath(text, file, limits, cfnTags);
}

/** The js-yaml path, for a text `needsFullParser` let through: js-yaml's node events give the positions. */
function jsYamlPath(
  text: string,
  file: string,
  limits: FastLimits,
  cfnTags: Readonly<Record<string, string>> | undefined,
): FastResult | undefined {
  const positions = new PositionMap(file);
  const diagnostics: Diagnostic[] = [];
  const root: Frame = { start: 0, end: 0, result: undefined, kind: null, children: [] };
  const stack: Frame[] = [root];
  let events = 0;
  let value: unknown;
  try {
    value = load(text, {
      filename: file,
      schema: schemaFor(cfnTags),
      json: true, // duplicate keys: the last wins (reported below as the full parser does)
      maxDepth: limits.maxDepth * 2 + 4,
      listener(type: 'open' | 'close', state: State) {
        if (type === 'open') {
          if (++events > limits.maxNodes) throw new Fallback();
          stack.push({ start: state.position, end: 0, result: undefined, kind: null, children: [] });
        } else {
          const f = stack.pop() as Frame;
          f.end = state.position;
          f.result = state.result;
          f.kind = state.kind;
          (stack[stack.length - 1] as Frame).children.push(f);
        }
      },
    } as Parameters<typeof load>[1]);
  } catch {
    return undefined;
  }
  const top = root.children[0];
  if (root.children.length > 1 || (top ? top.result !== value : value !== undefined)) return undefined;
  if (!top) return { value, positions, diagnostics };

  const starts = lineStarts(text);
  const pos = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
  const skipForward = (i: number): number => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else if (c === 35 /* # */) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl + 1;
      } else break;
    }
    return i;
  };
  const trimBack = (i: number, floor: number): number => {
    while (i > floor) {
      const c = text.charCodeAt(i - 1);
      if (c === 32 || c === 10 || c === 13 || c === 9) i--;
      else break;
    }
    return i;
  };
  const endOf = (f: Frame): number => {
    const last = f.children[f.children.length - 1];
    return last ? endOf(last) : trimBack(f.end, f.start);
  };
  const whereCache = new Map<Frame, Where>();
  const whereOf = (f: Frame): Where => {
    let w = whereCache.get(f);
    if (!w) {
      const s = pos(skipForward(f.start));
      const e = pos(endOf(f));
      w = { file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
      whereCache.set(f, w);
    }
    return w;
  };

  /** An empty value sits after its key's colon and the blanks that follow on the same line. */
  const emptyValueWhere = (key: Frame): Where => {
    let i = endOf(key);
    while (text.charCodeAt(i) === 32) i++;
    if (text.charCodeAt(i) === 58 /* : */) i++;
    while (text.charCodeAt(i) === 32) i++;
    const p = pos(i);
    return { file, line: p.line, column: p.column, endLine: p.line, endColumn: p.column };
  };

  const walk = (f: Frame, v: unknown, depth: number): void => {
    if (depth > limits.maxDepth) throw new Fallback();
    if (f.result !== v) throw new Fallback();
    if (typeof v !== 'object' || v === null) return;
    let container: unknown = v;
    if (wrappers.has(v)) {
      const [long, inner] = Object.entries(v)[0] as [string, unknown];
      const w = whereOf(f);
      positions.set(v, { where: w, keys: new Map([[long, { key: w, value: w }]]) });
      if (f.kind === 'scalar') {
        if (Array.isArray(inner)) positions.set(inner, { where: w, items: inner.map(() => w) });
        return;
      }
      container = inner;
    }
    if (Array.isArray(container)) {
      if (f.children.length !== container.length) throw new Fallback();
      const items: Where[] = [];
      f.children.forEach((c, i) => {
        walk(c, container[i], depth + 1);
        items.push(whereOf(c));
      });
      positions.set(container, { where: whereOf(f), items });
      return;
    }
    if (typeof container !== 'object' || container === null || f.children.length % 2 !== 0) throw new Fallback();
    const obj = container as Record<string, unknown>;
    const keys = new Map<string, { key: Where; value: Where }>();
    const last = new Map<string, number>();
    for (let i = 0; i < f.children.length; i += 2) {
      const k = (f.children[i] as Frame).result;
      if (typeof k === 'object' && k !== null) throw new Fallback(); // complex key
      const ks = k === null ? 'null' : String(k);
      if (ks === '__proto__') continue;
      if (last.has(ks)) {
        const kw = whereOf(f.children[i] as Frame);
        diagnostics.push({
          level: 'warning',
          file,
          line: kw.line,
          column: kw.column,
          message: `duplicate key "${ks}" (the last one wins)`,
          code: 'duplicate-key',
        });
      }
      last.set(ks, i);
    }
    if (Object.hasOwn(obj, '__proto__')) Reflect.deleteProperty(obj, '__proto__');
    if (last.size !== Object.keys(obj).length) throw new Fallback();
    for (const [ks, i] of last) {
      const kf = f.children[i] as Frame;
      const vf = f.children[i + 1] as Frame;
      if (!Object.hasOwn(obj, ks)) throw new Fallback();
      walk(vf, obj[ks], depth + 1);
      const vw = vf.result === null && skipForward(vf.start) >= endOf(vf) ? emptyValueWhere(kf) : whereOf(vf);
      keys.set(ks, { key: whereOf(kf), value: vw });
    }
    positions.set(obj, { where: whereOf(f), keys });
  };

  try {
    walk(top, value, 0);
  } catch {
    return undefined;
  }
  return { value, positions, diagnostics };
}
