/**
 * CloudFormation / SAM / CDK adapter.
 *
 * `cloudformationAdapter` loads the files discovery classified as `iac`/`cloudformation`
 * (YAML or JSON; `cdk.out/**\/*.template.json` too). Format: `Transform: AWS::Serverless-2016-10-31`
 * -> `sam`; `aws:cdk:path` metadata or a `cdk.out` folder -> `cdk`; else `cloudformation`.
 * Ids: `<format>:<file relative to root>#<LogicalId>` for functions, identities, APIs and layers;
 * resources keep their logical id.
 *
 * For the Serverless Framework adapter, `loadCloudFormationResources` loads a serverless.yml
 * `resources:` section (already parsed with `parseYaml` from ../yaml, so CFN short-form tags are in
 * long form and positions are known):
 *
 * ```ts
 * const r = parseYaml(text, file);
 * const part = loadCloudFormationResources(r.value.resources, r.positions, ctx, {
 *   file, format: 'serverless',
 *   functions: { HelloLambdaFunction: helloFn },      // optional: your Fn objects by CFN logical id
 *   identities: { IamRoleLambdaExecution: role },     // optional: your Identity objects by logical id
 *   apis: { ApiGatewayRestApi: restApi },              // optional: your Api objects by logical id
 * });
 * mergeInto(app, part);   // or merge part.* yourself
 * ```
 *
 * `resources` is the value of the `resources:` key: `{ Resources, Conditions, Mappings, Outputs }`
 * or a list of such objects (serverless allows `resources: [ ${file(a.yml)}, { Resources: ... } ]`;
 * already-resolved entries are merged in order). Permissions, function URLs, event source
 * mappings, S3/SNS/EventBridge links, log groups and `AWS::IAM::Policy` with `Roles` attach to the
 * `functions`/`identities` you pass (they are not returned again); everything defined in the
 * section (roles, functions, APIs, queues, parameters...) is returned as a Model fragment.
 * Diagnostics go to `ctx.diagnostic`. Never throws.
 */
import { sep } from 'node:path';
import type { DiscoveredFile } from '../../discover/types.js';
import type { Api, App, Diagnostic, Fn, Identity, SourceFormat } from '../../model/types.js';
import { parseJson } from '../json/parseJson.js';
import type { Adapter, LoadContext } from '../types.js';
import { parseYaml } from '../yaml/parseYaml.js';
import type { PositionMap } from '../yaml/positions.js';
import { isObj } from './intrinsics.js';
import { loadTemplate } from './template.js';

export { detectFormat, loadTemplate, type TemplateOptions } from './template.js';

export interface ResourcesOptions {
  /** Absolute path of the file the section comes from. */
  file: string;
  format?: SourceFormat;
  functions?: Record<string, Fn>;
  identities?: Record<string, Identity>;
  /** Your APIs by CFN logical id (`ApiGatewayRestApi`, `HttpApi`, `WebsocketsApi`). */
  apis?: Record<string, Api>;
}

/** Load a serverless.yml `resources:` section (see the file header). */
export function loadCloudFormationResources(
  resources: unknown,
  positions: PositionMap,
  ctx: Pick<LoadContext, 'diagnostic' | 'root'>,
  opts: ResourcesOptions,
): Partial<App> {
  if (resources === undefined || resources === null) return {};
  let doc: Record<string, unknown>;
  if (Array.isArray(resources)) {
    // merge the list entries' sections (later entries add to earlier ones)
    doc = {};
    for (const part of resources) {
      if (!isObj(part)) continue;
      for (const [k, v] of Object.entries(part)) {
        if (isObj(v) && isObj(doc[k])) {
          const merged = { ...(doc[k] as Record<string, unknown>), ...v };
          // keep positions of the merged section's keys
          const a = positions.get(doc[k] as object);
          const bInfo = positions.get(v);
          positions.set(merged, {
            where: bInfo?.where ?? a?.where ?? { file: opts.file, line: 1, column: 1 },
            keys: new Map([...(a?.keys ?? []), ...(bInfo?.keys ?? [])]),
          });
          doc[k] = merged;
        } else doc[k] = v;
      }
    }
  } else if (isObj(resources)) doc = resources;
  else {
    ctx.diagnostic({
      level: 'warning',
      file: opts.file,
      ...lineOf(positions, resources),
      message: 'resources must be a mapping or a list of mappings; ignored',
      code: 'invalid-template',
    });
    return {};
  }
  try {
    const part = loadTemplate(doc, positions, ctx.diagnostic, {
      file: opts.file,
      root: ctx.root,
      format: opts.format ?? 'serverless',
      ...(opts.functions ? { functions: opts.functions } : {}),
      ...(opts.identities ? { identities: opts.identities } : {}),
      ...(opts.apis ? { apis: opts.apis } : {}),
    });
    delete part.sources;
    return part;
  } catch (e) {
    ctx.diagnostic({
      level: 'error',
      file: opts.file,
      message: `could not load resources: ${(e as Error)?.message ?? e}`,
      code: 'adapter-error',
    });
    return {};
  }
}

function lineOf(positions: PositionMap, v: unknown): { line?: number; column?: number } {
  const w = positions.where(v);
  return w ? { line: w.line, column: w.column } : {};
}

function isCdkOut(f: DiscoveredFile): boolean {
  return /(^|\/)cdk\.out\//.test(f.rel) || f.path.includes(`${sep}cdk.out${sep}`);
}

/** Parse one template file (YAML or JSON by extension/content) and load it. */
export async function loadCloudFormationFile(f: DiscoveredFile, ctx: LoadContext): Promise<Partial<App>> {
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
    return {};
  }
  const diags: Diagnostic[] = [];
  const json = /\.json$/i.test(f.path) || /^\s*\{/.test(text);
  let r = json ? parseJson(text, f.path) : parseYaml(text, f.path);
  if (json && !r.ok && !/\.json$/i.test(f.path)) r = parseYaml(text, f.path); // a flow-style YAML file
  diags.push(...r.diagnostics);
  for (const d of diags) ctx.diagnostic(d);
  if (!r.ok && r.value === undefined) return {};
  return loadTemplate(r.value, r.positions, ctx.diagnostic, { file: f.path, root: ctx.root, cdk: isCdkOut(f) });
}

export const cloudformationAdapter: Adapter = {
  id: 'cloudformation',
  select: (files) =>
    files.filter((f) => f.kind === 'iac' && f.subtype === 'cloudformation' && !/(^|\/)cdk\.out\/asset\.[^/]*\//.test(f.rel)),
  async load(files, ctx) {
    const app: Partial<App> = { functions: [], identities: [], apis: [], layers: [], resources: [], sources: [] };
    for (const f of files) {
      let part: Partial<App>;
      try {
        part = await loadCloudFormationFile(f, ctx);
      } catch (e) {
        ctx.diagnostic({
          level: 'error',
          file: f.path,
          message: `could not load template: ${(e as Error)?.message ?? e}`,
          code: 'adapter-error',
        });
        continue;
      }
      app.functions?.push(...(part.functions ?? []));
      app.identities?.push(...(part.identities ?? []));
      app.apis?.push(...(part.apis ?? []));
      app.layers?.push(...(part.layers ?? []));
      app.resources?.push(...(part.resources ?? []));
      app.sources?.push(...(part.sources ?? []));
    }
    return app;
  },
};
