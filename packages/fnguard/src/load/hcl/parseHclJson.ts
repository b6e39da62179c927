/**
 * HCL JSON syntax (`*.tf.json`, `*.tfvars.json`) into the same tree as the native parser.
 *
 * Without a provider schema the JSON syntax cannot tell nested blocks from object attributes, so
 * the top level follows Terraform's known block types (`resource`/`data` take two labels,
 * `variable`/`module`/`output`/`provider` one, `locals`/`terraform` none) and everything inside a
 * block body becomes an attribute. Readers use `blocksOf` (see `body.ts`), which also accepts
 * object-valued attributes as blocks. String values are parsed as templates (`"${var.x}"`).
 */
import type { Where } from '../../model/types.js';
import { parseJson } from '../json/parseJson.js';
import type { PositionMap } from '../yaml/positions.js';
import type { Attribute, Block, Body, Expr, HclError, HclFile, ObjectItem, Range } from './ast.js';
import { type HclLimits, parseTemplateString } from './parseHcl.js';

const LABELS: Record<string, number> = { resource: 2, data: 2, variable: 1, module: 1, output: 1, provider: 1, locals: 0, terraform: 0 };

function toRange(w: Where | undefined): Range {
  const line = w?.line ?? 1;
  const column = w?.column ?? 1;
  return { start: { line, column, offset: 0 }, end: { line: w?.endLine ?? line, column: w?.endColumn ?? column, offset: 0 } };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Converter {
  constructor(
    readonly pm: PositionMap,
    readonly errors: HclError[],
  ) {}

  expr(v: unknown, w: Where | undefined): Expr {
    const range = toRange(w);
    if (typeof v === 'string') {
      const t = parseTemplateString(v);
      if (t.errors.length) {
        const e = t.errors[0] as HclError;
        this.errors.push({ ...e, line: range.start.line, column: range.start.column });
        return { type: 'literal', value: v, range, text: JSON.stringify(v) };
      }
      return relocate(t.expr, range, v);
    }
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return { type: 'literal', value: v, range, text: JSON.stringify(v) };
    if (Array.isArray(v)) return { type: 'tuple', items: v.map((x, k) => this.expr(x, this.pm.valueWhere(v, k))), range, text: '[...]' };
    if (isObj(v)) {
      const items: ObjectItem[] = [];
      for (const [k, x] of Object.entries(v)) {
        const kw = toRange(this.pm.keyWhere(v, k));
        items.push({ key: { type: 'literal', value: k, range: kw, text: k }, value: this.expr(x, this.pm.valueWhere(v, k)), range: kw });
      }
      return { type: 'object', items, range, text: '{...}' };
    }
    return { type: 'invalid', range };
  }

  /** A block body: every property an attribute. */
  body(obj: Record<string, unknown>): Body {
    const out: Body = { attributes: [], blocks: [], range: toRange(this.pm.where(obj)) };
    for (const [k, v] of Object.entries(obj)) {
      if (k === '//') continue; // comments
      const kw = this.pm.keyWhere(obj, k);
      const vw = this.pm.valueWhere(obj, k);
      const attr: Attribute = {
        type: 'attribute',
        name: k,
        expr: this.expr(v, vw),
        range: toRange(kw ? { ...kw, endLine: vw?.endLine, endColumn: vw?.endColumn } : vw),
        nameRange: toRange(kw),
      };
      out.attributes.push(attr);
    }
    return out;
  }

  /** `labelsLeft` more label levels under `obj`, then block bodies (an array means several blocks). */
  blocks(type: string, labels: string[], v: unknown, w: Where | undefined, labelsLeft: number, out: Block[]): void {
    if (Array.isArray(v)) {
      v.forEach((x, k) => {
        this.blocks(type, labels, x, this.pm.valueWhere(v, k), labelsLeft, out);
      });
      return;
    }
    if (!isObj(v)) {
      this.errors.push({
        message: `"${[type, ...labels].join('.')}" should be an object`,
        line: w?.line ?? 1,
        column: w?.column ?? 1,
        code: 'hcl-parse',
      });
      return;
    }
    if (labelsLeft === 0) {
      out.push({ type: 'block', blockType: type, labels, body: this.body(v), range: toRange(w) });
      return;
    }
    for (const [k, x] of Object.entries(v))
      this.blocks(type, [...labels, k], x, this.pm.keyWhere(v, k) ?? this.pm.valueWhere(v, k), labelsLeft - 1, out);
  }
}

/** Give a parsed template the position of its JSON string (offsets are meaningless there). */
function relocate(e: Expr, range: Range, raw: string): Expr {
  const seen = (x: Expr): void => {
    x.range = range;
    switch (x.type) {
      case 'template':
        for (const p of x.parts) if (p.type === 'interp') seen(p.expr);
        break;
      default:
        break;
    }
  };
  seen(e);
  e.text = raw;
  if (e.type === 'template') for (const p of e.parts) if (p.type === 'interp') p.expr.text = raw.slice(0, 200);
  return e;
}

/** Parse a Terraform JSON-syntax file. Never throws. `tfvars` files are a flat attribute body. */
export function parseHclJson(text: string, file: string, opts: { tfvars?: boolean } & HclLimits = {}): HclFile {
  const errors: HclError[] = [];
  const r = parseJson(text, file, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {});
  for (const d of r.diagnostics)
    if (d.level === 'error')
      errors.push({
        message: d.message,
        line: d.line ?? 1,
        column: d.column ?? 1,
        code: d.code === 'too-large' ? 'hcl-too-large' : 'hcl-parse',
      });
  const body: Body = { attributes: [], blocks: [], range: toRange(undefined) };
  const v = r.value;
  if (!r.ok || v === undefined) return { body, text: '', errors };
  if (!isObj(v)) {
    errors.push({ message: 'a Terraform JSON file must be an object', line: 1, column: 1, code: 'hcl-parse' });
    return { body, text: '', errors };
  }
  const c = new Converter(r.positions, errors);
  if (opts.tfvars) return { body: c.body(v), text: '', errors };
  for (const [k, x] of Object.entries(v)) {
    const n = LABELS[k];
    const w = r.positions.keyWhere(v, k);
    if (n === undefined) {
      if (k === '//') continue;
      body.attributes.push({
        type: 'attribute',
        name: k,
        expr: c.expr(x, r.positions.valueWhere(v, k)),
        range: toRange(w),
        nameRange: toRange(w),
      });
      continue;
    }
    if (k === 'locals' && Array.isArray(x)) {
      x.forEach((y, idx) => {
        c.blocks(k, [], y, r.positions.valueWhere(x, idx), 0, body.blocks);
      });
      continue;
    }
    c.blocks(k, [], x, w, n, body.blocks);
  }
  return { body, text: '', errors };
}
