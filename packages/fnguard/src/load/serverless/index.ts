/**
 * Serverless Framework adapter (v3 and v4 `serverless.yml` / `.yaml` / `.json`, and
 * `serverless-compose.yml`). See docs/formats/serverless.md.
 *
 * - Parses with the shared YAML/JSON loaders (positions, alias-bomb and depth limits), resolves
 *   variables statically (variables.ts), then builds the Model (service.ts, iam.ts, events.ts).
 * - The `resources:` section goes through the CloudFormation adapter's `loadCloudFormationResources`.
 * - `serverless-compose.yml` lists services by path: each service's serverless.yml is loaded once
 *   (deduplicated with the files discovery found directly).
 * - `serverless.js`/`.ts` are never executed (discovery reports them).
 * Never throws for a bad file: diagnostics with file and line.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { DiscoveredFile } from '../../discover/types.js';
import { type App, type Diagnostic, isUnknown, type Maybe, unknown } from '../../model/types.js';
import { isObj, type Obj, type Tpl } from '../cloudformation/intrinsics.js';
import { parseJson } from '../json/parseJson.js';
import type { Adapter, LoadContext } from '../types.js';
import { parseYaml } from '../yaml/parseYaml.js';
import type { PositionMap } from '../yaml/positions.js';
import type { Svc } from './context.js';
import { buildService } from './service.js';
import { resolveConfig } from './variables.js';

export { resolveConfig, VariableResolver } from './variables.js';

function relPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

export interface ParsedConfig {
  value: unknown;
  positions: PositionMap;
  ok: boolean;
}

/** Parse a serverless config file's text (YAML or JSON), reporting diagnostics. */
export function parseServerlessText(text: string, file: string, diagnostic: (d: Diagnostic) => void): ParsedConfig {
  const json = /\.json$/i.test(file);
  const r = json ? parseJson(text, file) : parseYaml(text, file);
  for (const d of r.diagnostics) diagnostic(d);
  return { value: r.value, positions: r.positions, ok: r.ok };
}

