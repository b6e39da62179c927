/**
 * The HCL2 syntax tree produced by `parseHcl` (native syntax) and `parseHclJson` (JSON syntax).
 * Every node carries a `Range` (1-based line/column plus 0-based offsets into the source text).
 */

export interface Pos {
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units */
  column: number;
  /** 0-based offset into the source text */
  offset: number;
}

export interface Range {
  start: Pos;
  end: Pos;
}

export interface Attribute {
  type: 'attribute';
  name: string;
  expr: Expr;
  range: Range;
  nameRange: Range;
}

export interface Block {
  type: 'block';
  blockType: string;
  labels: string[];
  body: Body;
  range: Range;
}

export interface Body {
  attributes: Attribute[];
  blocks: Block[];
  range: Range;
}

/** A piece of a template: literal text, an interpolation `${...}` or a directive `%{...}`. */
export type TemplatePart =
  | { type: 'text'; value: string }
  | { type: 'interp'; expr: Expr }
  | { type: 'if'; cond: Expr; whenTrue: TemplatePart[]; whenFalse?: TemplatePart[] }
  | { type: 'for'; keyVar?: string; valVar: string; coll: Expr; body: TemplatePart[] };

interface Node {
  range: Range;
  /** Source text when it is not a slice of the file (expressions converted from JSON syntax). */
  text?: string;
}

export interface LiteralExpr extends Node {
  type: 'literal';
  value: string | number | boolean | null;
}
export interface TemplateExpr extends Node {
  type: 'template';
  parts: TemplatePart[];
  heredoc?: boolean;
}
export interface TupleExpr extends Node {
  type: 'tuple';
  items: Expr[];
}
export interface ObjectItem {
  key: Expr;
  value: Expr;
  range: Range;
}
export interface ObjectExpr extends Node {
  type: 'object';
  items: ObjectItem[];
}
/** A root variable name: `var`, `local`, `aws_lambda_function`, `each`, `count`, `path`... */
export interface VariableExpr extends Node {
  type: 'variable';
  name: string;
}
export interface GetAttrExpr extends Node {
  type: 'getattr';
  object: Expr;
  name: string;
}
export interface IndexExpr extends Node {
  type: 'index';
  object: Expr;
  key: Expr;
}
/** `x[*].a.b` or `x.*.a`: `each` is the traversal applied to every element (relative to `splat-item`). */
export interface SplatExpr extends Node {
  type: 'splat';
  object: Expr;
  each: Expr;
}
/** The placeholder for the current element inside a splat's `each`. */
export interface SplatItemExpr extends Node {
  type: 'splat-item';
}
export interface CallExpr extends Node {
  type: 'call';
  name: string;
  args: Expr[];
  /** `f(list...)` */
  expandFinal: boolean;
}
export interface UnaryExpr extends Node {
  type: 'unary';
  op: '!' | '-';
  operand: Expr;
}
export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';
export interface BinaryExpr extends Node {
  type: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}
export interface ConditionalExpr extends Node {
  type: 'conditional';
  cond: Expr;
  whenTrue: Expr;
  whenFalse: Expr;
}
export interface ForExpr extends Node {
  type: 'for';
  keyVar?: string;
  valVar: string;
  coll: Expr;
  /** Object `for` (`{ for k, v in x : k => v }`) has a key expression. */
  keyExpr?: Expr;
  valExpr: Expr;
  cond?: Expr;
  grouping: boolean;
}
export interface ParenExpr extends Node {
  type: 'paren';
  expr: Expr;
}
/** A syntax error inside an expression (the parser recovered). */
export interface InvalidExpr extends Node {
  type: 'invalid';
}

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | SplatItemExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ForExpr
  | ParenExpr
  | InvalidExpr;

export interface HclError {
  message: string;
  line: number;
  column: number;
  code: 'hcl-parse' | 'hcl-too-deep' | 'hcl-too-large' | 'hcl-binary';
}

export interface HclFile {
  body: Body;
  /** The source text (expressions keep offsets into it: `exprText` slices it). */
  text: string;
  errors: HclError[];
}
