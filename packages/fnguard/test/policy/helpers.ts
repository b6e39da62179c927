/** Test helpers for the policy analysis: parse snippets with the code front end, build small Models. */
import { parseModule } from '../../src/analyze/code/parse.js';
import { type App, emptyApp, type Fn, type Resource, unknown } from '../../src/model/types.js';
import { type Detection, detectModule } from '../../src/policy/detect.js';

export function detect(source: string, file = '/app/handler.ts'): Detection {
  const { module } = parseModule(file, source);
  if (!module) throw new Error('snippet did not parse');
  return detectModule(module);
}

const W = { file: '/app/template.yaml', line: 1, column: 1 };

/** A SAM-like App with one function and the given resources; env values `!Ref X` point at resources. */
export function sampleApp(
  env: Record<string, string>,
  resources: { id: string; type: string; name?: string; props?: Resource['props'] }[],
): { app: App; fn: Fn } {
  const app = emptyApp('/app');
  const fn: Fn = {
    id: 'sam:template.yaml#Fn',
    name: 'Fn',
    provider: 'aws',
    format: 'sam',
    env: Object.entries(env).map(([name, v]) => ({
      name,
      value: v.startsWith('!Ref ') ? unknown(v, { hint: 'ref', target: v.slice(5) }) : v,
      where: W,
    })),
    layers: [],
    triggers: [],
    permissions: [],
    resourceId: 'Fn',
    functionName: 'fn',
    where: W,
  };
  app.functions.push(fn);
  for (const r of resources)
    app.resources.push({
      id: r.id,
      type: r.type,
      sourceType: r.type,
      format: 'sam',
      props: r.props ?? {},
      where: W,
      ...(r.name ? { name: r.name } : {}),
    });
  return { app, fn };
}
