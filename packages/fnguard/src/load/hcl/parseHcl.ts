/**
 * A hand-written HCL2 native-syntax parser (lexing and recursive descent in one pass over the
 * characters) producing the positioned tree of `ast.ts`.
 *
 * Covers: attributes, blocks with quoted/identifier labels, one-line blocks, comments (`#`, `//`,
 * `/* *\/`), numbers, strings with escapes, templates with `${...}` interpolations and
 * `%{ if }`/`%{ for }` directives (and `~` strip markers), heredocs (`<<EOF`, `<<-EOF`), tuples,
 * objects, `for` expressions, function calls (incl. `provider::ns::fn` and `args...`), unary and
 * binary operators with HCL precedence, conditionals, attribute/index traversal, `.*` and `[*]`
 * splats.
 *
 * Hostile input never throws out of `parseHcl`: size, binary content, nesting depth and syntax
 * errors become `HclError`s with a line and column. After a syntax error the parser skips to the
 * next line that starts with an identifier in column 1 and goes on, so one bad block does not
 * hide the rest of the file.
 */
import type { Attribute, BinaryOp, Block, Body, Expr, HclError, HclFile, Pos, Range, TemplatePart } from './ast.js';

export interface HclLimits {
  /** Largest accepted source, in characters (default 10 MiB). */
  maxBytes?: number;
  /** Deepest nesting of blocks and expressions (default 200). */
  maxDepth?: number;
  /** Stop after this many syntax errors (default 20). */
  maxErrors?: number;
}

export const HCL_DEFAULT_LIMITS: Required<HclLimits> = { maxBytes: 10 * 1024 * 1024, maxDepth: 200, maxErrors: 20 };

const WS_RE = /[ \t\r\ufeff]*/y;
const WS_NL_RE = /[ \t\r\n\ufeff]*/y;
const IDENT_RE = /[\p{L}_][\p{L}\p{Nd}_-]*/uy;
/** Plain string content: no quote, backslash, newline, `$` or `%`. */
const PLAIN_RE = /[^"\\\n$%]*/y;

class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly code: HclError['code'] = 'hcl-parse',
  ) {
    super(message);
  }
}

const BINARY_PREC: Record<BinaryOp, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c > 127 && isUnicodeLetter(c));
}
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUnicodeLetter(c: number): boolean {
  return /\p{L}/u.test(String.fromCharCode(c));
}

type FlatPart =
  | { k: 'text'; value: string; stripBefore?: boolean; stripAfter?: boolean }
  | { k: 'interp'; expr: Expr; stripLeft: boolean; stripRight: boolean }
  | { k: 'if'; cond: Expr; stripLeft: boolean; stripRight: boolean; offset: number }
  | { k: 'else' | 'endif' | 'endfor'; stripLeft: boolean; stripRight: boolean; offset: number }
  | { k: 'for'; keyVar?: string; valVar: string; coll: Expr; stripLeft: boolean; stripRight: boolean; offset: number };

