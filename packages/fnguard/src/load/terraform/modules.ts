/**
 * Terraform units and module instances: parse the files of each directory, find local module
 * calls (`source = "./modules/x"`), pick root directories (those no other directory calls), bind
 * variables (defaults, `terraform.tfvars`, `*.auto.tfvars`, module arguments), and pre-read the
 * files that `file()` asks for (through `ctx.readText`, so never outside the scan root).
 */
import { posix } from 'node:path';
import type { DiscoveredFile } from '../../discover/types.js';
import type { Diagnostic } from '../../model/types.js';
import type { Block, Expr, HclFile } from '../hcl/ast.js';
import { parseHcl } from '../hcl/parseHcl.js';
import { parseHclJson } from '../hcl/parseHclJson.js';
import type { LoadContext } from '../types.js';
import { type EvalScope, Evaluator, resolveModulePath, type Value } from './evaluate.js';

export interface TfFile {
  path: string;
  rel: string;
  hcl: HclFile;
}

export interface BlockRef {
  block: Block;
  file: TfFile;
  inst: ModuleInstance;
  /** Address inside the unit, with the module prefix: `module.x.aws_lambda_function.f`. */
  address: string;
  ev: Evaluator;
}

export interface ModuleInstance {
  dir: string;
  prefix: string;
  scope: EvalScope;
  files: TfFile[];
  blocks: BlockRef[];
}

export interface Unit {
  dir: string;
  /** Relative to the scan root ('.' for the root itself). */
  rel: string;
  instances: ModuleInstance[];
  tfvarsFiles: TfFile[];
}

const MAX_MODULE_DEPTH = 8;

export function parseTfFile(f: DiscoveredFile, text: string): HclFile {
  const lower = f.path.toLowerCase();
  if (lower.endsWith('.json')) return parseHclJson(text, f.path, { tfvars: lower.endsWith('.tfvars.json') });
  return parseHcl(text);
}

export function hclDiagnostics(f: TfFile): Diagnostic[] {
  return f.hcl.errors.map((e) => ({
    level: e.code === 'hcl-parse' || e.code === 'hcl-too-deep' ? 'error' : 'warning',
    file: f.path,
    line: e.line,
    column: e.column,
    message: e.message,
    code: e.code,
  }));
}

function isTfvars(p: string): boolean {
  const l = p.toLowerCase();
  return l.endsWith('.tfvars') || l.endsWith('.tfvars.json');
}

function isAutoTfvars(p: string): boolean {
  const b = posix.basename(p.toLowerCase());
  return b === 'terraform.tfvars' || b === 'terraform.tfvars.json' || b.endsWith('.auto.tfvars') || b.endsWith('.auto.tfvars.json');
}

/** Call `f` on every expression under `e` (bounded depth). */
function walkExpr(e: Expr, f: (x: Expr) => void, depth = 0): void {
  if (depth > 200) return;
  f(e);
  switch (e.type) {
    case 'template':
      for (const p of e.parts) if (p.type === 'interp') walkExpr(p.expr, f, depth + 1);
      break;
    case 'tuple':
      for (const x of e.items) walkExpr(x, f, depth + 1);
      break;
    case 'object':
      for (const x of e.items) walkExpr(x.value, f, depth + 1);
      break;
    case 'call':
      for (const x of e.args) walkExpr(x, f, depth + 1);
      break;
    case 'paren':
      walkExpr(e.expr, f, depth + 1);
      break;
    case 'conditional':
      walkExpr(e.whenTrue, f, depth + 1);
      walkExpr(e.whenFalse, f, depth + 1);
      break;
    default:
      break;
  }
}

function walkBody(b: Block['body'], f: (x: Expr) => void, depth = 0): void {
  if (depth > 200) return;
  for (const a of b.attributes) walkExpr(a.expr, f);
  for (const x of b.blocks) walkBody(x.body, f, depth + 1);
}

export class TerraformProject {
  /** dir -> files (already parsed) */
  readonly dirs = new Map<string, TfFile[]>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly fileTexts = new Map<string, string>();
  private readonly failedReads = new Set<string>();

  constructor(private readonly ctx: LoadContext) {}

