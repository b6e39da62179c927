/**
 * The fastest path of `parseYaml`: a direct parser for the plain block YAML that IaC files are made
 * of (block mappings and sequences, one-line plain and quoted scalars, one-line flow collections,
 * CloudFormation short-form tags, comments), building values and positions in one pass.
 *
 * It answers exactly what the js-yaml path (fastYaml.ts) answers, values and positions, or
 * `undefined` as soon as the text needs anything else (block scalars, multi-line scalars or flow
 * collections, anchors and aliases, other tags, duplicate keys, empty sequence items, complex keys,
 * budgets reached, anything it does not recognise); the js-yaml path then handles the document, and
 * the full parser behind it whatever js-yaml does not reproduce. A differential test compares the
 * two on every YAML fixture and on generated documents.
 */
import { CORE_SCHEMA } from 'js-yaml';
import type { Where } from '../../model/types.js';
import { PositionMap } from './positions.js';

/** Thrown (and caught in `parseBlockYaml`) when the document leaves the supported subset. */
class Unsupported extends Error {}

interface ImplicitType {
  resolve(data: string): boolean;
  construct(data: string): unknown;
}
/** js-yaml's implicit types of the core schema (null, bool, int, float), the ones its loader applies to plain scalars. */
const IMPLICIT = (CORE_SCHEMA as unknown as { compiledImplicit: ImplicitType[] }).compiledImplicit;
/** Same test as js-yaml's load: such a stream is an error there. */
const NON_PRINTABLE =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const QUOTE = 39;
const DQUOTE = 34;
const BANG = 33;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/** Plain scalars (untagged) resolve like js-yaml's core schema: null, bool, int, float, else string. */
/** The only null and bool spellings of js-yaml's core schema (both types compare the whole text). */
const NULL_OR_BOOL = new Set(['~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // ints and floats start with a digit, a sign or a dot; anything else is a null, a bool or a string
  if (!((c >= 48 && c <= 57) || c === 43 || c === DASH || c === 46) && !NULL_OR_BOOL.has(s)) return s;
  for (const t of IMPLICIT)
    if (t.resolve(s)) {
      const v = t.construct(s);
      if (Number.isNaN(v)) throw new Unsupported(); // fastYaml cannot match NaN with itself and refuses it
      return v;
    }
  return s;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === 10;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

function escapeChar(c: number): string | undefined {
  switch (c) {
    case 0x30:
      return '\x00';
    case 0x61:
      return '\x07';
    case 0x62:
      return '\x08';
    case 0x74:
      return '\x09';
    case 0x6e:
      return '\x0A';
    case 0x76:
      return '\x0B';
    case 0x66:
      return '\x0C';
    case 0x72:
      return '\x0D';
    case 0x65:
      return '\x1B';
    case 0x20:
      return ' ';
    case 0x22:
      return '"';
    case 0x2f:
      return '/';
    case 0x5c:
      return '\\';
    case 0x4e:
      return '\x85';
    case 0x5f:
      return '\xA0';
    case 0x4c:
      return '\u2028';
    case 0x50:
      return '\u2029';
    default:
      return undefined;
  }
}

function fromCodepoint(c: number): string {
  if (c <= 0xffff) return String.fromCharCode(c);
  return String.fromCharCode(((c - 0x010000) >> 10) + 0xd800, ((c - 0x010000) & 0x03ff) + 0xdc00);
}

class BlockParser {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** current line (the parser works line by line; scalars and flow collections never span lines) */
  private line = 0;
  private nodes = 0;
  /** Where of the node parsed last (one object per node, shared by its parent's key/item tables as in fastYaml) */
  private w: Where | undefined;
  /** end offset of the node parsed last */
  private end = 0;
  readonly positions: PositionMap;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly maxDepth: number,
    private readonly maxNodes: number,
    private readonly tags: Readonly<Record<string, string>> | undefined,
  ) {
    this.positions = new PositionMap(file);
    let s = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      this.starts.push(s);
      this.ends.push(i);
      s = i + 1;
    }
    if (s < text.length) {
      this.starts.push(s);
      this.ends.push(text.length);
    }
  }

  document(): unknown {
    if (!this.skipToContent()) throw new Unsupported();
    const indent = this.indentOf(this.line);
    const first = (this.starts[this.line] as number) + indent;
    if (this.text.startsWith('---', first) || this.text.startsWith('...', first)) throw new Unsupported();
    const v = this.block(this.line, first, indent, 0);
    if (this.skipToContent()) throw new Unsupported(); // anything after the root node
    return v;
  }

  /* ---------------------------------------------------------------- lines */

  private indentOf(line: number): number {
    const s = this.starts[line] as number;
    let i = s;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - s;
  }

  /** Move `line` to the next line with content (not blank, not only a comment); false at the end. */
  private skipToContent(): boolean {
    const { text } = this;
    while (this.line < this.starts.length) {
      const s = (this.starts[this.line] as number) + this.indentOf(this.line);
      if (s < (this.ends[this.line] as number) && text.charCodeAt(s) !== HASH) {
        const c = text.charCodeAt(s);
        if ((c === DASH || c === 46) && (text.startsWith('---', s) || text.startsWith('...', s)) && s === this.starts[this.line])
          throw new Unsupported(); // document markers
        return true;
      }
      this.line++;
    }
    return false;
  }

  /** The line holding `offset` (an offset at or after line `from`'s start; a line's end counts as that line). */
  private lineOf(offset: number, from: number): number {
    let l = from;
    while (l + 1 < this.starts.length && (this.starts[l + 1] as number) <= offset && offset > (this.ends[l] as number)) l++;
    return l;
  }

  private where(line: number, start: number, endLine: number, end: number): Where {
    return {
      file: this.file,
      line: line + 1,
      column: start - (this.starts[line] as number) + 1,
      endLine: endLine + 1,
      endColumn: end - (this.starts[endLine] as number) + 1,
    };
  }

  /** A container's position: from its start to the end of its last child's span (fastYaml's endOf). */
  private span(line: number, start: number, last: Where): Where {
    return {
      file: this.file,
      line: line + 1,
      column: start - (this.starts[line] as number) + 1,
      endLine: last.endLine as number,
      endColumn: last.endColumn as number,
    };
  }

  private count(depth: number): void {
    if (++this.nodes > this.maxNodes || depth > this.maxDepth) throw new Unsupported();
  }

  /** Only blanks, or blanks and a comment, from `i` to the line end. */
  private restIsBlank(i: number, lineEnd: number): boolean {
    const { text } = this;
    const from = i;
    while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
    return i >= lineEnd || (text.charCodeAt(i) === HASH && i > from);
  }

  /* ---------------------------------------------------------------- block nodes */

  /** A block mapping or sequence whose first entry starts at `offset` on `line`, column `indent`. */
  private block(line: number, offset: number, indent: number, depth: number): unknown {
    const c = this.text.charCodeAt(offset);
    const next = this.text.charCodeAt(offset + 1);
    if (c === DASH && (next === SPACE || offset + 1 >= (this.ends[line] as number))) return this.sequence(line, offset, indent, depth);
    return this.mapping(line, offset, indent, depth);
  }

  private sequence(line: number, offset: number, indent: number, depth: number): unknown[] {
    this.count(depth);
    const { text } = this;
    const out: unknown[] = [];
    const items: Where[] = [];
    const startLine = line;
    this.line = line;
    for (;;) {
      // at `- ` on this.line, column indent
      const lineEnd = this.ends[this.line] as number;
      let i = (this.starts[this.line] as number) + indent + 1;
      while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
      if (i >= lineEnd || text.charCodeAt(i) === HASH) {
        // the item is the block on the following lines
        this.line++;
        if (!this.skipToContent() || this.indentOf(this.line) <= indent) throw new Unsupported(); // empty item
        const ind = this.indentOf(this.line);
        out.push(this.block(this.line, (this.starts[this.line] as number) + ind, ind, depth + 1));
      } else if (text.charCodeAt(i) === DASH && (text.charCodeAt(i + 1) === SPACE || i + 1 >= lineEnd)) {
        throw new Unsupported(); // `- - x`
      } else if (text.charCodeAt(i) === LBRACKET || text.charCodeAt(i) === LBRACE) {
        throw new Unsupported(); // js-yaml composes `- [a]` / `- {a: b}` through an extra node: fastYaml refuses them
      } else if (this.startsKey(i, lineEnd)) {
        out.push(this.mapping(this.line, i, i - (this.starts[this.line] as number), depth + 1));
      } else {
        out.push(this.inlineNode(i, lineEnd, indent, depth + 1));
      }
      items.push(this.w as Where);
      // this.line: the line after the item
      if (!this.skipToContent()) break;
      const ind = this.indentOf(this.line);
      if (ind < indent) break;
      if (ind > indent) throw new Unsupported();
      const s = (this.starts[this.line] as number) + ind;
      if (!(text.charCodeAt(s) === DASH && (text.charCodeAt(s + 1) === SPACE || s + 1 >= (this.ends[this.line] as number)))) break;
    }
    const w = this.span(startLine, offset, items[items.length - 1] as Where);
    this.positions.set(out, { where: w, items });
    this.w = w;
    return out;
  }

  private mapping(line: number, offset: number, indent: number, depth: number): Record<string, unknown> {
    this.count(depth);
    const { text } = this;
    const out: Record<string, unknown> = {};
    const keys = new Map<string, { key: Where; value: Where }>();
    const startLine = line;
    let last: Where | undefined;
    let at = offset;
    this.line = line;
    for (;;) {
      const lineEnd = this.ends[this.line] as number;
      const keyLine = this.line;
      const key = this.key(at, lineEnd, depth + 1);
      const kw = this.w as Where;
      const keyEnd = this.end;
      // this.end: after the key; the colon follows (after blanks)
      let i = keyEnd;
      while (text.charCodeAt(i) === SPACE) i++;
      i++; // the colon (checked by key())
      const colonEnd = i;
      while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
      if (Object.hasOwn(out, key) || key === '__proto__') throw new Unsupported();
      let value: unknown;
      let vw: Where;
      if (i >= lineEnd || text.charCodeAt(i) === HASH) {
        this.line++;
        const more = this.skipToContent();
        const ind = more ? this.indentOf(this.line) : -1;
        const s = more ? (this.starts[this.line] as number) + ind : 0;
        const isSeq =
          more && text.charCodeAt(s) === DASH && (text.charCodeAt(s + 1) === SPACE || s + 1 >= (this.ends[this.line] as number));
        if (more && (ind > indent || (ind === indent && isSeq))) {
          value = this.block(this.line, s, ind, depth + 1);
          vw = this.w as Where;
          last = vw;
        } else {
          // an empty value: null, positioned after the colon and its blanks (fastYaml's emptyValueWhere)
          this.count(depth + 1);
          value = null;
          let j = keyEnd;
          while (text.charCodeAt(j) === SPACE) j++;
          j++;
          while (text.charCodeAt(j) === SPACE) j++;
          vw = this.where(keyLine, j, keyLine, j);
          // js-yaml ends the empty node where the next node starts; fastYaml trims that back over
          // blanks and line breaks (not over comments)
          let e = more ? s : text.length;
          while (e > colonEnd && isBlank(text.charCodeAt(e - 1))) e--;
          const eLine = this.lineOf(e, keyLine);
          last = this.where(keyLine, colonEnd, eLine, e);
        }
      } else {
        value = this.inlineNode(i, lineEnd, indent, depth + 1);
        vw = this.w as Where;
        last = vw;
      }
      out[key] = value;
      keys.set(key, { key: kw, value: vw });
      if (!this.skipToContent()) break;
      const ind = this.indentOf(this.line);
      if (ind < indent) break;
      if (ind > indent) throw new Unsupported();
      at = (this.starts[this.line] as number) + ind;
      if (text.charCodeAt(at) === DASH && (text.charCodeAt(at + 1) === SPACE || at + 1 >= (this.ends[this.line] as number))) {
        // a sequence item at the mapping's indent: only the parent mapping's `key:` value may be one
        throw new Unsupported();
      }
    }
    const w = this.span(startLine, offset, last as Where);
    this.positions.set(out, { where: w, keys });
    this.w = w;
    return out;
  }

  /** Does a mapping key (plain or quoted, then `:` and a blank or the line end) start at `i`? */
  private startsKey(i: number, lineEnd: number): boolean {
    const { text } = this;
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === DQUOTE) {
      const close = this.quotedEnd(i, lineEnd);
      let j = close;
      while (j < lineEnd && text.charCodeAt(j) === SPACE) j++;
      return text.charCodeAt(j) === COLON;
    }
    if (c === BANG || c === LBRACKET || c === LBRACE) return false;
    return this.plainKeyColon(i, lineEnd) >= 0;
  }

  /** Offset of the `:` that ends a plain key starting at `i`, or -1 (stops at a comment). */
  private plainKeyColon(i: number, lineEnd: number): number {
    const { text } = this;
    for (let j = i; j < lineEnd; j++) {
      const c = text.charCodeAt(j);
      if (c === COLON) {
        const n = text.charCodeAt(j + 1);
        if (j + 1 >= lineEnd || n === SPACE) return j;
      } else if (c === HASH && text.charCodeAt(j - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** A block mapping key at `i`; sets `w` and `end` (after the key text). */
  private key(i: number, lineEnd: number, depth: number): string {
    const { text } = this;
    this.count(depth);
    const c = text.charCodeAt(i);
    let key: string;
    if (c === QUOTE || c === DQUOTE) {
      key = this.quoted(i, lineEnd);
      let j = this.end;
      while (j < lineEnd && text.charCodeAt(j) === SPACE) j++;
      if (text.charCodeAt(j) !== COLON || !(j + 1 >= lineEnd || text.charCodeAt(j + 1) === SPACE)) throw new Unsupported();
    } else {
      if (isIndicatorStart(c, text.charCodeAt(i + 1), i + 1 >= lineEnd)) throw new Unsupported();
      const colon = this.plainKeyColon(i, lineEnd);
      if (colon < 0) throw new Unsupported();
      let e = colon;
      while (e > i && text.charCodeAt(e - 1) === SPACE) e--;
      if (e === i) throw new Unsupported();
      const raw = text.slice(i, e);
      const v = resolvePlain(raw);
      key = v === null ? 'null' : String(v);
      this.end = e;
    }
    this.w = this.where(this.line, i, this.line, this.end);
    return key;
  }

  /**
   * A node that starts on the current line at `i`: a scalar, a flow collection, or a tagged node
   * (whose content may be the block on the following lines). Leaves `line` after the node.
   */
  private inlineNode(i: number, lineEnd: number, parentIndent: number, depth: number): unknown {
    if (this.text.charCodeAt(i) === BANG) return this.taggedBlockOrInline(i, lineEnd, parentIndent, depth);
    const v = this.flowOrScalar(i, lineEnd, depth, false);
    this.finishLine(lineEnd, parentIndent);
    return v;
  }

  /** After a one-line value: only blanks or a comment may follow, and no more indented line (it would continue the value, or be an error). */
  private finishLine(lineEnd: number, parentIndent: number): void {
    if (!this.restIsBlank(this.end, lineEnd)) throw new Unsupported();
    this.line++;
    if (this.skipToContent() && this.indentOf(this.line) > parentIndent) throw new Unsupported();
  }

  private tagName(i: number, lineEnd: number): { long: string; tag: string; after: number } {
    const { text } = this;
    let j = i + 1;
    while (j < lineEnd) {
      const c = text.charCodeAt(j);
      if (c === SPACE || isFlowIndicator(c)) break;
      j++;
    }
    const tag = text.slice(i, j);
    const long = this.tags && Object.hasOwn(this.tags, tag) ? this.tags[tag] : undefined;
    if (long === undefined) throw new Unsupported();
    if (j < lineEnd && text.charCodeAt(j) !== SPACE) throw new Unsupported();
    return { long, tag, after: j };
  }

  private taggedBlockOrInline(i: number, lineEnd: number, parentIndent: number, depth: number): unknown {
    const { text } = this;
    const { long, tag, after } = this.tagName(i, lineEnd);
    let j = after;
    while (j < lineEnd && text.charCodeAt(j) === SPACE) j++;
    if (j < lineEnd && text.charCodeAt(j) !== HASH) {
      const v = this.taggedInline(i, long, tag, j, lineEnd, depth, false);
      this.finishLine(lineEnd, parentIndent);
      return v;
    }
    // `key: !Tag` then the block on the next lines (more indented)
    const tagLine = this.line;
    this.line++;
    if (!this.skipToContent()) throw new Unsupported();
    const ind = this.indentOf(this.line);
    if (ind <= parentIndent) throw new Unsupported();
    // the tagged node and its content are one node (the block counts it)
    const inner = this.block(this.line, (this.starts[this.line] as number) + ind, ind, depth);
    // fastYaml positions the tagged node's container with the tagged node's span (from the tag to the block's end)
    const w = this.span(tagLine, i, this.w as Where);
    const innerInfo = this.positions.get(inner as object);
    if (innerInfo) this.positions.set(inner as object, { ...innerInfo, where: w });
    const out = { [long]: inner };
    this.positions.set(out, { where: w, keys: new Map([[long, { key: w, value: w }]]) });
    this.w = w;
    return out;
  }

  /** `!Tag content` with the content on the same line at `j`. */
  private taggedInline(i: number, long: string, tag: string, j: number, lineEnd: number, depth: number, inFlow: boolean): unknown {
    const { text } = this;
    const c = text.charCodeAt(j);
    let inner: unknown;
    let scalar = false;
    this.count(depth); // the tagged node and its content are one node
    if (c === LBRACKET || c === LBRACE) {
      inner = this.flowCollection(j, lineEnd, depth, true);
    } else if (c === QUOTE || c === DQUOTE) {
      inner = this.quoted(j, lineEnd);
      scalar = true;
    } else {
      inner = this.plain(j, lineEnd, inFlow);
      scalar = true;
    }
    if (scalar && tag === '!GetAtt' && typeof inner === 'string') {
      const dot = inner.indexOf('.');
      inner = dot > 0 ? [inner.slice(0, dot), inner.slice(dot + 1)] : [inner];
    }
    const w = scalar ? this.where(this.line, i, this.line, this.end) : this.span(this.line, i, this.w as Where);
    if (!scalar) {
      const info = this.positions.get(inner as object);
      if (info) this.positions.set(inner as object, { ...info, where: w });
    } else if (Array.isArray(inner)) this.positions.set(inner, { where: w, items: inner.map(() => w) });
    const out = { [long]: inner };
    this.positions.set(out, { where: w, keys: new Map([[long, { key: w, value: w }]]) });
    this.w = w;
    return out;
  }

  /* ---------------------------------------------------------------- scalars and flow */

  /** A scalar or flow collection at `i` on the current line; sets `w` and `end`. */
  private flowOrScalar(i: number, lineEnd: number, depth: number, inFlow: boolean): unknown {
    const { text } = this;
    const c = text.charCodeAt(i);
    if (c === LBRACKET || c === LBRACE) return this.flowCollection(i, lineEnd, depth, false);
    if (c === BANG) {
      const { long, tag, after } = this.tagName(i, lineEnd);
      let j = after;
      while (j < lineEnd && text.charCodeAt(j) === SPACE) j++;
      if (j >= lineEnd || text.charCodeAt(j) === HASH || isFlowIndicator(text.charCodeAt(j))) throw new Unsupported();
      return this.taggedInline(i, long, tag, j, lineEnd, depth, inFlow);
    }
    this.count(depth);
    let v: unknown;
    if (c === QUOTE || c === DQUOTE) v = this.quoted(i, lineEnd);
    else v = resolvePlain(this.plain(i, lineEnd, inFlow));
    this.w = this.where(this.line, i, this.line, this.end);
    return v;
  }

  /** Offset after the closing quote of the quoted scalar at `i` (on this line), or throws. */
  private quotedEnd(i: number, lineEnd: number): number {
    const { text } = this;
    const q = text.charCodeAt(i);
    for (let j = i + 1; j < lineEnd; j++) {
      const c = text.charCodeAt(j);
      if (q === QUOTE) {
        if (c === QUOTE) {
          if (text.charCodeAt(j + 1) === QUOTE && j + 1 < lineEnd) j++;
          else return j + 1;
        }
      } else if (c === 0x5c) j++;
      else if (c === DQUOTE) return j + 1;
    }
    throw new Unsupported(); // multi-line
  }

  private quoted(i: number, lineEnd: number): string {
    const { text } = this;
    const close = this.quotedEnd(i, lineEnd);
    this.end = close;
    const body = text.slice(i + 1, close - 1);
    if (text.charCodeAt(i) === QUOTE) return body.includes("'") ? body.replaceAll("''", "'") : body;
    if (!body.includes('\\')) return body;
    let out = '';
    for (let j = 0; j < body.length; j++) {
      const c = body.charCodeAt(j);
      if (c !== 0x5c) {
        out += body[j];
        continue;
      }
      const e = body.charCodeAt(++j);
      const simple = escapeChar(e);
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const len = e === 0x78 ? 2 : e === 0x75 ? 4 : e === 0x55 ? 8 : 0;
      if (len === 0) throw new Unsupported();
      const hex = body.slice(j + 1, j + 1 + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw new Unsupported();
      out += fromCodepoint(Number.parseInt(hex, 16));
      j += len;
    }
    return out;
  }

  /** A one-line plain scalar at `i`; sets `end` (after its last non-blank character). */
  private plain(i: number, lineEnd: number, inFlow: boolean): string {
    const { text } = this;
    const c = text.charCodeAt(i);
    if (isIndicatorStart(c, text.charCodeAt(i + 1), i + 1 >= lineEnd) || (inFlow && isFlowIndicator(c))) throw new Unsupported();
    let j = i;
    let last = i;
    for (; j < lineEnd; j++) {
      const ch = text.charCodeAt(j);
      if (ch === SPACE) continue;
      if (ch === HASH && text.charCodeAt(j - 1) === SPACE) break;
      if (ch === COLON) {
        const n = text.charCodeAt(j + 1);
        if (j + 1 >= lineEnd || n === SPACE) {
          if (inFlow) break; // `key: value` inside a flow collection: the caller decides
          throw new Unsupported(); // a mapping where a scalar was expected
        }
        if (inFlow && isFlowIndicator(n)) break;
      }
      if (inFlow && isFlowIndicator(ch)) break;
      last = j + 1;
    }
    this.end = last;
    return text.slice(i, last);
  }

  /** A one-line flow sequence or mapping at `i`; sets `w` and `end`. */
  private flowCollection(i: number, lineEnd: number, depth: number, tagged: boolean): unknown {
    const { text } = this;
    if (!tagged) this.count(depth);
    const isSeq = text.charCodeAt(i) === LBRACKET;
    const close = isSeq ? RBRACKET : RBRACE;
    const seq: unknown[] = [];
    const items: Where[] = [];
    const map: Record<string, unknown> = {};
    const keys = new Map<string, { key: Where; value: Where }>();
    let j = i + 1;
    let last: Where | undefined;
    const skip = () => {
      while (j < lineEnd && text.charCodeAt(j) === SPACE) j++;
      if (j >= lineEnd || text.charCodeAt(j) === HASH) throw new Unsupported(); // multi-line
    };
    skip();
    if (text.charCodeAt(j) !== close) {
      for (;;) {
        if (isSeq) {
          const v = this.flowOrScalar(j, lineEnd, depth + 1, true);
          seq.push(v);
          items.push(this.w as Where);
          last = this.w;
          j = this.end;
          skip();
          if (text.charCodeAt(j) === COLON) throw new Unsupported(); // `[a: b]`
        } else {
          const kc = text.charCodeAt(j);
          let key: string;
          this.count(depth + 1);
          if (kc === QUOTE || kc === DQUOTE) key = this.quoted(j, lineEnd);
          else {
            if (kc === BANG || kc === LBRACKET || kc === LBRACE) throw new Unsupported();
            const raw = this.plain(j, lineEnd, true);
            if (raw === '') throw new Unsupported();
            const v = resolvePlain(raw);
            key = v === null ? 'null' : String(v);
          }
          const kw = this.where(this.line, j, this.line, this.end);
          j = this.end;
          while (j < lineEnd && text.charCodeAt(j) === SPACE) j++;
          if (text.charCodeAt(j) !== COLON) throw new Unsupported(); // `{a}` or `{a, b}`
          if (text.charCodeAt(j + 1) !== SPACE) throw new Unsupported();
          j++;
          skip();
          const vc = text.charCodeAt(j);
          if (vc === COMMA || vc === close) throw new Unsupported(); // empty value
          if (Object.hasOwn(map, key) || key === '__proto__') throw new Unsupported();
          const v = this.flowOrScalar(j, lineEnd, depth + 1, true);
          map[key] = v;
          keys.set(key, { key: kw, value: this.w as Where });
          last = this.w;
          j = this.end;
          skip();
        }
        const d = text.charCodeAt(j);
        if (d === close) break;
        if (d !== COMMA) throw new Unsupported();
        j++;
        skip();
        if (text.charCodeAt(j) === close || text.charCodeAt(j) === COMMA) throw new Unsupported(); // trailing or double comma
      }
    }
    const after = j + 1;
    // the span ends with the last item's span (fastYaml's endOf), or after the bracket when empty;
    // `end` is where parsing resumes
    const w = last ? this.span(this.line, i, last) : this.where(this.line, i, this.line, after);
    const out = isSeq ? seq : map;
    this.positions.set(out, isSeq ? { where: w, items } : { where: w, keys });
    this.w = w;
    this.end = after;
    return out;
  }
}

/** Characters that cannot start a plain scalar (or a key) here: indicators, and `- `, `? `, `: `. */
function isIndicatorStart(c: number, next: number, atEnd: boolean): boolean {
  if (c === DASH || c === 63 || c === COLON) return atEnd || next === SPACE;
  return (
    c === HASH ||
    c === 38 || // &
    c === 42 || // *
    c === BANG ||
    c === 124 || // |
    c === 62 || // >
    c === QUOTE ||
    c === DQUOTE ||
    c === 37 || // %
    c === 64 || // @
    c === 96 || // `
    c === COMMA ||
    c === LBRACKET ||
    c === RBRACKET ||
    c === LBRACE ||
    c === RBRACE
  );
}

export function parseBlockYaml(
  text: string,
  file: string,
  limits: { maxDepth: number; maxNodes: number },
  cfnTags: Readonly<Record<string, string>> | undefined,
): { value: unknown; positions: PositionMap } | undefined {
  // js-yaml appends a line break to a text without one: positions at the very end would differ
  if (!text.endsWith('\n') || text.charCodeAt(0) === 0xfeff || text.includes('\r') || text.includes('\t') || NON_PRINTABLE.test(text))
    return undefined;
  const p = new BlockParser(text, file, limits.maxDepth, limits.maxNodes, cfnTags);
  try {
    const value = p.document();
    return { value, positions: p.positions };
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
