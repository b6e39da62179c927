/**
 * AWS SDK call detection over parsed ESTree modules (oxc-parser, from the code analysis).
 *
 * Recognised (JS/TS; the shapes are language-neutral so a Python front end can emit the same
 * `SdkCall`s for boto3):
 * - SDK v3: `new XCommand(input)` imported from `@aws-sdk/client-*` (with or without `send`),
 *   aggregated clients (`new S3().getObject(input)`), `@aws-sdk/lib-dynamodb` commands and
 *   `DynamoDBDocument`, `@aws-sdk/lib-storage` `Upload`, `@aws-sdk/s3-request-presigner`
 *   `getSignedUrl`, `@aws-sdk/s3-presigned-post` `createPresignedPost`, paginators
 *   (`paginateX`) and waiters (`waitUntilX`);
 * - SDK v2: `new AWS.X()` / `aws-sdk/clients/x` clients and their methods (`.promise()` or
 *   callbacks), `AWS.DynamoDB.DocumentClient`, `s3.upload`, `getSignedUrl(Promise)`, `waitFor`;
 * - wrappers: Powertools parameters (`getParameter`, `getSecret`, ...) and the idempotency
 *   `DynamoDBPersistenceLayer`.
 * What cannot be told statically (computed method names, dynamic imports of the SDK) becomes an
 * `UnmodelledCall` with its position: it is reported for review, never guessed.
 */
import type { ParsedModule } from '../analyze/code/types.js';
import { operationsTable, type ServiceSpec } from './catalog.js';
import { describeValue, type StaticValue } from './value.js';

export type CallForm =
  | 'v3-command'
  | 'v3-aggregated'
  | 'v3-document'
  | 'v3-upload'
  | 'v3-paginator'
  | 'v3-waiter'
  | 'v3-presigned-post'
  | 'v2'
  | 'v2-document'
  | 'wrapper';

export interface SdkCall {
  /** Service key of the operation table (`s3`, `dynamodb`, `bedrock-runtime`). */
  service: string;
  /** API operation (`GetObject`); `Upload` for lib-storage / v2 `upload`. */
  operation: string;
  /** The request parameters as far as they are statically known. */
  input: StaticValue;
  form: CallForm;
  /** The call builds a presigned URL/POST: whoever uses it acts with the function's role. */
  presigned?: boolean;
  file: string;
  line: number;
  column: number;
  /** Source text of the call (truncated). */
  text: string;
}

export interface UnmodelledCall {
  file: string;
  line: number;
  column: number;
  reason: string;
  text: string;
}

export interface Detection {
  calls: SdkCall[];
  unmodelled: UnmodelledCall[];
}

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes from oxc-parser are walked structurally
type Node = any;

type Binding =
  | { kind: 'pkg-member'; pkg: string; name: string }
  | { kind: 'pkg-namespace'; pkg: string }
  | { kind: 'aws-sdk' }
  | { kind: 'v2-class'; service: string; document?: boolean };

type ClientKind =
  | { kind: 'v3-aggregated'; service: string }
  | { kind: 'v3-document-aggregated' }
  | { kind: 'v2'; service: string }
  | { kind: 'v2-document' };

const CLIENT_NOT_OPS = new Set([
  'send',
  'destroy',
  'middlewareStack',
  'config',
  'on',
  'makeRequest',
  'makeUnauthenticatedRequest',
  'setupRequestListeners',
  'constructor',
  'promise',
  'then',
  'createSet',
  'extendedCodec',
  'waitFor',
  'getSignedUrl',
  'getSignedUrlPromise',
  'createPresignedPost',
]);

const MAX_TEXT = 160;
const MAX_DEPTH = 24;

interface ServiceIndex {
  byV3Package: Map<string, string>;
  byV2Class: Map<string, string>;
  byAggregated: Map<string, Map<string, string>>;
  docV3: string;
  docCommands: Record<string, string>;
  docMethods: Record<string, string>;
}

let indexCache: ServiceIndex | undefined;
function serviceIndex(): ServiceIndex {
  if (indexCache) return indexCache;
  const t = operationsTable();
  const byV3Package = new Map<string, string>();
  const byV2Class = new Map<string, string>();
  const byAggregated = new Map<string, Map<string, string>>();
  for (const [key, s] of Object.entries(t.services) as [string, ServiceSpec][]) {
    byV3Package.set(s.v3, key);
    for (const c of s.v2) byV2Class.set(c, key);
    let m = byAggregated.get(s.v3);
    if (!m) {
      m = new Map();
      byAggregated.set(s.v3, m);
    }
    m.set(s.aggregated, key);
  }
  indexCache = {
    byV3Package,
    byV2Class,
    byAggregated,
    docV3: t.documentClient.v3,
    docCommands: t.documentClient.commands,
    docMethods: t.documentClient.v2Methods,
  };
  return indexCache;
}