/** Load one serverless config (already read) into a Model fragment. */
export async function loadServerlessConfig(text: string, file: string, ctx: LoadContext): Promise<Partial<App>> {
  const parsed = parseServerlessText(text, file, ctx.diagnostic);
  if (parsed.value === undefined || parsed.value === null) {
    if (parsed.ok)
      ctx.diagnostic({ level: 'warning', file, line: 1, column: 1, message: 'empty serverless config', code: 'invalid-config' });
    return {};
  }
  if (!isObj(parsed.value)) {
    ctx.diagnostic({
      level: 'error',
      file,
      line: 1,
      column: 1,
      message: 'not a Serverless Framework config: the top level must be a mapping',
      code: 'invalid-config',
    });
    return {};
  }
  const pos = parsed.positions;
  const dir = dirname(file);
  const resolution = await resolveConfig(parsed.value, { file, dir, env: ctx.env, opts: ctx.opts, positions: pos }, ctx);
  for (const d of resolution.diagnostics) ctx.diagnostic(d);
  const cfg = resolution.value;
  if (!isObj(cfg)) return {};
  const rel = relPath(ctx.root, file);
  const seen = new Set<string>();
  const diag = (level: Diagnostic['level'], message: string, where: { file: string; line: number; column: number }, code: string) => {
    // provider-level settings are read once per function: report each problem once
    const key = `${where.file}:${where.line}:${where.column}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    ctx.diagnostic({ level, file: where.file || file, line: where.line, column: where.column, message, code });
  };
  let provider: Obj = {};
  if (isObj(cfg.provider) && !isUnknown(cfg.provider)) provider = cfg.provider;
  else if (typeof cfg.provider === 'string') provider = { name: cfg.provider };
  else if (cfg.provider !== undefined && !isUnknown(cfg.provider))
    diag('warning', 'provider must be a mapping; ignored', pos.at(cfg, 'provider'), 'invalid-config');
  const providerName = provider.name;
  if (typeof providerName === 'string' && providerName !== 'aws') {
    diag(
      'info',
      `provider '${providerName}' is not supported by the serverless adapter (only aws); skipped`,
      pos.at(provider, 'name'),
      'unsupported-provider',
    );
    return { sources: [{ file, format: 'serverless' }] };
  }
  // logical ids defined in `resources:` (a mapping or a list of mappings)
  const definedResources: Obj = {};
  for (const block of Array.isArray(cfg.resources) ? cfg.resources : [cfg.resources])
    if (isObj(block) && isObj(block.Resources) && !isUnknown(block.Resources)) Object.assign(definedResources, block.Resources);
  const t: Tpl = {
    file,
    rel,
    dir,
    format: 'serverless',
    pos,
    parameters: {},
    mappings: {},
    conditions: {},
    resources: definedResources,
    diag,
  };
  const service = serviceName(cfg, pos);
  const stageV = ctx.opts.stage ?? provider.stage ?? 'dev';
  const stage: Maybe<string> = typeof stageV === 'string' ? stageV : isUnknown(stageV) ? stageV : String(stageV);
  const s: Svc = { t, file, rel, dir, pos, cfg, provider, prefix: `serverless:${rel}#`, service, stage, diag };
  const part = buildService(s, ctx);
  part.sources = [{ file, format: 'serverless', ...(typeof service === 'string' ? { unit: service } : {}) }];
  return part;
}

function serviceName(cfg: Obj, pos: PositionMap): Maybe<string> | undefined {
  const v = cfg.service;
  if (typeof v === 'string') return v;
  if (isObj(v) && typeof v.name === 'string') return v.name;
  if (isUnknown(v)) return v;
  if (v !== undefined) return unknown(String(v), { hint: 'other', where: pos.at(cfg, 'service') });
  return undefined;
}

/** The serverless configs a compose file lists (`services.<name>.path`), as absolute file paths found on disk. */
async function composeServices(f: DiscoveredFile, ctx: LoadContext): Promise<string[]> {
  let text: string;
  try {
    text = await ctx.readText(f.path);
  } catch (e) {
    ctx.diagnostic({
      level: 'error',
      file: f.path,
      message: (e as Error)?.message ?? String(e),
      code: (e as { code?: string }).code ?? 'unreadable',
    });
    return [];
  }
  const parsed = parseServerlessText(text, f.path, ctx.diagnostic);
  const v = parsed.value;
  if (!isObj(v) || !isObj(v.services)) {
    if (parsed.ok)
      ctx.diagnostic({
        level: 'warning',
        file: f.path,
        line: 1,
        column: 1,
        message: 'serverless-compose: no services mapping',
        code: 'invalid-config',
      });
    return [];
  }
  const out: string[] = [];
  const dir = dirname(f.path);
  for (const [name, svc] of Object.entries(v.services)) {
    const p = isObj(svc) && typeof svc.path === 'string' ? svc.path : undefined;
    const where = parsed.positions.at(v.services, name);
    if (!p) {
      ctx.diagnostic({
        level: 'warning',
        file: f.path,
        line: where.line,
        column: where.column,
        message: `compose service '${name}' has no path`,
        code: 'invalid-config',
      });
      continue;
    }
    const svcDir = resolve(dir, p);
    const cfgName = isObj(svc) && typeof svc.config === 'string' ? svc.config : undefined;
    const candidates = cfgName
      ? [join(svcDir, cfgName)]
      : ['serverless.yml', 'serverless.yaml', 'serverless.json'].map((n) => join(svcDir, n));
    const found = candidates.find((c) => ctx.files.some((x) => x.path === c)) ?? candidates.find(() => true);
    if (!found) continue;
    const known = ctx.files.some((x) => x.path === found);
    if (!known) {
      // not found by discovery (ignored, too large, outside root...): try reading it anyway through the limits
      try {
        await ctx.readText(found);
      } catch {
        ctx.diagnostic({
          level: 'warning',
          file: f.path,
          line: where.line,
          column: where.column,
          message: `compose service '${name}': no serverless config found at ${relPath(ctx.root, svcDir) || '.'}`,
          code: 'compose-service-missing',
        });
        continue;
      }
    }
    out.push(found);
  }
  return out;
}

export const serverlessAdapter: Adapter = {
  id: 'serverless',
  select: (files) => files.filter((f) => f.kind === 'iac' && (f.subtype === 'serverless' || f.subtype === 'serverless-compose')),
  async load(files, ctx) {
    const app: Partial<App> = { functions: [], identities: [], apis: [], layers: [], resources: [], sources: [] };
    const targets: string[] = [];
    for (const f of files) {
      if (f.subtype === 'serverless-compose') targets.push(...(await composeServices(f, ctx)));
      else targets.push(f.path);
    }
    const seen = new Set<string>();
    for (const path of targets) {
      if (seen.has(path)) continue;
      seen.add(path);
      try {
        let text: string;
        try {
          text = await ctx.readText(path);
        } catch (e) {
          ctx.diagnostic({
            level: 'error',
            file: path,
            message: (e as Error)?.message ?? String(e),
            code: (e as { code?: string }).code ?? 'unreadable',
          });
          continue;
        }
        const part = await loadServerlessConfig(text, path, ctx);
        app.functions?.push(...(part.functions ?? []));
        app.identities?.push(...(part.identities ?? []));
        app.apis?.push(...(part.apis ?? []));
        app.layers?.push(...(part.layers ?? []));
        app.resources?.push(...(part.resources ?? []));
        app.sources?.push(...(part.sources ?? []));
      } catch (e) {
        ctx.diagnostic({
          level: 'error',
          file: path,
          message: `could not load serverless config: ${(e as Error)?.message ?? e}`,
          code: 'adapter-error',
        });
      }
    }
    return app;
  },
};
