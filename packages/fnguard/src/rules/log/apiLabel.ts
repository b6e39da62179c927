/** Shared wording for the API-stage LOG rules. */
import type { Api, ApiStage, App, Fn } from '../../model/types.js';

export function apiLabel(api: Api): string {
  if (typeof api.name === 'string') return `'${api.name}'`;
  // Model ids look like `sam:template.yaml#OrdersApi`: show the logical name.
  return `'${api.id.slice(api.id.lastIndexOf('#') + 1)}'`;
}

export function stageLabel(s: ApiStage): string {
  return typeof s.name === 'string' ? `stage '${s.name}'` : 'the stage';
}

/** The API's functions, for report targeting: the function when exactly one uses the API. */
export function apiFunction(app: App, api: Api): Fn | null {
  const fns = app.functions.filter((f) => f.triggers.some((t) => t.apiId === api.id));
  return fns.length === 1 ? (fns[0] ?? null) : null;
}