/** Offsets -> 1-based line/column. */
class LineIndex {
  readonly lineStarts: number[] = [0];
  constructor(text: string) {
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) this.lineStarts.push(k + 1);
  }
  pos(offset: number): Pos {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((ls[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (ls[lo] as number) + 1, offset };
  }
}

/** A range that computes its line/column on first access (one small object per node). */
class LazyRange implements Range {
  private s?: Pos;
  private e?: Pos;
  constructor(
    private readonly index: LineIndex,
    readonly startOffset: number,
    readonly endOffset: number,
  ) {}
  get start(): Pos {
    if (!this.s) this.s = this.index.pos(this.startOffset);
    return this.s;
  }
  get end(): Pos {
    if (!this.e) this.e = this.index.pos(this.endOffset);
    return this.e;
  }
  toJSON(): Range {
    return { start: this.start, end: this.end };
  }
}

class Parser {
  private i = 0;
  private readonly n: number;
  private readonly lines: LineIndex;
  private depth = 0;
  /** Top of the stack: are newlines insignificant (inside `(`, `[`, `${`)? */
  private readonly nlStack: boolean[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.n = text.length;
    this.lines = new LineIndex(text);
  }

  pos(offset: number): Pos {
    return this.lines.pos(offset);
  }

  private range(start: number, end = this.i): Range {
    return new LazyRange(this.lines, start, end);
  }

  private err(message: string, offset = this.i, code: HclError['code'] = 'hcl-parse'): never {
    throw new ParseError(message, offset, code);
  }

  private c(k = 0): number {
    return this.text.charCodeAt(this.i + k);
  }

  private describe(offset = this.i): string {
    if (offset >= this.n) return 'end of file';
    const ch = this.text[offset] as string;
    if (ch === '\n') return 'newline';
    return JSON.stringify(ch);
  }

  private enter(offset: number): void {
    if (++this.depth > this.maxDepth) this.err(`nesting deeper than ${this.maxDepth} levels`, offset, 'hcl-too-deep');
  }
  private leave(): void {
    this.depth--;
  }

  private get nlOk(): boolean {
    return this.nlStack.length > 0 && this.nlStack[this.nlStack.length - 1] === true;
  }

  /** Skip blanks and comments; newlines too when `nl`. */
  private skip(nl: boolean): void {
    const t = this.text;
    const re = nl ? WS_NL_RE : WS_RE;
    for (;;) {
      re.lastIndex = this.i;
      re.test(t);
      this.i = re.lastIndex;
      const c = t.charCodeAt(this.i);
      if (c === 35 /* # */ || (c === 47 && t.charCodeAt(this.i + 1) === 47)) {
        const e = t.indexOf('\n', this.i);
        this.i = e < 0 ? this.n : e;
      } else if (c === 47 && t.charCodeAt(this.i + 1) === 42) {
        const e = t.indexOf('*/', this.i + 2);
        if (e < 0) this.err('unterminated /* comment');
        this.i = e + 2;
      } else return;
    }
  }

  private ident(): string {
    const s = this.i;
    IDENT_RE.lastIndex = s;
    if (!IDENT_RE.test(this.text)) this.err(`expected an identifier, found ${this.describe()}`);
    this.i = IDENT_RE.lastIndex;
    return this.text.slice(s, this.i);
  }

  private expect(ch: string, what?: string): void {
    if (this.text.startsWith(ch, this.i)) this.i += ch.length;
    else this.err(`expected ${what ?? JSON.stringify(ch)}, found ${this.describe()}`);
  }

  /** After an attribute or block: a newline, the end of file or (one-line blocks) `}`. */
  private endOfItem(inBlock: boolean): void {
    this.skip(false);
    if (this.i >= this.n) return;
    const c = this.c();
    if (c === 10) {
      this.i++;
      return;
    }
    if (c === 125 && inBlock) return;
    this.err(`expected a newline after the item, found ${this.describe()}`);
  }

  /* ------------------------------------------------------------------ bodies */

  parseFile(maxErrors: number, errors: HclError[]): Body {
    const body: Body = { attributes: [], blocks: [], range: this.range(0, this.n) };
    for (;;) {
      const itemStart = this.i;
      try {
        this.parseItems(body, false);
        break;
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        const p = this.pos(Math.min(e.offset, this.n));
        errors.push({ message: e.message, line: p.line, column: p.column, code: e.code });
        if (errors.length >= maxErrors || e.code === 'hcl-too-deep') break;
        // recover: next line starting with an identifier in column 1, after the error
        let k = Math.max(e.offset, itemStart) + 1;
        let found = -1;
        while (k < this.n) {
          const nl = this.text.indexOf('\n', k - 1);
          if (nl < 0) break;
          const c = this.text.charCodeAt(nl + 1);
          if (isIdentStart(c)) {
            found = nl + 1;
            break;
          }
          k = nl + 2;
        }
        if (found < 0) break;
        this.i = found;
        this.depth = 0;
        this.nlStack.length = 0;
      }
    }
    return body;
  }

  /** Items until `}` (inBlock) or the end of file. */
  private parseItems(body: Body, inBlock: boolean): void {
    for (;;) {
      this.skip(true);
      if (this.i >= this.n) {
        if (inBlock) this.err('unterminated block: missing "}"');
        return;
      }
      const c = this.c();
      if (c === 125) {
        if (inBlock) return;
        this.err('unexpected "}"');
      }
      const start = this.i;
      const name = this.ident();
      const nameRange = this.range(start);
      this.skip(false);
      if (this.c() === 61 /* = */ && this.c(1) !== 61) {
        this.i++;
        this.nlStack.push(false);
        const expr = this.parseExpr();
        this.nlStack.pop();
        const attr: Attribute = { type: 'attribute', name, expr, range: this.range(start), nameRange };
        body.attributes.push(attr);
        this.endOfItem(inBlock);
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        const lc = this.c();
        if (lc === 34 /* " */) labels.push(this.quotedLabel());
        else if (isIdentStart(lc)) labels.push(this.ident());
        else break;
        this.skip(false);
      }
      if (this.c() !== 123 /* { */) this.err(`expected "=" or "{" after ${JSON.stringify(name)}, found ${this.describe()}`);
      this.i++;
      this.enter(start);
      const bodyStart = this.i;
      const inner: Body = { attributes: [], blocks: [], range: this.range(bodyStart) };
      this.parseItems(inner, true);
      this.expect('}');
      this.leave();
      inner.range = this.range(bodyStart, this.i - 1);
      const block: Block = { type: 'block', blockType: name, labels, body: inner, range: this.range(start) };
      body.blocks.push(block);
      this.endOfItem(inBlock);
    }
  }

  private quotedLabel(): string {
    const start = this.i;
    const t = this.parseQuoted();
    if (t.type === 'literal' && typeof t.value === 'string') return t.value;
    if (t.type === 'template' && t.parts.every((p) => p.type === 'text'))
      return t.parts.map((p) => (p as { value: string }).value).join('');
    this.err('block labels cannot contain interpolations', start);
  }

  /* ------------------------------------------------------------------ expressions */

  parseExpr(): Expr {
    const start = this.i;
    this.enter(start);
    this.skip(this.nlOk);
    const s = this.i;
    const cond = this.parseBinary(0);
    this.skip(this.nlOk);
    let out: Expr = cond;
    if (this.c() === 63 /* ? */) {
      this.i++;
      const whenTrue = this.parseExpr();
      this.skip(this.nlOk);
      this.expect(':', '":" of the conditional');
      const whenFalse = this.parseExpr();
      out = { type: 'conditional', cond, whenTrue, whenFalse, range: this.range(s) };
    }
    this.leave();
    return out;
  }

  private peekOp(): BinaryOp | undefined {
    const c = this.c();
    const d = this.c(1);
    switch (c) {
      case 124: // |
        return d === 124 ? '||' : undefined;
      case 38: // &
        return d === 38 ? '&&' : undefined;
      case 61: // =
        return d === 61 ? '==' : undefined;
      case 33: // !
        return d === 61 ? '!=' : undefined;
      case 60: // <
        return d === 61 ? '<=' : d === 60 ? undefined : '<';
      case 62: // >
        return d === 61 ? '>=' : '>';
      case 43:
        return '+';
      case 45:
        return '-';
      case 42:
        return '*';
      case 47:
        return '/';
      case 37:
        return '%';
      default:
        return undefined;
    }
  }

  private parseBinary(minPrec: number): Expr {
    const s = this.i;
    let left = this.parseUnary();
    for (;;) {
      const save = this.i;
      this.skip(this.nlOk);
      const op = this.peekOp();
      const prec = op ? BINARY_PREC[op] : 0;
      if (!op || prec < minPrec || prec === 0) {
        this.i = save;
        return left;
      }
      this.i += op.length;
      this.enter(s);
      const right = this.parseBinary(prec + 1);
      this.leave();
      left = { type: 'binary', op, left, right, range: this.range(s) };
    }
  }

  private parseUnary(): Expr {
    this.skip(this.nlOk);
    const s = this.i;
    const c = this.c();
    if (c === 33 /* ! */ || c === 45 /* - */) {
      this.i++;
      this.enter(s);
      const operand = this.parseUnary();
      this.leave();
      return { type: 'unary', op: c === 33 ? '!' : '-', operand, range: this.range(s) };
    }
    return this.parsePostfix(this.parsePrimary(), s);
  }

  /** Traversals after a primary: `.name`, `.0`, `[expr]`, `.*`, `[*]`. */
  private parsePostfix(e: Expr, s: number): Expr {
    let out = e;
    for (;;) {
      const save = this.i;
      this.skip(this.nlOk);
      const c = this.c();
      if (c === 46 /* . */ && this.c(1) === 42 /* * */) {
        this.i += 2;
        return this.parseSplat(out, s);
      }
      if (c === 91 /* [ */) {
        const j = this.i;
        this.i++;
        this.skip(true);
        if (this.c() === 42) {
          const k = this.i;
          this.i++;
          this.skip(true);
          if (this.c() === 93) {
            this.i++;
            return this.parseSplat(out, s);
          }
          this.i = k;
        }
        this.i = j + 1;
        this.nlStack.push(true);
        const key = this.parseExpr();
        this.skip(true);
        this.expect(']');
        this.nlStack.pop();
        out = { type: 'index', object: out, key, range: this.range(s) };
        continue;
      }
      if (c === 46) {
        const d = this.c(1);
        if (isIdentStart(d)) {
          this.i++;
          const name = this.ident();
          out = { type: 'getattr', object: out, name, range: this.range(s) };
          continue;
        }
        if (isDigit(d)) {
          this.i++;
          const ks = this.i;
          while (isDigit(this.c())) this.i++;
          const key: Expr = { type: 'literal', value: Number(this.text.slice(ks, this.i)), range: this.range(ks) };
          out = { type: 'index', object: out, key, range: this.range(s) };
          continue;
        }
      }
      this.i = save;
      return out;
    }
  }

  private parseSplat(object: Expr, s: number): Expr {
    const is = this.i;
    const item: Expr = { type: 'splat-item', range: this.range(is, is) };
    const each = this.parsePostfix(item, is);
    return { type: 'splat', object, each, range: this.range(s) };
  }

  private parsePrimary(): Expr {
    const s = this.i;
    if (this.i >= this.n) this.err('expected an expression, found end of file');
    const c = this.c();
    if (isDigit(c)) return this.parseNumber();
    if (c === 34) return this.parseQuoted();
    if (c === 60 && this.c(1) === 60) return this.parseHeredoc();
    if (c === 91) return this.parseTuple();
    if (c === 123) return this.parseObject();
    if (c === 40 /* ( */) {
      this.i++;
      this.nlStack.push(true);
      const expr = this.parseExpr();
      this.skip(true);
      this.expect(')');
      this.nlStack.pop();
      return { type: 'paren', expr, range: this.range(s) };
    }
    if (isIdentStart(c)) {
      let name = this.ident();
      while (this.c() === 58 && this.c(1) === 58 && isIdentStart(this.c(2))) {
        this.i += 2;
        name += `::${this.ident()}`;
      }
      if (name === 'true' || name === 'false') return { type: 'literal', value: name === 'true', range: this.range(s) };
      if (name === 'null') return { type: 'literal', value: null, range: this.range(s) };
      const save = this.i;
      this.skip(false);
      if (this.c() === 40) {
        this.i++;
        return this.parseCall(name, s);
      }
      this.i = save;
      return { type: 'variable', name, range: this.range(s) };
    }
    this.err(`expected an expression, found ${this.describe()}`);
  }

  private parseNumber(): Expr {
    const s = this.i;
    while (isDigit(this.c())) this.i++;
    if (this.c() === 46 && isDigit(this.c(1))) {
      this.i++;
      while (isDigit(this.c())) this.i++;
    }
    if (this.c() === 101 || this.c() === 69) {
      const save = this.i;
      this.i++;
      if (this.c() === 43 || this.c() === 45) this.i++;
      if (isDigit(this.c())) while (isDigit(this.c())) this.i++;
      else this.i = save;
    }
    return { type: 'literal', value: Number(this.text.slice(s, this.i)), range: this.range(s) };
  }

  private parseCall(name: string, s: number): Expr {
    this.nlStack.push(true);
    const args: Expr[] = [];
    let expandFinal = false;
    for (;;) {
      this.skip(true);
      if (this.c() === 41) break;
      if (this.i >= this.n) this.err(`unterminated call to ${name}(`);
      args.push(this.parseExpr());
      this.skip(true);
      if (this.text.startsWith('...', this.i)) {
        this.i += 3;
        expandFinal = true;
        this.skip(true);
        break;
      }
      if (this.c() === 44) {
        this.i++;
        continue;
      }
      break;
    }
    this.expect(')', `"," or ")" in the call to ${name}`);
    this.nlStack.pop();
    return { type: 'call', name, args, expandFinal, range: this.range(s) };
  }

  private atKeyword(kw: string): boolean {
    return this.text.startsWith(kw, this.i) && !isIdentChar(this.text.charCodeAt(this.i + kw.length));
  }

  private parseTuple(): Expr {
    const s = this.i;
    this.i++;
    this.nlStack.push(true);
    this.skip(true);
    if (this.atKeyword('for')) {
      const e = this.parseFor(s, false);
      this.nlStack.pop();
      return e;
    }
    const items: Expr[] = [];
    for (;;) {
      this.skip(true);
      if (this.c() === 93) break;
      if (this.i >= this.n) this.err('unterminated tuple: missing "]"', s);
      items.push(this.parseExpr());
      this.skip(true);
      if (this.c() === 44) {
        this.i++;
        continue;
      }
      break;
    }
    this.expect(']', '"," or "]" in the tuple');
    this.nlStack.pop();
    return { type: 'tuple', items, range: this.range(s) };
  }

  private parseObject(): Expr {
    const s = this.i;
    this.i++;
    this.skip(true);
    if (this.atKeyword('for')) {
      this.nlStack.push(true);
      const e = this.parseFor(s, true);
      this.nlStack.pop();
      return e;
    }
    this.nlStack.push(false);
    const items: { key: Expr; value: Expr; range: Range }[] = [];
    for (;;) {
      this.skip(true);
      if (this.c() === 125) break;
      if (this.i >= this.n) this.err('unterminated object: missing "}"', s);
      const is = this.i;
      const key = this.parseExpr();
      this.skip(false);
      const c = this.c();
      if (c === 61 || c === 58) this.i++;
      else this.err(`expected "=" or ":" after the object key, found ${this.describe()}`);
      const value = this.parseExpr();
      items.push({ key, value, range: this.range(is) });
      this.skip(false);
      const d = this.c();
      if (d === 44 || d === 10) {
        this.i++;
        continue;
      }
      if (d === 125) break;
      this.err(`expected "," or a newline between object items, found ${this.describe()}`);
    }
    this.expect('}');
    this.nlStack.pop();
    return { type: 'object', items, range: this.range(s) };
  }

  /** `for k, v in coll : ...` after `[` or `{` (positioned at `for`). */
  private parseFor(s: number, isObject: boolean): Expr {
    this.i += 3;
    this.skip(true);
    let keyVar: string | undefined;
    let valVar = this.ident();
    this.skip(true);
    if (this.c() === 44) {
      this.i++;
      this.skip(true);
      keyVar = valVar;
      valVar = this.ident();
      this.skip(true);
    }
    if (!this.atKeyword('in')) this.err(`expected "in" in the for expression, found ${this.describe()}`);
    this.i += 2;
    const coll = this.parseExpr();
    this.skip(true);
    this.expect(':', '":" in the for expression');
    let keyExpr: Expr | undefined;
    if (isObject) {
      keyExpr = this.parseExpr();
      this.skip(true);
      this.expect('=>', '"=>" in the object for expression');
    }
    const valExpr = this.parseExpr();
    this.skip(true);
    let grouping = false;
    if (isObject && this.text.startsWith('...', this.i)) {
      this.i += 3;
      grouping = true;
      this.skip(true);
    }
    let cond: Expr | undefined;
    if (this.atKeyword('if')) {
      this.i += 2;
      cond = this.parseExpr();
      this.skip(true);
    }
    this.expect(isObject ? '}' : ']');
    const out: Expr = { type: 'for', valVar, coll, valExpr, grouping, range: this.range(s) };
    if (keyVar !== undefined) out.keyVar = keyVar;
    if (keyExpr) out.keyExpr = keyExpr;
    if (cond) out.cond = cond;
    return out;
  }

  /* ------------------------------------------------------------------ templates */

  private parseQuoted(): Expr {
    const s = this.i;
    this.i++;
    // fast path: a plain string without escapes, interpolations or directives
    const t = this.text;
    let k = this.i;
    for (;;) {
      PLAIN_RE.lastIndex = k;
      PLAIN_RE.test(t);
      k = PLAIN_RE.lastIndex;
      const c = t.charCodeAt(k);
      if (c === 34) {
        this.i = k + 1;
        return { type: 'literal', value: t.slice(s + 1, k), range: this.range(s) };
      }
      if ((c === 36 || c === 37) && t.charCodeAt(k + 1) !== 123) {
        k++;
        continue;
      }
      break;
    }
    const flat = this.templateParts(-1);
    const parts = this.structure(flat, s);
    if (parts.length === 0) return { type: 'literal', value: '', range: this.range(s) };
    if (parts.length === 1 && parts[0]?.type === 'text') return { type: 'literal', value: parts[0].value, range: this.range(s) };
    return { type: 'template', parts, range: this.range(s) };
  }

  private parseHeredoc(): Expr {
    const s = this.i;
    this.i += 2;
    let indent = false;
    if (this.c() === 45) {
      indent = true;
      this.i++;
    }
    const marker = this.ident();
    while (this.c() === 32 || this.c() === 9 || this.c() === 13) this.i++;
    if (this.c() !== 10) this.err('expected a newline after the heredoc marker');
    this.i++;
    const contentStart = this.i;
    const t = this.text;
    let lineStart = contentStart;
    let endLine = -1;
    let markerEnd = -1;
    while (lineStart <= this.n) {
      let e = t.indexOf('\n', lineStart);
      if (e < 0) e = this.n;
      const line = t.slice(lineStart, e).replace(/\r$/, '');
      if (line.trim() === marker) {
        endLine = lineStart;
        markerEnd = lineStart + line.length;
        break;
      }
      if (e >= this.n) break;
      lineStart = e + 1;
    }
    if (endLine < 0) this.err(`unterminated heredoc: no closing ${JSON.stringify(marker)} line`, s);
    const flat = this.templateParts(endLine);
    this.i = markerEnd;
    let parts = this.structure(flat, s);
    if (indent) parts = stripIndent(parts, t.slice(contentStart, endLine));
    return { type: 'template', parts, heredoc: true, range: this.range(s) };
  }

  /**
   * Template parts from the current position up to a closing quote (`end < 0`) or to offset
   * `end` (heredoc: no escapes, newlines allowed).
   */
  private templateParts(end: number): FlatPart[] {
    const t = this.text;
    const quoted = end < 0;
    const limit = quoted ? this.n : end;
    const out: FlatPart[] = [];
    let buf = '';
    const flush = (): void => {
      if (buf) out.push({ k: 'text', value: buf });
      buf = '';
    };
    for (;;) {
      if (this.i >= limit) {
        if (quoted) this.err('unterminated string: missing closing quote');
        break;
      }
      const c = t.charCodeAt(this.i);
      if (quoted && c === 34) {
        this.i++;
        break;
      }
      if (quoted && c === 10) this.err('unterminated string: newline before the closing quote');
      if (quoted && c === 92 /* \ */) {
        buf += this.escape();
        continue;
      }
      if ((c === 36 || c === 37) && t.charCodeAt(this.i + 1) === c && t.charCodeAt(this.i + 2) === 123) {
        buf += `${t[this.i]}{`;
        this.i += 3;
        continue;
      }
      if ((c === 36 || c === 37) && t.charCodeAt(this.i + 1) === 123) {
        flush();
        const os = this.i;
        this.i += 2;
        let stripLeft = false;
        if (this.c() === 126) {
          stripLeft = true;
          this.i++;
        }
        this.nlStack.push(true);
        if (c === 36) {
          const expr = this.parseExpr();
          this.skip(true);
          const stripRight = this.closeDirective();
          out.push({ k: 'interp', expr, stripLeft, stripRight });
        } else out.push(this.directive(stripLeft, os));
        this.nlStack.pop();
        if (this.i > limit) this.err('interpolation runs past the end of the heredoc', os);
        continue;
      }
      buf += t[this.i];
      this.i++;
    }
    flush();
    return out;
  }

  private closeDirective(): boolean {
    let strip = false;
    if (this.c() === 126) {
      strip = true;
      this.i++;
    }
    this.expect('}', '"}" closing the interpolation');
    return strip;
  }

  private directive(stripLeft: boolean, offset: number): FlatPart {
    this.skip(true);
    const kw = this.ident();
    if (kw === 'if') {
      const cond = this.parseExpr();
      this.skip(true);
      return { k: 'if', cond, stripLeft, stripRight: this.closeDirective(), offset };
    }
    if (kw === 'else' || kw === 'endif' || kw === 'endfor') {
      this.skip(true);
      return { k: kw, stripLeft, stripRight: this.closeDirective(), offset };
    }
    if (kw === 'for') {
      this.skip(true);
      let keyVar: string | undefined;
      let valVar = this.ident();
      this.skip(true);
      if (this.c() === 44) {
        this.i++;
        this.skip(true);
        keyVar = valVar;
        valVar = this.ident();
        this.skip(true);
      }
      if (!this.atKeyword('in')) this.err('expected "in" in the %{ for } directive');
      this.i += 2;
      const coll = this.parseExpr();
      this.skip(true);
      const p: FlatPart = { k: 'for', valVar, coll, stripLeft, stripRight: this.closeDirective(), offset };
      if (keyVar !== undefined) p.keyVar = keyVar;
      return p;
    }
    this.err(`unknown template directive ${JSON.stringify(kw)}`, offset);
  }

  private escape(): string {
    const t = this.text;
    const d = t[this.i + 1];
    this.i += 2;
    switch (d) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const len = d === 'u' ? 4 : 8;
        const hex = t.slice(this.i, this.i + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.err('invalid unicode escape', this.i - 2);
        this.i += len;
        const cp = Number.parseInt(hex, 16);
        if (cp > 0x10ffff) this.err('invalid unicode escape', this.i - len - 2);
        return String.fromCodePoint(cp);
      }
      default:
        this.err(`invalid escape sequence \\${d ?? ''}`, this.i - 2);
    }
  }

  /** Turn the flat list (with if/else/endif/for/endfor markers) into nested parts; apply `~` stripping. */
  private structure(flat: FlatPart[], s: number): TemplatePart[] {
    // strip markers: trim the neighbouring text parts
    for (let k = 0; k < flat.length; k++) {
      const p = flat[k] as FlatPart;
      if (p.k === 'text') continue;
      const prev = flat[k - 1];
      const next = flat[k + 1];
      if (p.stripLeft && prev?.k === 'text') prev.value = prev.value.replace(/\s+$/, '');
      if (p.stripRight && next?.k === 'text') next.value = next.value.replace(/^\s+/, '');
    }
    let k = 0;
    const walk = (stopAt: readonly string[]): { parts: TemplatePart[]; stop?: string } => {
      const parts: TemplatePart[] = [];
      while (k < flat.length) {
        const p = flat[k++] as FlatPart;
        if (p.k === 'text') {
          if (p.value) parts.push({ type: 'text', value: p.value });
        } else if (p.k === 'interp') parts.push({ type: 'interp', expr: p.expr });
        else if (p.k === 'if') {
          const a = walk(['else', 'endif']);
          let b: { parts: TemplatePart[]; stop?: string } | undefined;
          if (a.stop === 'else') b = walk(['endif']);
          if ((b ?? a).stop !== 'endif') this.err('%{ if } without %{ endif }', p.offset);
          const part: TemplatePart = { type: 'if', cond: p.cond, whenTrue: a.parts };
          if (b) part.whenFalse = b.parts;
          parts.push(part);
        } else if (p.k === 'for') {
          const a = walk(['endfor']);
          if (a.stop !== 'endfor') this.err('%{ for } without %{ endfor }', p.offset);
          const part: TemplatePart = { type: 'for', valVar: p.valVar, coll: p.coll, body: a.parts };
          if (p.keyVar !== undefined) part.keyVar = p.keyVar;
          parts.push(part);
        } else {
          if (stopAt.includes(p.k)) return { parts, stop: p.k };
          this.err(`unexpected %{ ${p.k} }`, p.offset);
        }
      }
      return { parts };
    };
    const r = walk([]);
    void s;
    return r.parts;
  }
}

