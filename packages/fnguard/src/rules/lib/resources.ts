/** Resolving Model references between functions, triggers and resources. Pure helpers for rules. */
import { type App, isUnknown, type Maybe, type Resource, type Trigger } from '../../model/types.js';

function lastSegment(arnOrName: string): string {
  const parts = arnOrName.split(/[:/]/);
  return parts[parts.length - 1] ?? arnOrName;
}

/**
 * The Resource a trigger's `source` points at, when it is in this project:
 * an Unknown with `target` (a `!GetAtt Queue.Arn`, `aws_sqs_queue.q.arn`) is matched against
 * resource ids; a known string is matched against resource ids and known names (the last ARN
 * segment). Returns undefined when it cannot be told (never guesses between several candidates).
 */
export function resolveSource(app: App, source: Maybe<string> | undefined): Resource | undefined {
  if (source === undefined) return undefined;
  if (isUnknown(source)) {
    const t = source.target;
    if (!t) return undefined;
    return app.resources.find((r) => r.id === t) ?? app.resources.find((r) => r.id.endsWith(`.${t}`) || t.startsWith(`${r.id}.`));
  }
  const byId = app.resources.find((r) => r.id === source);
  if (byId) return byId;
  const name = lastSegment(source);
  const byName = app.resources.filter((r) => typeof r.name === 'string' && (r.name === source || r.name === name));
  return byName.length === 1 ? byName[0] : undefined;
}

/** The resource a trigger reads from (see `resolveSource`). */
export function triggerSource(app: App, t: Trigger): Resource | undefined {
  return resolveSource(app, t.source);
}

/** The readable part of a Model id (`terraform:.#aws_lambda_permission.x` -> `aws_lambda_permission.x`). */
export function shortId(id: string): string {
  const hash = id.lastIndexOf('#');
  return hash >= 0 ? id.slice(hash + 1) : id;
}