  async parseAll(files: DiscoveredFile[]): Promise<void> {
    for (const f of files) {
      let text: string;
      try {
        text = await this.ctx.readText(f.path);
      } catch (e) {
        this.diagnostics.push({
          level: 'error',
          file: f.path,
          message: (e as Error)?.message ?? String(e),
          code: (e as { code?: string }).code ?? 'unreadable',
        });
        continue;
      }
      const tf: TfFile = { path: f.path, rel: f.rel, hcl: parseTfFile(f, text) };
      this.diagnostics.push(...hclDiagnostics(tf));
      const dir = posix.dirname(f.path.split('\\').join('/'));
      const list = this.dirs.get(dir) ?? [];
      list.push(tf);
      this.dirs.set(dir, list);
    }
  }

  private localSource(dir: string, b: Block, file: TfFile): string | undefined {
    const a = b.body.attributes.find((x) => x.name === 'source');
    if (!a) return undefined;
    const v = a.expr.type === 'literal' ? a.expr.value : undefined;
    if (typeof v !== 'string') return undefined;
    if (!v.startsWith('./') && !v.startsWith('../')) {
      this.diagnostics.push({
        level: 'info',
        file: file.path,
        line: b.range.start.line,
        column: b.range.start.column,
        message: `module "${b.labels[0] ?? ''}" uses a remote source (${v.slice(0, 120)}); its resources are not scanned`,
        code: 'terraform-remote-module',
      });
      return undefined;
    }
    return posix.normalize(posix.join(dir, v)).replace(/\/$/, '');
  }

  /** Root directories: those with `.tf` files that no other directory calls as a local module. */
  units(): Unit[] {
    const called = new Set<string>();
    const calls = new Map<string, string[]>();
    for (const [dir, files] of this.dirs)
      for (const f of files) {
        if (isTfvars(f.path)) continue;
        for (const b of f.hcl.body.blocks)
          if (b.blockType === 'module') {
            const a = b.body.attributes.find((x) => x.name === 'source');
            const v = a?.expr.type === 'literal' ? a.expr.value : undefined;
            if (typeof v !== 'string' || !(v.startsWith('./') || v.startsWith('../'))) continue;
            const target = posix.normalize(posix.join(dir, v)).replace(/\/$/, '');
            if (target === dir) continue;
            called.add(target);
            calls.set(dir, [...(calls.get(dir) ?? []), target]);
          }
      }
    const hasTf = (d: string) => (this.dirs.get(d) ?? []).some((f) => !isTfvars(f.path));
    const roots = [...this.dirs.keys()].filter((d) => !called.has(d) && hasTf(d));
    // directories only reachable through a cycle of module calls become roots too
    const reached = new Set<string>();
    const visit = (d: string): void => {
      if (reached.has(d)) return;
      reached.add(d);
      for (const t of calls.get(d) ?? []) visit(t);
    };
    for (const r of roots) visit(r);
    for (const d of [...this.dirs.keys()].sort())
      if (hasTf(d) && !reached.has(d)) {
        roots.push(d);
        visit(d);
      }
    return roots.map((dir) => {
      const files = this.dirs.get(dir) ?? [];
      const root = this.ctx.root.split('\\').join('/');
      const rel = posix.relative(root, dir) || '.';
      return { dir, rel, instances: [], tfvarsFiles: files.filter((f) => isTfvars(f.path)) };
    });
  }

  /** Instantiate the root module of a unit and its local modules (recursively). */
  async instantiate(unit: Unit): Promise<void> {
    const vars = new Map<string, Value>();
    await this.instance(unit, unit.dir, '', vars, undefined, 0, new Set());
  }

