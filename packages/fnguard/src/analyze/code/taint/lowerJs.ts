/**
 * The JS/TS front end of the taint engine: lowers an oxc ESTree / TS-ESTree program to the
 * language-neutral IR of ./ir.ts. Types are erased (casts and `!` vanish); a handler type
 * annotation (`APIGatewayProxyHandler`) is kept as a hint for the trigger.
 */
import type { ParsedModule } from '../types.js';
import type { Expr, Func, Guard, Loc, ModuleIR, ObjProp, Pattern, Stmt } from './ir.js';

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes from oxc-parser
type Node = any;

const VALIDATION_PACKAGES =
  /^(zod|joi|@hapi\/joi|ajv|yup|superstruct|valibot|class-validator|@sinclair\/typebox|express-validator|celebrate|@middy\/validator|@aws-lambda-powertools\/parser|io-ts|runtypes|@vinejs\/vine|fastest-validator|validator)(\/|$)/;
const DELETE_METHODS = new Set(['unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'remove', 'removeSync', 'emptyDir']);
const VALIDATION_CALLS = new Set(['isInteger', 'isSafeInteger', 'isFinite', 'isArray', 'isNaN', 'test']);

const VALIDATION_TEXT =
  /\btypeof\b|\binstanceof\b|\.test\(|\bstatusCode\s*:\s*4(00|22)\b|\b(Number\.isInteger|Number\.isSafeInteger|Number\.isFinite|Array\.isArray|isNaN)\(|if\s*\(\s*!\s*[\w.$]+\.(includes|has|startsWith)\(|\b(is)?[vV]alid(ate)?\w*\(/;
const IMPORT_SPEC = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g;
const DELETE_TEXT = /\.(unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|remove|removeSync|emptyDir)\s*\(|\b(unlink|unlinkSync|rm|rmSync)\s*\(/;

/** Evidence read from the text, so that it does not depend on which bodies the engine lowered. */
function textEvidence(source: string): ModuleIR['evidence'] {
  let validation = VALIDATION_TEXT.test(source);
  let deletesFiles = DELETE_TEXT.test(source);
  for (const m of source.matchAll(IMPORT_SPEC)) {
    const spec = m[1] ?? '';
    if (VALIDATION_PACKAGES.test(spec)) validation = true;
    if (/^(tmp|tmp-promise|tempy)$/.test(spec)) deletesFiles = true;
  }
  return { validation, deletesFiles };
}

/** How a lazy function lowers its parameters and body (the closures of one `lowerJs` call). */
interface FuncLowerer {
  params(n: Node): Pattern[];
  body(n: Node): Stmt[];
}

/**
 * A function whose parameters and body are lowered on first read. A class rather than an object
 * literal with getters: creating a literal with accessors is a slow path in V8 (it was a quarter of
 * the lowering time), an instance of a class with prototype getters is a plain allocation.
 * The getters live on the prototype: copy `params`/`body` explicitly to clone a Func (see
 * bench/code-lower.worker.ts).
 */
class LazyFunc implements Func {
  name?: string;
  typeHint?: string;
  private loweredParams: Pattern[] | undefined = undefined;
  private loweredBody: Stmt[] | undefined = undefined;
  constructor(
    readonly id: string,
    readonly loc: Loc,
    private readonly node: Node,
    private readonly lowerer: FuncLowerer,
  ) {}
  get params(): Pattern[] {
    this.loweredParams ??= this.lowerer.params(this.node);
    return this.loweredParams;
  }
  get body(): Stmt[] {
    this.loweredBody ??= this.lowerer.body(this.node);
    return this.loweredBody;
  }
}

export function lowerJs(m: ParsedModule): ModuleIR {
  const file = m.reportFile ?? m.file;
  const evidence = textEvidence(m.source);
  const loc = (n: Node): Loc => {
    const p = m.position(typeof n?.start === 'number' ? n.start : 0);
    return { file, line: p.line, column: p.column };
  };
  let fnCounter = 0;
  const fnId = (n: Node) => `${m.file}#${n?.start ?? fnCounter++}`;

  const typeName = (t: Node): string | undefined => {
    const ann = t?.typeAnnotation?.typeAnnotation ?? t?.typeAnnotation;
    if (ann?.type === 'TSTypeReference') {
      const n = ann.typeName;
      return n?.type === 'Identifier' ? n.name : n?.type === 'TSQualifiedName' ? n.right?.name : undefined;
    }
    return undefined;
  };

  // IR nodes are built in one literal per shape (no conditional spreads): fewer temporary objects and stable shapes
  const lit = (value?: string | number | boolean | null): Expr => (value !== undefined ? { k: 'lit', value } : { k: 'lit' });

  const lowerer: FuncLowerer = {
    params: (n) => (n.params ?? []).map((p: Node) => pattern(p.type === 'TSParameterProperty' ? p.parameter : p)),
    body: (n) => {
      if (n.body?.type === 'BlockStatement') return block(n.body.body);
      if (n.body) return [{ k: 'return', e: expr(n.body), loc: loc(n.body) }];
      return [];
    },
  };

  /** Functions are lowered lazily: the engine only ever looks at the bodies it calls. */
  function func(n: Node, name?: string, typeHint?: string): Func {
    const hint = typeHint ?? typeName(n.params?.[0]);
    const fnName = name ?? n.id?.name;
    const f = new LazyFunc(fnId(n), loc(n), n, lowerer);
    if (fnName) f.name = fnName;
    if (hint) f.typeHint = hint;
    return f;
  }

  function classValue(n: Node): Expr {
    const props: ObjProp[] = [];
    for (const el of n.body?.body ?? []) {
      if ((el.type === 'MethodDefinition' || el.type === 'TSAbstractMethodDefinition') && el.value && el.key?.type === 'Identifier')
        props.push({ key: el.key.name, value: { k: 'func', fn: func(el.value, el.key.name) } });
      else if (el.type === 'PropertyDefinition' && el.value && el.key?.type === 'Identifier')
        props.push({ key: el.key.name, value: expr(el.value) });
    }
    return { k: 'obj', props, loc: loc(n) };
  }

  function pattern(n: Node): Pattern {
    if (!n) return { k: 'none' };
    switch (n.type) {
      case 'Identifier':
        return { k: 'name', name: n.name, loc: loc(n) };
      case 'ObjectPattern': {
        const props: { key?: string; keyExpr?: Expr; value: Pattern }[] = [];
        let rest: Pattern | undefined;
        for (const p of n.properties) {
          if (p.type === 'RestElement') rest = pattern(p.argument);
          else {
            const key = propertyKey(p, false);
            props.push(key !== undefined ? { key, value: pattern(p.value) } : { keyExpr: expr(p.key), value: pattern(p.value) });
          }
        }
        return { k: 'obj', props, ...(rest ? { rest } : {}), loc: loc(n) };
      }
      case 'ArrayPattern': {
        let rest: Pattern | undefined;
        const elems: (Pattern | null)[] = [];
        for (const e of n.elements) {
          if (e?.type === 'RestElement') rest = pattern(e.argument);
          else elems.push(e ? pattern(e) : null);
        }
        return { k: 'arr', elems, ...(rest ? { rest } : {}), loc: loc(n) };
      }
      case 'AssignmentPattern':
        return { k: 'default', target: pattern(n.left), value: expr(n.right) };
      case 'RestElement':
        return pattern(n.argument);
      case 'MemberExpression': {
        const prop = memberProp(n);
        const obj = expr(n.object);
        return prop !== undefined ? { k: 'member', obj, prop, loc: loc(n) } : { k: 'member', obj, key: expr(n.property), loc: loc(n) };
      }
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
      case 'ParenthesizedExpression':
        return pattern(n.expression);
      case 'TSParameterProperty':
        return pattern(n.parameter);
      default:
        return { k: 'none' };
    }
  }

  function memberProp(n: Node): string | undefined {
    if (!n.computed) return n.property?.name;
    const p = n.property;
    if (p?.type === 'Literal' && (typeof p.value === 'string' || typeof p.value === 'number')) return String(p.value);
    if (p?.type === 'TemplateLiteral' && p.expressions.length === 0) return p.quasis[0]?.value?.cooked ?? undefined;
    return undefined;
  }

  /** The static key of an object property or pattern property (`{ a: 1 }`, `{ 'b': 2 }`, `` { [`c`]: 3 } ``). */
  function propertyKey(p: Node, computedStrings: boolean): string | undefined {
    if (p.computed) return computedStrings ? staticString(p.key) : undefined;
    if (p.key?.type === 'Identifier') return p.key.name;
    return p.key?.value != null ? String(p.key.value) : undefined;
  }

  function staticString(n: Node): string | undefined {
    if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
    if (n?.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0]?.value?.cooked ?? undefined;
    return undefined;
  }

  function noteImport(spec: string) {
    if (VALIDATION_PACKAGES.test(spec)) evidence.validation = true;
    if (/^(tmp|tmp-promise|tempy)$/.test(spec)) evidence.deletesFiles = true;
  }

  function args(list: Node[]): Expr[] {
    return list.map((a) => (a.type === 'SpreadElement' ? expr(a.argument) : expr(a)));
  }

  function expr(n: Node): Expr {
    if (!n) return lit();
    switch (n.type) {
      case 'Identifier':
        return n.name === 'undefined' ? lit(null) : { k: 'var', name: n.name, loc: loc(n) };
      case 'ThisExpression':
        return { k: 'var', name: 'this', loc: loc(n) };
      case 'Literal':
        // no position: the engine never reports at a literal (data tables make literals a large share of nodes)
        if (n.regex) return { k: 'lit', regex: String(n.regex.pattern) };
        return { k: 'lit', value: typeof n.value === 'bigint' ? String(n.value) : n.value };
      case 'TemplateLiteral': {
        const parts: Expr[] = [];
        n.quasis.forEach((q: Node, i: number) => {
          const text = q.value?.cooked ?? q.value?.raw ?? '';
          if (text) parts.push(lit(text));
          if (i < n.expressions.length) parts.push(expr(n.expressions[i]));
        });
        return { k: 'concat', parts, loc: loc(n) };
      }
      case 'TaggedTemplateExpression':
        return { k: 'call', callee: expr(n.tag), args: n.quasi.expressions.map(expr), tagged: true, loc: loc(n) };
      case 'MemberExpression': {
        const prop = memberProp(n);
        const obj = expr(n.object);
        return prop !== undefined
          ? { k: 'get', obj, prop, loc: loc(n.property ?? n) }
          : { k: 'get', obj, key: expr(n.property), loc: loc(n.property ?? n) };
      }
      case 'ChainExpression':
      case 'ParenthesizedExpression':
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
      case 'TSInstantiationExpression':
        return expr(n.expression);
      case 'CallExpression': {
        const c = n.callee;
        if (c?.type === 'Identifier' && c.name === 'require' && n.arguments.length >= 1) {
          const s = staticString(n.arguments[0]);
          if (s !== undefined) {
            noteImport(s);
            return { k: 'import', spec: s, loc: loc(n) };
          }
          return { k: 'dynImport', spec: expr(n.arguments[0]), loc: loc(n) };
        }
        if (c?.type === 'MemberExpression') {
          const name = memberProp(c);
          if (name && DELETE_METHODS.has(name)) evidence.deletesFiles = true;
          if (name && VALIDATION_CALLS.has(name)) evidence.validation = true;
        }
        return { k: 'call', callee: expr(c), args: args(n.arguments), loc: loc(n) };
      }
      case 'NewExpression':
        return { k: 'call', callee: expr(n.callee), args: args(n.arguments), isNew: true, loc: loc(n) };
      case 'ImportExpression': {
        const s = staticString(n.source);
        if (s !== undefined) {
          noteImport(s);
          return { k: 'import', spec: s, name: '*', loc: loc(n) };
        }
        return { k: 'dynImport', spec: expr(n.source), loc: loc(n) };
      }
      case 'ObjectExpression': {
        const props: ObjProp[] = [];
        for (const p of n.properties) {
          if (p.type === 'SpreadElement') {
            props.push({ spread: true, value: expr(p.argument) });
            continue;
          }
          const key = propertyKey(p, true);
          if (key === 'statusCode' && p.value?.type === 'Literal' && (p.value.value === 400 || p.value.value === 422))
            evidence.validation = true;
          const value: Expr =
            p.kind === 'get' || p.kind === 'set'
              ? lit()
              : p.value?.type === 'FunctionExpression' || p.value?.type === 'ArrowFunctionExpression'
                ? { k: 'func', fn: func(p.value, key) }
                : expr(p.value);
          props.push(key !== undefined ? { key, value } : { keyExpr: expr(p.key), value });
        }
        return { k: 'obj', props, loc: loc(n) };
      }
      case 'ArrayExpression': {
        const elems: Expr[] = [];
        for (const e of n.elements) if (e) elems.push(e.type === 'SpreadElement' ? expr(e.argument) : expr(e));
        return { k: 'arr', elems, loc: loc(n) };
      }
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        return { k: 'func', fn: func(n) };
      case 'ClassExpression':
        return classValue(n);
      case 'AssignmentExpression': {
        const target = pattern(n.left);
        if (n.operator === '=') {
          const r = n.right;
          const named =
            (r?.type === 'ArrowFunctionExpression' || r?.type === 'FunctionExpression') && n.left?.type === 'MemberExpression'
              ? memberProp(n.left)
              : undefined;
          return { k: 'assign', target, value: named ? { k: 'func', fn: func(r, named) } : expr(r), loc: loc(n) };
        }
        if (n.operator === '+=')
          return { k: 'assign', target, value: { k: 'concat', parts: [expr(n.left), expr(n.right)], loc: loc(n) }, loc: loc(n) };
        if (n.operator === '||=' || n.operator === '??=' || n.operator === '&&=')
          return { k: 'assign', target, value: { k: 'join', parts: [expr(n.left), expr(n.right)] }, loc: loc(n) };
        return { k: 'assign', target, value: { k: 'clean', parts: [expr(n.left), expr(n.right)] }, loc: loc(n) };
      }
      case 'BinaryExpression':
        if (n.operator === '+') return { k: 'concat', parts: [expr(n.left), expr(n.right)], loc: loc(n) };
        if (n.operator === 'instanceof') evidence.validation = true;
        return { k: 'clean', parts: [expr(n.left), expr(n.right)] };
      case 'LogicalExpression':
        return n.operator === '&&'
          ? { k: 'seq', parts: [expr(n.left), expr(n.right)] }
          : { k: 'join', parts: [expr(n.left), expr(n.right)] };
      case 'ConditionalExpression':
        return {
          k: 'seq',
          parts: [
            { k: 'clean', parts: [expr(n.test)] },
            { k: 'join', parts: [expr(n.consequent), expr(n.alternate)] },
          ],
        };
      case 'UnaryExpression':
        if (n.operator === 'typeof') evidence.validation = true;
        return { k: 'clean', parts: [expr(n.argument)] };
      case 'UpdateExpression':
        return { k: 'clean', parts: [expr(n.argument)] };
      case 'AwaitExpression':
      case 'YieldExpression':
        return { k: 'seq', parts: [expr(n.argument)] };
      case 'SequenceExpression':
        return { k: 'seq', parts: n.expressions.map(expr) };
      case 'SpreadElement':
        return expr(n.argument);
      default:
        return lit();
    }
  }

  /** Function declarations first (hoisting), then the statements in order. */
  function block(list: Node[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of list) if (s?.type === 'FunctionDeclaration' && s.id) out.push(fnDecl(s));
    for (const s of list) {
      if (s?.type === 'FunctionDeclaration') continue;
      if (
        (s?.type === 'ExportNamedDeclaration' || s?.type === 'ExportDefaultDeclaration') &&
        s.declaration?.type === 'FunctionDeclaration' &&
        s.declaration.id
      ) {
        out.unshift(fnDecl(s.declaration));
        out.push({
          k: 'export',
          name: s.type === 'ExportDefaultDeclaration' ? 'default' : s.declaration.id.name,
          value: { k: 'var', name: s.declaration.id.name, loc: loc(s.declaration.id) },
        });
        continue;
      }
      stmt(s, out);
    }
    return out;
  }

  function fnDecl(s: Node): Stmt {
    return { k: 'decl', target: { k: 'name', name: s.id.name, loc: loc(s.id) }, value: { k: 'func', fn: func(s) }, loc: loc(s) };
  }

  function varDecl(s: Node, out: Stmt[]) {
    for (const d of s.declarations) {
      const hint = typeName(d.id);
      let value: Expr | undefined;
      if (d.init && (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression'))
        value = { k: 'func', fn: func(d.init, d.id?.name, hint) };
      else if (d.init) value = expr(d.init);
      const target = pattern(d.id);
      out.push(value ? { k: 'decl', target, value, loc: loc(d) } : { k: 'decl', target, loc: loc(d) });
    }
  }

  function stmt(s: Node, out: Stmt[]): void {
    if (!s) return;
    switch (s.type) {
      case 'ExpressionStatement':
        out.push({ k: 'expr', e: expr(s.expression) });
        return;
      case 'VariableDeclaration':
        varDecl(s, out);
        return;
      case 'ClassDeclaration':
        if (s.id) out.push({ k: 'decl', target: { k: 'name', name: s.id.name, loc: loc(s.id) }, value: classValue(s), loc: loc(s) });
        return;
      case 'ReturnStatement':
        out.push(s.argument ? { k: 'return', e: expr(s.argument), loc: loc(s) } : { k: 'return', loc: loc(s) });
        return;
      case 'ThrowStatement':
        out.push({ k: 'throw', e: expr(s.argument), loc: loc(s) });
        return;
      case 'IfStatement': {
        const then = sub(s.consequent);
        const g = guardOf(s.test, exits(s.consequent));
        if (g) evidence.validation = true;
        const test = expr(s.test);
        const no = sub(s.alternate);
        out.push(g ? { k: 'if', test, yes: then, no, loc: loc(s), guard: g } : { k: 'if', test, yes: then, no, loc: loc(s) });
        return;
      }
      case 'BlockStatement':
        out.push({ k: 'block', body: block(s.body) });
        return;
      case 'ForStatement': {
        const body: Stmt[] = [];
        if (s.init) {
          if (s.init.type === 'VariableDeclaration') varDecl(s.init, body);
          else body.push({ k: 'expr', e: expr(s.init) });
        }
        const inner = sub(s.body);
        if (s.update) inner.push({ k: 'expr', e: expr(s.update) });
        body.push(s.test ? { k: 'loop', body: inner, test: expr(s.test) } : { k: 'loop', body: inner });
        out.push({ k: 'block', body });
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const left = s.left.type === 'VariableDeclaration' ? s.left.declarations[0]?.id : s.left;
        out.push({
          k: 'loop',
          body: sub(s.body),
          bind: { target: pattern(left), from: expr(s.right), mode: s.type === 'ForInStatement' ? 'in' : 'of' },
        });
        return;
      }
      case 'WhileStatement':
      case 'DoWhileStatement':
        out.push({ k: 'loop', body: sub(s.body), test: expr(s.test) });
        return;
      case 'TryStatement':
        out.push({
          k: 'try',
          body: block(s.block.body),
          ...(s.handler?.param ? { param: pattern(s.handler.param) } : {}),
          handler: s.handler ? block(s.handler.body.body) : [],
          finalizer: s.finalizer ? block(s.finalizer.body) : [],
          loc: loc(s),
        });
        return;
      case 'SwitchStatement': {
        out.push({ k: 'expr', e: { k: 'clean', parts: [expr(s.discriminant)] } });
        // every case is a possible path: nest them as branches
        let chain: Stmt[] = [];
        for (const c of [...s.cases].reverse()) {
          const body = block(c.consequent);
          chain = [{ k: 'if', test: c.test ? expr(c.test) : lit(true), yes: body, no: chain, loc: loc(c) }];
        }
        out.push(...chain);
        return;
      }
      case 'LabeledStatement':
        stmt(s.body, out);
        return;
      case 'ImportDeclaration': {
        if (s.importKind === 'type') return;
        const spec = String(s.source.value);
        noteImport(spec);
        for (const sp of s.specifiers ?? []) {
          if (sp.importKind === 'type') continue;
          const name =
            sp.type === 'ImportDefaultSpecifier'
              ? 'default'
              : sp.type === 'ImportNamespaceSpecifier'
                ? '*'
                : (sp.imported?.name ?? sp.imported?.value);
          out.push({
            k: 'decl',
            target: { k: 'name', name: sp.local.name, loc: loc(sp.local) },
            value: { k: 'import', spec, name, loc: loc(s) },
            loc: loc(sp),
          });
        }
        return;
      }
      case 'TSImportEqualsDeclaration':
        if (s.moduleReference?.type === 'TSExternalModuleReference') {
          const spec = staticString(s.moduleReference.expression);
          if (spec !== undefined)
            out.push({
              k: 'decl',
              target: { k: 'name', name: s.id.name, loc: loc(s.id) },
              value: { k: 'import', spec, loc: loc(s) },
              loc: loc(s),
            });
        }
        return;
      case 'ExportNamedDeclaration': {
        if (s.exportKind === 'type') return;
        if (s.declaration) {
          const d = s.declaration;
          stmt(d, out);
          if (d.type === 'VariableDeclaration') {
            for (const decl of d.declarations)
              for (const name of boundNames(decl.id)) out.push({ k: 'export', name, value: { k: 'var', name, loc: loc(decl.id) } });
          } else if (d.id?.name) out.push({ k: 'export', name: d.id.name, value: { k: 'var', name: d.id.name, loc: loc(d.id) } });
          return;
        }
        for (const sp of s.specifiers ?? []) {
          if (sp.exportKind === 'type') continue;
          const local = sp.local?.name ?? sp.local?.value;
          const exported = sp.exported?.name ?? sp.exported?.value;
          if (s.source) out.push({ k: 'exportFrom', spec: String(s.source.value), name: local, as: exported, loc: loc(sp) });
          else out.push({ k: 'export', name: exported, value: { k: 'var', name: local, loc: loc(sp) } });
        }
        return;
      }
      case 'ExportAllDeclaration':
        if (s.exportKind === 'type') return;
        out.push({
          k: 'exportFrom',
          spec: String(s.source.value),
          ...(s.exported ? { as: s.exported.name ?? s.exported.value, name: '*' } : {}),
          loc: loc(s),
        });
        return;
      case 'ExportDefaultDeclaration': {
        const d = s.declaration;
        if (d.type === 'ClassDeclaration') {
          if (d.id) {
            stmt(d, out);
            out.push({ k: 'export', name: 'default', value: { k: 'var', name: d.id.name, loc: loc(d.id) } });
          } else out.push({ k: 'export', name: 'default', value: classValue(d) });
        } else if (d.type === 'FunctionDeclaration') out.push({ k: 'export', name: 'default', value: { k: 'func', fn: func(d) } });
        else out.push({ k: 'export', name: 'default', value: expr(d) });
        return;
      }
      case 'TSExportAssignment':
        out.push({
          k: 'expr',
          e: {
            k: 'assign',
            target: { k: 'member', obj: { k: 'var', name: 'module', loc: loc(s) }, prop: 'exports', loc: loc(s) },
            value: expr(s.expression),
            loc: loc(s),
          },
        });
        return;
      default:
        return;
    }
  }

  function sub(s: Node): Stmt[] {
    if (!s) return [];
    if (s.type === 'BlockStatement') return block(s.body);
    const out: Stmt[] = [];
    if (s.type === 'FunctionDeclaration' && s.id) out.push(fnDecl(s));
    else stmt(s, out);
    return out;
  }

  /** `a.b.c` -> ['a', 'b', 'c'] for identifiers and static member chains. */
  function pathOf(n: Node): string[] | undefined {
    if (!n) return undefined;
    if (n.type === 'Identifier') return [n.name];
    if (
      n.type === 'ChainExpression' ||
      n.type === 'TSAsExpression' ||
      n.type === 'TSNonNullExpression' ||
      n.type === 'ParenthesizedExpression'
    )
      return pathOf(n.expression);
    if (n.type === 'MemberExpression') {
      const base = pathOf(n.object);
      const p = memberProp(n);
      return base && p !== undefined ? [...base, p] : undefined;
    }
    return undefined;
  }

  function anchoredRegex(src: string): boolean {
    if (!src.startsWith('^') || !src.endsWith('$') || src.endsWith('\\$')) return false;
    // an unescaped `.` outside a character class matches anything
    let inClass = false;
    for (let i = 0; i < src.length; i++) {
      const c = src[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '.' && !inClass) return false;
    }
    return !/\\s|\\S|\\W|\\D/.test(src);
  }

  function guardOf(test: Node, leaves: boolean): Guard | undefined {
    let t = test;
    let negated = false;
    while (t?.type === 'UnaryExpression' && t.operator === '!') {
      negated = !negated;
      t = t.argument;
    }
    if (t?.type === 'ParenthesizedExpression') t = t.expression;
    if (t?.type === 'BinaryExpression' && /^[!=]==?$/.test(t.operator)) {
      // typeof x === 'number' / typeof x !== 'string'
      const ty = t.left?.type === 'UnaryExpression' && t.left.operator === 'typeof' ? t.left : undefined;
      const lit = t.right?.type === 'Literal' ? t.right.value : undefined;
      if (ty && (lit === 'number' || lit === 'boolean')) {
        const target = pathOf(ty.argument);
        const neg = t.operator.startsWith('!') ? !negated : negated;
        if (target) return { target, kind: 'type', negated: neg, exits: leaves };
      }
      // ok(x) === false
      if (t.right?.type === 'Literal' && t.right.value === false) {
        const g = guardOf(t.left, leaves);
        if (g) return { ...g, negated: t.operator.startsWith('!') ? g.negated : !g.negated };
      }
      return undefined;
    }
    if (t?.type !== 'CallExpression') return undefined;
    const c = t.callee;
    const a0 = t.arguments[0];
    if (c?.type === 'MemberExpression') {
      const method = memberProp(c);
      if (method === 'test' && c.object?.type === 'Literal' && c.object.regex && anchoredRegex(String(c.object.regex.pattern))) {
        const target = pathOf(a0);
        return target ? { target, kind: 'regex', negated, exits: leaves } : undefined;
      }
      if (
        (method === 'includes' || method === 'has') &&
        (c.object?.type === 'Identifier' || c.object?.type === 'ArrayExpression' || c.object?.type === 'MemberExpression')
      ) {
        const target = pathOf(a0);
        return target ? { target, kind: 'allowlist', negated, exits: leaves } : undefined;
      }
      if (method === 'startsWith') {
        const target = pathOf(c.object);
        return target ? { target, kind: 'prefix', negated, exits: leaves } : undefined;
      }
      if (method && /^(isInteger|isSafeInteger|isFinite)$/.test(method)) {
        const target = pathOf(a0);
        return target ? { target, kind: 'type', negated, exits: leaves } : undefined;
      }
      if (method && /^(is)?valid(ate)?$/i.test(method)) {
        const target = pathOf(a0);
        return target ? { target, kind: 'validator', negated, exits: leaves } : undefined;
      }
    }
    if (c?.type === 'Identifier' && /^(is)?valid|^validate|^check/i.test(c.name) && t.arguments.length >= 1) {
      const target = pathOf(a0);
      return target ? { target, kind: 'validator', negated, exits: leaves } : undefined;
    }
    if (c?.type === 'Identifier' && /^is(UUID|Uuid|Email|Alphanumeric|Numeric|Int)$/.test(c.name)) {
      const target = pathOf(a0);
      return target ? { target, kind: 'regex', negated, exits: leaves } : undefined;
    }
    return undefined;
  }

  const body = block(m.program.body ?? []);
  return { file: m.file, body, evidence };
}

/** True when a statement always leaves the enclosing function (return / throw), as written. */
function exits(s: Node): boolean {
  if (!s) return false;
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  if (s.type === 'BlockStatement') return s.body.some((x: Node) => exits(x));
  if (s.type === 'IfStatement') return exits(s.consequent) && exits(s.alternate);
  return false;
}

function boundNames(p: Node): string[] {
  if (!p) return [];
  switch (p.type) {
    case 'Identifier':
      return [p.name];
    case 'ObjectPattern':
      return p.properties.flatMap((x: Node) => boundNames(x.type === 'RestElement' ? x.argument : x.value));
    case 'ArrayPattern':
      return p.elements.flatMap((x: Node) => boundNames(x?.type === 'RestElement' ? x.argument : x));
    case 'AssignmentPattern':
      return boundNames(p.left);
    default:
      return [];
  }
}