/** `@aws-sdk/client-s3/dist-cjs/...` -> `@aws-sdk/client-s3`; `aws-sdk/clients/s3` stays. */
function packageOf(spec: string): string {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  if (spec.startsWith('aws-sdk/clients/')) return spec.replace(/\.js$/, '');
  return spec.split('/')[0] ?? spec;
}

function isAwsPackage(pkg: string): boolean {
  return pkg.startsWith('@aws-sdk/') || pkg === 'aws-sdk' || pkg.startsWith('aws-sdk/') || pkg.startsWith('@aws-lambda-powertools/');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** v2 `aws-sdk/clients/dynamodb` -> service key. */
function v2ClientModuleService(spec: string): string | undefined {
  const m = /^aws-sdk\/clients\/([a-z0-9]+)/.exec(spec);
  if (!m) return undefined;
  const id = m[1] as string;
  const idx = serviceIndex();
  for (const [cls, key] of idx.byV2Class) if (cls.toLowerCase() === id) return key;
  return undefined;
}

class ModuleDetector {
  readonly bindings = new Map<string, Binding>();
  /** name -> initialisers of `const/let/var name = init` (several = ambiguous). */
  readonly decls = new Map<string, Node[]>();
  readonly reassigned = new Set<string>();
  /** variable or `this.x` property name -> client kind */
  readonly clients = new Map<string, ClientKind>();
  readonly calls: SdkCall[] = [];
  readonly unmodelled: UnmodelledCall[] = [];
  readonly exports: Node[] = [];
  /** `import { s3 } from './clients'` (and CommonJS destructuring): linked by `detectModules`. */
  readonly localImports: { spec: string; local: string; imported: string }[] = [];
  /** `exports.x = client` / `module.exports = { x }` */
  readonly cjsExports = new Map<string, Node>();
  /** NewExpression nodes inside presigner calls. */
  readonly presignedNodes = new Set<Node>();

  constructor(readonly mod: ParsedModule) {}

  text(n: Node): string {
    const s = typeof n?.start === 'number' && typeof n?.end === 'number' ? this.mod.source.slice(n.start, n.end) : '';
    const one = s.replace(/\s+/g, ' ');
    return one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT - 3)}...` : one;
  }

  pos(n: Node): { line: number; column: number } {
    return typeof n?.start === 'number' ? this.mod.position(n.start) : { line: 1, column: 1 };
  }

  /* ------------------------------------------------------------------ pass 1: bindings */

  collect(): void {
    walk(this.mod.program, (n) => {
      switch (n.type) {
        case 'ImportDeclaration':
          this.importDecl(n);
          break;
        case 'VariableDeclarator':
          this.declarator(n);
          break;
        case 'AssignmentExpression':
          if (n.left?.type === 'Identifier') this.reassigned.add(n.left.name);
          this.cjsExport(n);
          if (n.left?.type === 'MemberExpression' && !n.left.computed && n.left.property?.type === 'Identifier') {
            const c = this.clientOf(n.right);
            if (c) this.clients.set(`.${n.left.property.name}`, c);
          }
          break;
        case 'ExportNamedDeclaration':
        case 'ExportDefaultDeclaration':
          this.exports.push(n);
          break;
        case 'PropertyDefinition':
          if (n.key?.type === 'Identifier' && n.value) {
            const c = this.clientOf(n.value);
            if (c) this.clients.set(`.${n.key.name}`, c);
          }
          break;
      }
    });
    // clients assigned to variables (after all bindings are known)
    for (const [name, inits] of this.decls) {
      if (inits.length !== 1 || this.reassigned.has(name)) continue;
      const c = this.clientOf(inits[0]);
      if (c) this.clients.set(name, c);
    }
  }

  cjsExport(n: Node): void {
    const l = n.left;
    if (l?.type !== 'MemberExpression' || l.computed) return;
    const obj = l.object;
    const isExports = obj?.type === 'Identifier' && obj.name === 'exports';
    const isModuleExports = obj?.type === 'MemberExpression' && obj.object?.name === 'module' && obj.property?.name === 'exports';
    if (isExports || isModuleExports) {
      if (typeof l.property?.name === 'string') this.cjsExports.set(l.property.name, n.right);
      return;
    }
    if (obj?.type === 'Identifier' && obj.name === 'module' && l.property?.name === 'exports' && n.right?.type === 'ObjectExpression')
      for (const p of n.right.properties ?? [])
        if (p.type === 'Property' && !p.computed && typeof p.key?.name === 'string') this.cjsExports.set(p.key.name, p.value);
  }

  /** Clients this module exports, by exported name. */
  exportedClients(): Map<string, ClientKind> {
    const out = new Map<string, ClientKind>();
    for (const e of this.exports) {
      const decls = e.declaration?.type === 'VariableDeclaration' ? e.declaration.declarations : [];
      for (const d of decls) {
        const c = d.id?.type === 'Identifier' ? this.clientOf(d.init) : undefined;
        if (c) out.set(d.id.name, c);
      }
      if (e.type === 'ExportDefaultDeclaration') {
        const c = this.clientOf(e.declaration);
        if (c) out.set('default', c);
      }
      for (const sp of e.specifiers ?? []) {
        const c = sp.local ? this.clientOf(sp.local) : undefined;
        const name = sp.exported?.name ?? sp.exported?.value;
        if (c && typeof name === 'string') out.set(name, c);
      }
    }
    for (const [name, v] of this.cjsExports) {
      const c = this.clientOf(v);
      if (c) out.set(name, c);
    }
    return out;
  }

  importDecl(n: Node): void {
    const spec = n.source?.value;
    if (typeof spec !== 'string') return;
    this.bindSpecifiers(spec, n.specifiers ?? []);
  }

  bindSpecifiers(spec: string, specifiers: Node[]): void {
    if (spec.startsWith('.') || spec.startsWith('/')) {
      for (const s of specifiers) {
        const local = s.local?.name;
        const imported = s.type === 'ImportSpecifier' ? (s.imported?.name ?? s.imported?.value) : 'default';
        if (typeof local === 'string' && typeof imported === 'string') this.localImports.push({ spec, local, imported });
      }
      return;
    }
    const pkg = packageOf(spec);
    const v2svc = v2ClientModuleService(spec);
    for (const s of specifiers) {
      const local = s.local?.name;
      if (typeof local !== 'string') continue;
      if (s.type === 'ImportNamespaceSpecifier' || s.type === 'ImportDefaultSpecifier') {
        if (v2svc) this.bindings.set(local, { kind: 'v2-class', service: v2svc });
        else if (pkg === 'aws-sdk') this.bindings.set(local, { kind: 'aws-sdk' });
        else if (isAwsPackage(pkg)) this.bindings.set(local, { kind: 'pkg-namespace', pkg: spec });
      } else if (s.type === 'ImportSpecifier') {
        const imported = s.imported?.name ?? s.imported?.value;
        if (typeof imported !== 'string') continue;
        if (pkg === 'aws-sdk') {
          const svc = serviceIndex().byV2Class.get(imported);
          if (svc) this.bindings.set(local, { kind: 'v2-class', service: svc });
        } else if (isAwsPackage(pkg)) this.bindings.set(local, { kind: 'pkg-member', pkg: spec, name: imported });
      }
    }
  }

  declarator(n: Node): void {
    const init = n.init;
    // require('...') forms
    const req = requireSpec(init);
    if (req !== undefined) {
      if (n.id?.type === 'Identifier') this.bindSpecifiers(req, [{ type: 'ImportDefaultSpecifier', local: n.id }]);
      else if (n.id?.type === 'ObjectPattern') {
        const specs = (n.id.properties ?? [])
          .filter((p: Node) => p.type === 'Property' && p.value?.type === 'Identifier')
          .map((p: Node) => ({ type: 'ImportSpecifier', local: p.value, imported: p.key }));
        this.bindSpecifiers(req, specs);
      }
      return;
    }
    if (n.id?.type === 'Identifier') {
      const list = this.decls.get(n.id.name) ?? [];
      list.push(init ?? null);
      this.decls.set(n.id.name, list);
    } else if (n.id?.type === 'ObjectPattern' && isProcessEnv(init)) {
      // const { TABLE_NAME, BUCKET: b } = process.env
      for (const p of n.id.properties ?? []) {
        if (p.type !== 'Property') continue;
        const key = p.key?.name ?? p.key?.value;
        const target = p.value?.type === 'AssignmentPattern' ? p.value.left : p.value;
        if (typeof key === 'string' && target?.type === 'Identifier') {
          const list = this.decls.get(target.name) ?? [];
          list.push({ type: '__env', name: key });
          this.decls.set(target.name, list);
        }
      }
    }
  }

  /** The binding an expression refers to (`S3Client`, `ns.S3Client`, `AWS.S3`, `AWS.DynamoDB.DocumentClient`). */
  bindingOf(n: Node, depth = 0): Binding | undefined {
    if (!n || depth > 4) return undefined;
    n = unwrap(n);
    if (n.type === 'Identifier') return this.bindings.get(n.name);
    if (n.type === 'MemberExpression' && !n.computed && n.property?.type === 'Identifier') {
      const obj = this.bindingOf(n.object, depth + 1);
      const prop = n.property.name as string;
      if (!obj) return undefined;
      if (obj.kind === 'pkg-namespace') return { kind: 'pkg-member', pkg: obj.pkg, name: prop };
      if (obj.kind === 'aws-sdk') {
        const svc = serviceIndex().byV2Class.get(prop);
        return svc ? { kind: 'v2-class', service: svc } : undefined;
      }
      if (obj.kind === 'v2-class' && obj.service === 'dynamodb' && prop === 'DocumentClient')
        return { kind: 'v2-class', service: 'dynamodb', document: true };
    }
    return undefined;
  }

  /** The client an expression creates or names. */
  clientOf(n: Node, depth = 0): ClientKind | undefined {
    if (!n || depth > 6) return undefined;
    n = unwrap(n);
    if (n.type === 'NewExpression') {
      const b = this.bindingOf(n.callee);
      if (!b) return undefined;
      if (b.kind === 'v2-class') return b.document ? { kind: 'v2-document' } : { kind: 'v2', service: b.service };
      if (b.kind === 'pkg-member') {
        const pkg = packageOf(b.pkg);
        if (pkg === serviceIndex().docV3 && b.name === 'DynamoDBDocument') return { kind: 'v3-document-aggregated' };
        const svc = serviceIndex().byAggregated.get(pkg)?.get(b.name);
        if (svc) return { kind: 'v3-aggregated', service: svc };
      }
      return undefined;
    }
    if (n.type === 'CallExpression' && n.callee?.type === 'MemberExpression' && !n.callee.computed) {
      // DynamoDBDocument.from(client)
      const b = this.bindingOf(n.callee.object);
      if (
        b?.kind === 'pkg-member' &&
        packageOf(b.pkg) === serviceIndex().docV3 &&
        b.name === 'DynamoDBDocument' &&
        n.callee.property?.name === 'from'
      )
        return { kind: 'v3-document-aggregated' };
      // AWSXRay.captureAWSClient(new AWS.S3()) and similar wrappers return the client they get
      if (/^capture/i.test(n.callee.property?.name ?? '')) return this.clientOf(n.arguments?.[0], depth + 1);
      return undefined;
    }
    if (n.type === 'CallExpression' && n.callee?.type === 'Identifier' && /^capture/i.test(n.callee.name))
      return this.clientOf(n.arguments?.[0], depth + 1);
    if (n.type === 'Identifier') {
      const c = this.clients.get(n.name);
      if (c) return c;
      const inits = this.decls.get(n.name);
      if (inits?.length === 1 && !this.reassigned.has(n.name)) return this.clientOf(inits[0], depth + 1);
      return undefined;
    }
    if (n.type === 'MemberExpression' && !n.computed && n.property?.type === 'Identifier' && n.object?.type === 'ThisExpression')
      return this.clients.get(`.${n.property.name}`);
    return undefined;
  }

  /* ------------------------------------------------------------------ static values */

  value(n: Node, depth = 0): StaticValue {
    if (!n) return { kind: 'unknown', text: '(none)' };
    if (depth > MAX_DEPTH) return { kind: 'unknown', text: this.text(n) };
    n = unwrap(n);
    switch (n.type) {
      case '__env':
        return { kind: 'env', name: n.name };
      case 'Literal':
        if (typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean')
          return { kind: 'literal', value: n.value };
        return { kind: 'unknown', text: this.text(n) };
      case 'TemplateLiteral': {
        const parts: StaticValue[] = [];
        (n.quasis ?? []).forEach((q: Node, i: number) => {
          const cooked = q.value?.cooked ?? q.value?.raw ?? '';
          if (cooked) parts.push({ kind: 'literal', value: cooked });
          const e = n.expressions?.[i];
          if (e) parts.push(this.value(e, depth + 1));
        });
        return simplifyConcat(parts);
      }
      case 'BinaryExpression':
        if (n.operator === '+') return simplifyConcat([this.value(n.left, depth + 1), this.value(n.right, depth + 1)]);
        return { kind: 'unknown', text: this.text(n) };
      case 'LogicalExpression':
        // `process.env.X ?? 'default'`: the deployed value comes from the environment
        if (n.operator === '??' || n.operator === '||') {
          const l = this.value(n.left, depth + 1);
          return l.kind === 'unknown' ? this.value(n.right, depth + 1) : l;
        }
        return { kind: 'unknown', text: this.text(n) };
      case 'ObjectExpression': {
        const props: Record<string, StaticValue> = {};
        let open = false;
        for (const p of n.properties ?? []) {
          if (p.type === 'SpreadElement') {
            const s = this.value(p.argument, depth + 1);
            if (s.kind === 'object') {
              Object.assign(props, s.props);
              if (s.open) open = true;
            } else open = true;
            continue;
          }
          if (p.computed) {
            const k = this.value(p.key, depth + 1);
            if (k.kind === 'literal') props[String(k.value)] = this.value(p.value, depth + 1);
            else if (k.kind === 'env') props[`\${env:${k.name}}`] = this.value(p.value, depth + 1);
            else open = true;
            continue;
          }
          const key = p.key?.type === 'Identifier' ? p.key.name : p.key?.value;
          if (typeof key !== 'string' && typeof key !== 'number') {
            open = true;
            continue;
          }
          props[String(key)] =
            p.kind === 'init' || p.kind === undefined ? this.value(p.value, depth + 1) : { kind: 'unknown', text: 'accessor' };
        }
        return open ? { kind: 'object', props, open } : { kind: 'object', props };
      }
      case 'ArrayExpression': {
        const items: StaticValue[] = [];
        let open = false;
        for (const e of n.elements ?? []) {
          if (!e) continue;
          if (e.type === 'SpreadElement') {
            const s = this.value(e.argument, depth + 1);
            if (s.kind === 'array') {
              items.push(...s.items);
              if (s.open) open = true;
            } else open = true;
          } else items.push(this.value(e, depth + 1));
        }
        return open ? { kind: 'array', items, open } : { kind: 'array', items };
      }
      case 'Identifier': {
        const inits = this.decls.get(n.name);
        if (inits?.length === 1 && inits[0] && !this.reassigned.has(n.name)) return this.value(inits[0], depth + 1);
        return { kind: 'unknown', text: n.name };
      }
      case 'MemberExpression': {
        const env = envName(n);
        if (env) return { kind: 'env', name: env };
        // map(...) over an array literal keeps the element shape unknown; other members: look into known objects
        const obj = this.value(n.object, depth + 1);
        const key = n.computed ? this.value(n.property, depth + 1) : { kind: 'literal' as const, value: n.property?.name };
        if (obj.kind === 'object' && key.kind === 'literal') {
          const v = obj.props[String(key.value)];
          if (v) return v;
        }
        return { kind: 'unknown', text: this.text(n) };
      }
      default:
        return { kind: 'unknown', text: this.text(n) };
    }
  }

  /* ------------------------------------------------------------------ pass 2: calls */

  detect(): void {
    // presigner calls first so their commands are marked
    walk(this.mod.program, (n) => {
      if (n.type !== 'CallExpression') return;
      const b = this.bindingOf(n.callee);
      if (b?.kind === 'pkg-member' && packageOf(b.pkg) === '@aws-sdk/s3-request-presigner' && b.name === 'getSignedUrl') {
        const cmd = unwrap(n.arguments?.[1]);
        if (cmd?.type === 'NewExpression') this.presignedNodes.add(cmd);
        else if (cmd?.type === 'Identifier') {
          const inits = this.decls.get(cmd.name);
          if (inits?.length === 1 && unwrap(inits[0])?.type === 'NewExpression') this.presignedNodes.add(unwrap(inits[0]));
        }
      }
    });
    walk(this.mod.program, (n) => {
      if (n.type === 'NewExpression') this.newExpr(n);
      else if (n.type === 'CallExpression') this.callExpr(n);
      else if (n.type === 'ImportExpression') this.dynamicImport(n);
    });
  }

  push(n: Node, service: string, operation: string, input: StaticValue, form: CallForm, presigned = false): void {
    const { line, column } = this.pos(n);
    const call: SdkCall = { service, operation, input, form, file: this.mod.reportFile ?? this.mod.file, line, column, text: this.text(n) };
    if (presigned) call.presigned = true;
    this.calls.push(call);
  }

  /** The analysis of this module broke off (a malformed tree): say so instead of claiming completeness. */
  stopped(e: unknown): void {
    this.unmodelled.push({
      file: this.mod.reportFile ?? this.mod.file,
      line: 1,
      column: 1,
      reason: `analysis stopped: ${(e as Error)?.message ?? e}`,
      text: '',
    });
  }

  review(n: Node, reason: string): void {
    const { line, column } = this.pos(n);
    this.unmodelled.push({ file: this.mod.reportFile ?? this.mod.file, line, column, reason, text: this.text(n) });
  }

  newExpr(n: Node): void {
    const b = this.bindingOf(n.callee);
    if (!b) {
      const callee = unwrap(n.callee);
      if (callee?.type === 'MemberExpression' && callee.computed) {
        const ns = this.bindingOf(callee.object);
        if (ns?.kind === 'pkg-namespace' || ns?.kind === 'aws-sdk') this.review(n, 'AWS SDK class chosen at run time');
      }
      return;
    }
    if (b.kind !== 'pkg-member') return;
    const pkg = packageOf(b.pkg);
    const idx = serviceIndex();
    const input = this.value(n.arguments?.[0]);
    const presigned = this.presignedNodes.has(n);
    if (pkg === idx.docV3) {
      const m = /^(\w+)Command$/.exec(b.name);
      const op = m ? idx.docCommands[m[1] as string] : undefined;
      if (op) this.push(n, 'dynamodb', op, input, 'v3-document', presigned);
      return;
    }
    if (pkg === '@aws-sdk/lib-storage' && b.name === 'Upload') {
      const params = input.kind === 'object' ? (input.props.params ?? { kind: 'unknown', text: 'params' }) : input;
      const tags = input.kind === 'object' ? input.props.tags : undefined;
      const req: StaticValue = params.kind === 'object' && tags ? { ...params, props: { ...params.props, Tagging: tags } } : params;
      this.push(n, 's3', 'Upload', req, 'v3-upload');
      return;
    }
    const wrap = operationsTable().wrappers[b.pkg]?.[`new ${b.name}`];
    if (wrap) {
      this.wrapper(n, wrap.service, wrap.operations, wrap.args);
      return;
    }
    const svc = idx.byV3Package.get(pkg);
    if (!svc) return;
    const m = /^(\w+)Command$/.exec(b.name);
    if (m) this.push(n, svc, m[1] as string, input, 'v3-command', presigned);
  }

  wrapper(n: Node, service: string, operations: string[], args: Record<string, number | string>): void {
    const props: Record<string, StaticValue> = {};
    for (const [param, where] of Object.entries(args)) {
      const [idx, prop] = String(where).split('.');
      const arg = n.arguments?.[Number(idx)];
      if (!arg) continue;
      let v = this.value(arg);
      if (prop) v = v.kind === 'object' ? (v.props[prop] ?? { kind: 'unknown', text: prop }) : { kind: 'unknown', text: this.text(arg) };
      props[param] = v;
    }
    for (const op of operations) this.push(n, service, op, { kind: 'object', props }, 'wrapper');
  }

  callExpr(n: Node): void {
    const callee = unwrap(n.callee);
    // require(variable) / functions imported from SDK packages
    if (callee?.type === 'Identifier' && callee.name === 'require' && n.arguments?.length === 1) {
      const a = unwrap(n.arguments[0]);
      if (a && a.type !== 'Literal' && a.type !== 'TemplateLiteral') this.review(n, 'require() of a computed module name');
      return;
    }
    const b = this.bindingOf(callee);
    if (b?.kind === 'pkg-member') {
      this.sdkFunction(n, b);
      return;
    }
    // a method-style client handed to other code: its calls happen where fnguard does not follow
    for (const a of n.arguments ?? []) {
      const arg = unwrap(a);
      if ((arg?.type === 'Identifier' || arg?.type === 'MemberExpression') && this.clientOf(arg)) {
        const isMethod = callee?.type === 'MemberExpression' && this.clientOf(callee.object);
        const wrapper =
          (callee?.type === 'MemberExpression' && /^(from|capture\w*)$/i.test(callee.property?.name ?? '')) ||
          (callee?.type === 'Identifier' && /^capture/i.test(callee.name));
        if (!isMethod && !wrapper) this.review(n, 'AWS SDK client passed to another function');
      }
    }
    if (callee?.type !== 'MemberExpression') return;
    const client = this.clientOf(callee.object);
    if (!client) return;
    if (callee.computed) {
      const k = this.value(callee.property);
      if (k.kind !== 'literal') {
        this.review(n, 'AWS SDK method chosen at run time');
        return;
      }
      this.clientMethod(n, client, String(k.value));
      return;
    }
    const name = callee.property?.name;
    if (typeof name === 'string') this.clientMethod(n, client, name);
  }

  clientMethod(n: Node, client: ClientKind, method: string): void {
    const idx = serviceIndex();
    const input = this.value(n.arguments?.[0]);
    if (client.kind === 'v2-document' || client.kind === 'v3-document-aggregated') {
      const op = idx.docMethods[method];
      if (op) this.push(n, 'dynamodb', op, input, client.kind === 'v2-document' ? 'v2-document' : 'v3-document');
      return;
    }
    const form: CallForm = client.kind === 'v2' ? 'v2' : 'v3-aggregated';
    if (client.kind === 'v2' && (method === 'getSignedUrl' || method === 'getSignedUrlPromise')) {
      const op = this.value(n.arguments?.[0]);
      if (op.kind === 'literal') this.push(n, client.service, capitalize(String(op.value)), this.value(n.arguments?.[1]), form, true);
      else this.review(n, 'presigned URL for an operation chosen at run time');
      return;
    }
    if (client.kind === 'v2' && method === 'createPresignedPost') {
      this.push(n, client.service, 'PutObject', this.value(n.arguments?.[0]), form, true);
      return;
    }
    if (client.kind === 'v2' && method === 'waitFor') {
      const w = this.value(n.arguments?.[0]);
      const op = w.kind === 'literal' ? waiterOperation(client.service, capitalize(String(w.value))) : undefined;
      if (op) this.push(n, client.service, op, this.value(n.arguments?.[1]), form);
      else this.review(n, 'waiter not in the operation table');
      return;
    }
    if (client.kind === 'v2' && method === 'upload' && client.service === 's3') {
      this.push(n, 's3', 'Upload', input, form);
      return;
    }
    if (CLIENT_NOT_OPS.has(method) || !/^[a-z][A-Za-z0-9]*$/.test(method)) return;
    this.push(n, client.service, capitalize(method), input, form);
  }

  sdkFunction(n: Node, b: { pkg: string; name: string }): void {
    const pkg = packageOf(b.pkg);
    const idx = serviceIndex();
    const wrap = operationsTable().wrappers[b.pkg]?.[b.name];
    if (wrap) {
      this.wrapper(n, wrap.service, wrap.operations, wrap.args);
      return;
    }
    if (pkg === '@aws-sdk/s3-presigned-post' && b.name === 'createPresignedPost') {
      this.push(n, 's3', 'PutObject', this.value(n.arguments?.[1]), 'v3-presigned-post', true);
      return;
    }
    const svc = idx.byV3Package.get(pkg) ?? (pkg === idx.docV3 ? 'dynamodb' : undefined);
    if (!svc) return;
    const pag = /^paginate(\w+)$/.exec(b.name);
    if (pag) {
      this.push(n, svc, pag[1] as string, this.value(n.arguments?.[1]), 'v3-paginator');
      return;
    }
    const wait = /^waitUntil(\w+)$/.exec(b.name) ?? /^waitFor(\w+)$/.exec(b.name);
    if (wait) {
      const op = waiterOperation(svc, wait[1] as string);
      if (op) this.push(n, svc, op, this.value(n.arguments?.[1]), 'v3-waiter');
      else this.review(n, `waiter ${b.name} not in the operation table`);
    }
  }

  dynamicImport(n: Node): void {
    const s = unwrap(n.source);
    if (s?.type === 'Literal' && typeof s.value === 'string') {
      if (isAwsPackage(packageOf(s.value))) this.review(n, `dynamic import of ${s.value}: its calls are not followed`);
    } else this.review(n, 'dynamic import() of a computed module name');
  }
}

/** The operation a waiter polls (`ObjectExists` -> `HeadObject`). */
export function waiterOperation(service: string, waiter: string): string | undefined {
  const spec = operationsTable().services[service];
  return spec?.waiters?.[waiter] ?? spec?.waiters?.[waiter.replace(/^./, (c) => c.toUpperCase())];
}

function unwrap(n: Node): Node {
  let cur = n;
  for (let i = 0; i < 16 && cur; i++) {
    if (
      cur.type === 'TSNonNullExpression' ||
      cur.type === 'TSAsExpression' ||
      cur.type === 'TSSatisfiesExpression' ||
      cur.type === 'TSTypeAssertion' ||
      cur.type === 'ParenthesizedExpression' ||
      cur.type === 'AwaitExpression' ||
      cur.type === 'ChainExpression'
    )
      cur = cur.expression ?? cur.argument;
    else break;
  }
  return cur;
}

function isProcessEnv(n: Node): boolean {
  n = unwrap(n);
  return (
    n?.type === 'MemberExpression' &&
    !n.computed &&
    n.object?.type === 'Identifier' &&
    n.object.name === 'process' &&
    n.property?.name === 'env'
  );
}

function envName(n: Node): string | undefined {
  if (n?.type !== 'MemberExpression' || !isProcessEnv(n.object)) return undefined;
  if (!n.computed && n.property?.type === 'Identifier') return n.property.name;
  if (n.computed && n.property?.type === 'Literal' && typeof n.property.value === 'string') return n.property.value;
  return undefined;
}

function requireSpec(n: Node): string | undefined {
  n = unwrap(n);
  if (n?.type === 'MemberExpression' && !n.computed) {
    // require('aws-sdk').S3 is rare; treat `require('x').default` as require('x')
    if (n.property?.name === 'default') return requireSpec(n.object);
    return undefined;
  }
  if (n?.type !== 'CallExpression' || n.callee?.type !== 'Identifier' || n.callee.name !== 'require') return undefined;
  const a = n.arguments?.[0];
  return a?.type === 'Literal' && typeof a.value === 'string' ? a.value : undefined;
}

function simplifyConcat(parts: StaticValue[]): StaticValue {
  const flat: StaticValue[] = [];
  for (const p of parts) {
    if (p.kind === 'concat') flat.push(...p.parts);
    else flat.push(p);
  }
  const merged: StaticValue[] = [];
  for (const p of flat) {
    const last = merged[merged.length - 1];
    if (p.kind === 'literal' && last?.kind === 'literal') merged[merged.length - 1] = { kind: 'literal', value: `${last.value}${p.value}` };
    else merged.push(p);
  }
  if (merged.length === 1) return merged[0] as StaticValue;
  if (merged.length === 0) return { kind: 'literal', value: '' };
  return { kind: 'concat', parts: merged };
}

/** Iterative pre-order walk over every ESTree node (no recursion: deep hostile ASTs cannot overflow the stack). */
export function walk(root: Node, visit: (n: Node) => void): void {
  const stack: Node[] = [root];
  let budget = 5_000_000;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (let i = n.length - 1; i >= 0; i--) stack.push(n[i]);
      continue;
    }
    if (typeof n.type === 'string') visit(n);
    for (const k in n) {
      if (k === 'start' || k === 'end' || k === 'loc' || k === 'range' || k === 'parent') continue;
      const v = n[k];
      if (v && typeof v === 'object') stack.push(v);
    }
  }
}

/** Detect the SDK calls of one parsed module. */
export function detectModule(mod: ParsedModule): Detection {
  return detectModules([mod]);
}

/**
 * Detect the SDK calls of a function's modules. Method-style clients exported by one module and
 * imported by another (`export const s3 = new S3()`, `import { s3 } from './clients'`) are
 * linked through `resolve(file, specifier)` (the code analysis' import resolution).
 */
export function detectModules(mods: readonly ParsedModule[], resolve?: (file: string, specifier: string) => string | undefined): Detection {
  const detectors = mods.map((m) => new ModuleDetector(m));
  const out: Detection = { calls: [], unmodelled: [] };
  const failed = new Set<ModuleDetector>();
  for (const d of detectors) {
    try {
      d.collect();
    } catch (e) {
      failed.add(d);
      d.stopped(e);
    }
  }
  if (resolve) {
    const byFile = new Map(detectors.map((d) => [d.mod.file, d] as const));
    const exported = new Map<ModuleDetector, Map<string, ClientKind>>();
    for (const d of detectors)
      for (const li of d.localImports) {
        const target = byFile.get(resolve(d.mod.file, li.spec) ?? '');
        if (!target || failed.has(target)) continue;
        let ex = exported.get(target);
        if (!ex) {
          ex = target.exportedClients();
          exported.set(target, ex);
        }
        const c = ex.get(li.imported);
        if (c) d.clients.set(li.local, c);
      }
  }
  for (const d of detectors) {
    try {
      if (!failed.has(d)) d.detect();
    } catch (e) {
      d.stopped(e);
    }
    out.calls.push(...d.calls);
    out.unmodelled.push(...d.unmodelled);
  }
  return out;
}

/** A one-line label of a call: `s3.GetObject (v3-command) {"Bucket": process.env.BUCKET}`. */
export function describeCall(c: SdkCall): string {
  const params = c.input.kind === 'object' ? Object.entries(c.input.props).map(([k, v]) => `${k}: ${describeValue(v)}`) : [];
  return `${c.service}.${c.operation}${c.presigned ? ' (presigned)' : ''}${params.length ? ` {${params.slice(0, 4).join(', ')}}` : ''}`;
}