/** `<<-` heredocs: remove the smallest indentation of the non-blank lines from every line. */
function stripIndent(parts: TemplatePart[], raw: string): TemplatePart[] {
  let min = Number.POSITIVE_INFINITY;
  for (const line of raw.split('\n')) {
    if (!line.trim()) continue;
    const m = /^[ \t]*/.exec(line);
    min = Math.min(min, m ? m[0].length : 0);
  }
  if (!Number.isFinite(min) || min === 0) return parts;
  const re = new RegExp(`(^|\\n)[ \\t]{0,${min}}`, 'g');
  let first = true;
  const fix = (ps: TemplatePart[]): TemplatePart[] =>
    ps.map((p) => {
      if (p.type === 'text') {
        const v = first ? p.value.replace(re, '$1') : p.value.replace(new RegExp(`\\n[ \\t]{0,${min}}`, 'g'), '\n');
        first = false;
        return { type: 'text', value: v };
      }
      first = false;
      if (p.type === 'if') return { ...p, whenTrue: fix(p.whenTrue), ...(p.whenFalse ? { whenFalse: fix(p.whenFalse) } : {}) };
      if (p.type === 'for') return { ...p, body: fix(p.body) };
      return p;
    });
  return fix(parts);
}

/** Parse HCL native syntax. Never throws: problems are returned in `errors`. */
export function parseHcl(text: string, limits: HclLimits = {}): HclFile {
  const l = { ...HCL_DEFAULT_LIMITS, ...limits };
  const errors: HclError[] = [];
  const empty = (): HclFile => ({
    body: { attributes: [], blocks: [], range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } },
    text: '',
    errors,
  });
  if (typeof text !== 'string') {
    errors.push({ message: 'not a text file', line: 1, column: 1, code: 'hcl-binary' });
    return empty();
  }
  if (text.length > l.maxBytes) {
    errors.push({ message: `file is larger than ${l.maxBytes} characters; skipped`, line: 1, column: 1, code: 'hcl-too-large' });
    return empty();
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0 && nul < 8192) {
    const nl = text.slice(0, nul).split('\n');
    errors.push({
      message: 'binary content (NUL byte); skipped',
      line: nl.length,
      column: (nl[nl.length - 1]?.length ?? 0) + 1,
      code: 'hcl-binary',
    });
    return empty();
  }
  const src = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const p = new Parser(src, l.maxDepth);
  let body: Body;
  try {
    body = p.parseFile(l.maxErrors, errors);
  } catch (e) {
    // RangeError (stack) or an internal bug: never escape
    errors.push({ message: `cannot parse: ${(e as Error)?.message ?? e}`, line: 1, column: 1, code: 'hcl-parse' });
    return { ...empty(), text: src };
  }
  return { body, text: src, errors };
}