  private async instance(
    unit: Unit,
    dir: string,
    prefix: string,
    callArgs: Map<string, Value>,
    callSite: { file: TfFile; block: Block } | undefined,
    depth: number,
    stack: Set<string>,
  ): Promise<void> {
    const files = (this.dirs.get(dir) ?? []).filter((f) => !isTfvars(f.path));
    if (files.length === 0 && callSite) {
      this.diagnostics.push({
        level: 'warning',
        file: callSite.file.path,
        line: callSite.block.range.start.line,
        column: callSite.block.range.start.column,
        message: `module "${callSite.block.labels[0] ?? ''}": no Terraform files found in ${dir}`,
        code: 'terraform-module-missing',
      });
      return;
    }
    const scope: EvalScope = {
      vars: new Map(),
      locals: new Map(),
      localCache: new Map(),
      moduleDir: dir,
      rootDir: unit.dir,
      prefix,
      files: this.fileTexts,
      dataArgs: () => undefined,
    };
    const inst: ModuleInstance = { dir, prefix, scope, files, blocks: [] };
    const dataBlocks = new Map<string, BlockRef>();
    for (const f of files) {
      const ev = new Evaluator(f.hcl, scope);
      for (const b of f.hcl.body.blocks) {
        const [l0, l1] = b.labels;
        let address: string | undefined;
        if (b.blockType === 'resource' && l0 && l1) address = `${l0}.${l1}`;
        else if (b.blockType === 'data' && l0 && l1) address = `data.${l0}.${l1}`;
        else if ((b.blockType === 'variable' || b.blockType === 'module' || b.blockType === 'output') && l0)
          address = `${b.blockType === 'variable' ? 'var' : b.blockType}.${l0}`;
        if (b.blockType === 'locals') for (const a of b.body.attributes) scope.locals.set(a.name, { expr: a.expr, text: f.hcl.text });
        if (!address) continue;
        const ref: BlockRef = { block: b, file: f, inst, address: prefix + address, ev };
        inst.blocks.push(ref);
        if (b.blockType === 'data') dataBlocks.set(address, ref);
      }
    }
    scope.dataArgs = (address, attr) => {
      const r = dataBlocks.get(address);
      const a = r?.block.body.attributes.find((x) => x.name === attr);
      return r && a ? r.ev.eval(a.expr) : undefined;
    };
    // variables: defaults, then tfvars (root only), then module arguments
    for (const r of inst.blocks) {
      if (r.block.blockType !== 'variable') continue;
      const name = r.block.labels[0] as string;
      const d = r.block.body.attributes.find((a) => a.name === 'default');
      if (d) scope.vars.set(name, new Evaluator(r.file.hcl, { ...scope, vars: new Map() }).eval(d.expr));
    }
    if (!callSite)
      for (const tv of unit.tfvarsFiles.filter((f) => isAutoTfvars(f.path)).sort((a, b) => a.path.localeCompare(b.path))) {
        const ev = new Evaluator(tv.hcl, { ...scope, vars: new Map() });
        for (const a of tv.hcl.body.attributes) scope.vars.set(a.name, ev.eval(a.expr));
      }
    for (const [k, v] of callArgs) scope.vars.set(k, v);
    // pre-read files for file()
    await this.preread(inst);
    unit.instances.push(inst);
    // child modules
    if (depth >= MAX_MODULE_DEPTH) return;
    for (const r of inst.blocks) {
      if (r.block.blockType !== 'module') continue;
      const target = this.localSource(dir, r.block, r.file);
      if (!target) continue;
      if (stack.has(target) || target === dir) {
        this.diagnostics.push({
          level: 'warning',
          file: r.file.path,
          line: r.block.range.start.line,
          column: r.block.range.start.column,
          message: `module "${r.block.labels[0] ?? ''}" calls itself (cycle); skipped`,
          code: 'terraform-module-cycle',
        });
        continue;
      }
      const args = new Map<string, Value>();
      for (const a of r.block.body.attributes) {
        if (['source', 'version', 'count', 'for_each', 'providers', 'depends_on'].includes(a.name)) continue;
        args.set(a.name, r.ev.eval(a.expr));
      }
      const next = new Set(stack);
      next.add(dir);
      await this.instance(
        unit,
        target,
        `${prefix}module.${r.block.labels[0] ?? ''}.`,
        args,
        { file: r.file, block: r.block },
        depth + 1,
        next,
      );
    }
  }

  private async preread(inst: ModuleInstance): Promise<void> {
    for (const f of inst.files) {
      if (!f.hcl.text.includes('file(')) continue;
      // a private cache: results seen before the files are read must not stick
      const ev = new Evaluator(f.hcl, { ...inst.scope, cache: new WeakMap(), localCache: new Map() });
      const wanted: { path: string; at: Expr }[] = [];
      walkBody(f.hcl.body, (x) => {
        if (x.type !== 'call' || (x.name !== 'file' && x.name !== 'templatefile') || !x.args[0]) return;
        const p = ev.eval(x.args[0]);
        if (typeof p === 'string') wanted.push({ path: p, at: x });
      });
      for (const { path: p, at: x } of wanted) {
        const abs = resolveModulePath(inst.scope, p);
        if (this.fileTexts.has(abs) || this.failedReads.has(abs)) continue;
        try {
          this.fileTexts.set(abs, await this.ctx.readText(abs));
        } catch (err) {
          this.failedReads.add(abs);
          this.diagnostics.push({
            level: 'warning',
            file: f.path,
            line: x.range.start.line,
            column: x.range.start.column,
            message: `file(${JSON.stringify(p.slice(0, 200))}): ${(err as Error)?.message ?? err}`,
            code: 'terraform-file',
          });
        }
      }
    }
  }
}
