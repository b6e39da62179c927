/**
 * The taint IR: a small, language-neutral program form between a language front end (JS/TS from
 * the oxc ESTree in ./lowerJs.ts; Python next) and the taint engine (./engine.ts). It keeps what
 * data flow needs (bindings, member reads and writes, calls, string building, functions, imports,
 * branches, loops, try/catch, returns, exports) and drops everything else into `opaque`/`clean`.
 * Positions are resolved by the front end, so the engine never sees source text.
 */

export interface Loc {
  /** The file to report (absolute; the template for inline code). */
  file: string;
  line: number;
  column: number;
}

export type Expr =
  /** A literal. `value` is kept for strings (shell flags, content types, encodings, regex sources). */
  | { k: 'lit'; value?: string | number | boolean | null; regex?: string; loc?: Loc }
  | { k: 'var'; name: string; loc: Loc }
  /** Member read: `prop` when static, `key` when computed. */
  | { k: 'get'; obj: Expr; prop?: string; key?: Expr; loc: Loc }
  /** `tagged`: a tagged template (`sql\`...${x}\``): the tag receives the interpolations as values, not as text. */
  | { k: 'call'; callee: Expr; args: Expr[]; isNew?: boolean; tagged?: boolean; loc: Loc }
  | { k: 'obj'; props: ObjProp[]; loc: Loc }
  | { k: 'arr'; elems: Expr[]; loc: Loc }
  /** String building: template literals, `+` on strings, `.concat`. */
  | { k: 'concat'; parts: Expr[]; loc: Loc }
  /** The value is one of the parts (`a ? b : c`, `a || b`, `a ?? b`). */
  | { k: 'join'; parts: Expr[] }
  /** Evaluate every part for its effects; the value is the last (comma operator, `await`, casts). */
  | { k: 'seq'; parts: Expr[] }
  /** Evaluate the parts; the value carries no taint (comparisons, arithmetic, `typeof`, `!`). */
  | { k: 'clean'; parts: Expr[] }
  | { k: 'func'; fn: Func }
  /** An import binding: `name` is the imported name, `*` for the namespace, undefined for `require`/CJS. */
  | { k: 'import'; spec: string; name?: string; loc: Loc }
  /** A dynamic import / require with a computed specifier (evaluated for INJ-11). */
  | { k: 'dynImport'; spec: Expr; loc: Loc }
  /** Assignment as an expression; the value is the assigned value. */
  | { k: 'assign'; target: Pattern; value: Expr; loc: Loc }
  /** The `catch` parameter or a rejected promise's reason: an error object. */
  | { k: 'error'; loc: Loc };

export interface ObjProp {
  key?: string;
  keyExpr?: Expr;
  value: Expr;
  spread?: boolean;
}

export type Pattern =
  | { k: 'name'; name: string; loc: Loc }
  | { k: 'obj'; props: { key?: string; keyExpr?: Expr; value: Pattern }[]; rest?: Pattern; loc: Loc }
  | { k: 'arr'; elems: (Pattern | null)[]; rest?: Pattern; loc: Loc }
  | { k: 'default'; target: Pattern; value: Expr }
  /** An assignment target `obj.prop` / `obj[key]`. */
  | { k: 'member'; obj: Expr; prop?: string; key?: Expr; loc: Loc }
  /** A target the engine ignores. */
  | { k: 'none' };

export type Stmt =
  | { k: 'expr'; e: Expr }
  | { k: 'decl'; target: Pattern; value?: Expr; loc: Loc }
  | { k: 'return'; e?: Expr; loc: Loc }
  | { k: 'throw'; e: Expr; loc: Loc }
  | { k: 'if'; test: Expr; yes: Stmt[]; no: Stmt[]; loc: Loc; guard?: Guard }
  /** `bind` for `for (x of/in y)`; the body runs twice so loop-carried flows are seen. */
  | { k: 'loop'; body: Stmt[]; bind?: { target: Pattern; from: Expr; mode: 'of' | 'in' }; test?: Expr }
  | { k: 'try'; body: Stmt[]; param?: Pattern; handler: Stmt[]; finalizer: Stmt[]; loc: Loc }
  | { k: 'block'; body: Stmt[] }
  /** An ESM export: `export const x`, `export default`, `export { a as b }`. */
  | { k: 'export'; name: string; value: Expr }
  | { k: 'exportFrom'; spec: string; name?: string; as?: string; loc: Loc };

/**
 * A validating test the front end recognised: `if (!/^[a-z]+$/.test(x)) return ...`,
 * `if (!ALLOWED.includes(x)) throw ...`, `if (typeof x !== 'number') ...`, `if (!validate(x)) ...`.
 * `target` is the tested variable and property path (`['body', 'name']`).
 */
export interface Guard {
  target: string[];
  kind: 'regex' | 'allowlist' | 'prefix' | 'type' | 'validator';
  /** True when the `yes` branch runs for invalid input (`if (!ok(x))`). */
  negated: boolean;
  /** True when the `yes` branch always leaves (return / throw): the code after the `if` sees valid input. */
  exits: boolean;
}

export interface Func {
  /** Unique within the analysis (file + offset). */
  id: string;
  name?: string;
  params: Pattern[];
  body: Stmt[];
  loc: Loc;
  /** Declared type of the first parameter / the function (`APIGatewayProxyHandler`), for the trigger. */
  typeHint?: string;
}

export interface ModuleIR {
  /** The module's key (absolute path, or the virtual path of inline code). */
  file: string;
  body: Stmt[];
  /** Evidence the front end collected for the rules that need it. */
  evidence: {
    /** Some input validation is visible (a schema library, `typeof` checks, regex tests, 4xx answers). */
    validation: boolean;
    /** Locations of writes to `/tmp` and whether the module deletes files (`unlink`/`rm`). */
    deletesFiles: boolean;
  };
}