/** Parse a template string (the JSON syntax's string values, `templatefile` bodies) as HCL template text. */
export function parseTemplateString(text: string, limits: HclLimits = {}): { expr: Expr; errors: HclError[] } {
  // Reuse the heredoc machinery: the whole string is template content.
  const marker = 'FNGUARD_TEMPLATE_END_7f3a';
  const src = `x = <<${marker}\n${text}\n${marker}\n`;
  const f = parseHcl(src, { ...limits, maxErrors: 1 });
  const attr = f.body.attributes[0];
  if (!attr || f.errors.length) return { expr: { type: 'literal', value: text, range: f.body.range }, errors: f.errors };
  const e = attr.expr;
  if (e.type === 'template') {
    // drop the newline the wrapper added before the end marker
    const last = e.parts[e.parts.length - 1];
    if (last?.type === 'text') {
      last.value = last.value.replace(/\n$/, '');
      if (!last.value) e.parts.pop();
    }
    if (e.parts.length === 0) return { expr: { type: 'literal', value: '', range: e.range }, errors: [] };
    if (e.parts.length === 1 && e.parts[0]?.type === 'text')
      return { expr: { type: 'literal', value: e.parts[0].value, range: e.range }, errors: [] };
  }
  return { expr: e, errors: [] };
}

/** The source text of an expression (for Unknown `expr`). */
export function exprText(file: { text: string }, e: Expr, max = 200): string {
  let s = e.text;
  if (s === undefined) {
    const r = e.range;
    s = r instanceof LazyRange ? file.text.slice(r.startOffset, r.endOffset) : file.text.slice(r.start.offset, r.end.offset);
  }
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
