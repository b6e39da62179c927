/**
 * Reading helpers over HCL bodies: typed access to attributes (evaluated), nested blocks (also
 * object-valued attributes and `dynamic` blocks, so native and JSON syntax read the same), and
 * Model positions.
 */
import { isUnknown, type Maybe, type Unknown, unknown, type Where } from '../../model/types.js';
import type { Attribute, Block, Body, Expr, Range } from '../hcl/ast.js';
import { Encoded, type Evaluator, isObject, PolicyDocRef, toMaybeString, type Value } from './evaluate.js';

export function whereOf(file: string, r: Range, path?: string): Where {
  const w: Where = { file, line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column };
  if (path !== undefined) w.path = path;
  return w;
}

/** An object expression seen as a block body. */
function objectBody(e: Expr): Body | undefined {
  if (e.type !== 'object') return undefined;
  const attributes: Attribute[] = [];
  for (const it of e.items) {
    const k =
      it.key.type === 'variable' ? it.key.name : it.key.type === 'literal' && typeof it.key.value === 'string' ? it.key.value : undefined;
    if (k === undefined) continue;
    attributes.push({ type: 'attribute', name: k, expr: it.value, range: it.range, nameRange: it.key.range });
  }
  return { attributes, blocks: [], range: e.range };
}

export class Node {
  constructor(
    readonly body: Body,
    readonly range: Range,
    readonly file: string,
    readonly ev: Evaluator,
    /** logical path for `where.path` */
    readonly path: string,
  ) {}

  attr(name: string): Attribute | undefined {
    // last one wins, like Terraform would reject duplicates anyway
    let found: Attribute | undefined;
    for (const a of this.body.attributes) if (a.name === name) found = a;
    return found;
  }

  has(name: string): boolean {
    return this.attr(name) !== undefined || this.body.blocks.some((b) => b.blockType === name);
  }

  val(name: string): Value | undefined {
    const a = this.attr(name);
    return a ? this.ev.eval(a.expr) : undefined;
  }

  text(name: string): string | undefined {
    const a = this.attr(name);
    return a ? this.ev.text(a.expr) : undefined;
  }

  where(name?: string): Where {
    const a = name ? this.attr(name) : undefined;
    if (a) return whereOf(this.file, a.range, `${this.path}.${name}`);
    const b = name ? this.body.blocks.find((x) => x.blockType === name) : undefined;
    if (b) return whereOf(this.file, b.range, `${this.path}.${name}`);
    return whereOf(this.file, this.range, this.path);
  }

  str(name: string): Maybe<string> | undefined {
    const a = this.attr(name);
    if (!a) return undefined;
    return toMaybeString(this.ev.eval(a.expr), this.ev.text(a.expr));
  }

  num(name: string): Maybe<number> | undefined {
    const a = this.attr(name);
    if (!a) return undefined;
    const v = this.ev.eval(a.expr);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
    if (v === null) return undefined;
    return isUnknown(v) ? v : unknown(this.ev.text(a.expr), { hint: 'other' });
  }

  bool(name: string): Maybe<boolean> | undefined {
    const a = this.attr(name);
    if (!a) return undefined;
    const v = this.ev.eval(a.expr);
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    if (v === null) return undefined;
    return isUnknown(v) ? v : unknown(this.ev.text(a.expr), { hint: 'other' });
  }

  /** A list of strings (each Maybe); a single string becomes a one-item list. */
  list(name: string): Maybe<string>[] | undefined {
    const a = this.attr(name);
    if (!a) return undefined;
    return listOf(this.ev.eval(a.expr), this.ev.text(a.expr));
  }

  /** A map of strings (each Maybe), or Unknown. */
  map(name: string): Record<string, Maybe<string>> | Unknown | undefined {
    const a = this.attr(name);
    if (!a) return undefined;
    const v = this.ev.eval(a.expr);
    if (v === null) return undefined;
    if (!isObject(v)) return isUnknown(v) ? v : unknown(this.ev.text(a.expr), { hint: 'other' });
    const out: Record<string, Maybe<string>> = {};
    for (const [k, x] of Object.entries(v)) {
      const s = toMaybeString(x, `${this.ev.text(a.expr)}.${k}`);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }

  /** Per-key positions of a map attribute written as an object literal (env vars, tags). */
  mapEntries(name: string): { key: string; value: Maybe<string>; where: Where }[] | undefined {
    const a = this.attr(name);
    if (!a) return undefined;
    if (a.expr.type === 'object') {
      const out: { key: string; value: Maybe<string>; where: Where }[] = [];
      for (const it of a.expr.items) {
        const k = it.key.type === 'variable' ? it.key.name : this.ev.eval(it.key);
        if (typeof k !== 'string') continue;
        const v = toMaybeString(this.ev.eval(it.value), this.ev.text(it.value));
        out.push({ key: k, value: v ?? '', where: whereOf(this.file, it.range, `${this.path}.${name}.${k}`) });
      }
      return out;
    }
    const m = this.map(name);
    if (m === undefined || isUnknown(m)) return undefined;
    return Object.entries(m).map(([key, value]) => ({ key, value, where: this.where(name) }));
  }

  /** Nested blocks named `name` (plus `dynamic "name" { content {} }`, object or list-of-object attributes). */
  blocks(name: string): Node[] {
    const out: Node[] = [];
    let k = 0;
    this.body.blocks.forEach((b: Block) => {
      if (b.blockType === name) out.push(new Node(b.body, b.range, this.file, this.ev, `${this.path}.${name}[${k++}]`));
      else if (b.blockType === 'dynamic' && b.labels[0] === name) {
        const content = b.body.blocks.find((c) => c.blockType === 'content');
        if (content) out.push(new Node(content.body, b.range, this.file, this.ev, `${this.path}.dynamic.${name}`));
      }
    });
    const a = this.attr(name);
    if (a) {
      const ob = objectBody(a.expr);
      if (ob) out.push(new Node(ob, a.range, this.file, this.ev, `${this.path}.${name}`));
      else if (a.expr.type === 'tuple')
        a.expr.items.forEach((it, k) => {
          const b = objectBody(it);
          if (b) out.push(new Node(b, it.range, this.file, this.ev, `${this.path}.${name}[${k}]`));
        });
    }
    return out;
  }

  block(name: string): Node | undefined {
    return this.blocks(name)[0];
  }
}

export function listOf(v: Value, expr: string): Maybe<string>[] | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.map((x, k) => toMaybeString(x, `${expr}[${k}]`) ?? unknown(`${expr}[${k}]`, { hint: 'other' }));
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  if (isUnknown(v)) return [v];
  if (v instanceof Encoded || v instanceof PolicyDocRef) return [unknown(v.expr, { hint: 'other' })];
  return [unknown(expr, { hint: 'other' })];
}

/** The resource address an Unknown refers to (`aws_iam_role.r`), when it is a reference. */
export function refTarget(v: unknown): string | undefined {
  return isUnknown(v) && v.hint === 'ref' ? v.target : undefined;
}
