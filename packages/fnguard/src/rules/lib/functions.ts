/** Function-level helpers for the CFG/LOG/SUP rules: identity lookup, provider defaults, naming. */
import type { App, Fn, Identity, SourceFormat, Trigger, TriggerKind } from '../../model/types.js';

/** The function's execution identity, when the Model resolved one. */
export function identityOf(app: App, fn: Fn): Identity | undefined {
  if (fn.identity === undefined) return undefined;
  return app.identities.find((i) => i.id === fn.identity);
}

/** Default timeout (seconds) the provider applies when none is set. */
export function defaultTimeout(format: SourceFormat): number {
  return format === 'serverless' ? 6 : 3;
}

/** Default memory (MB) the provider applies when none is set. */
export function defaultMemory(format: SourceFormat): number {
  return format === 'serverless' ? 1024 : 128;
}

/** Triggers behind API Gateway (integration timeout about 29 s for REST, 30 s for HTTP APIs). */
export const API_GATEWAY_KINDS: readonly TriggerKind[] = ['rest-api', 'http-api', 'websocket'];

/** Triggers Lambda invokes asynchronously (events are retried twice, then dropped unless a DLQ / destination exists). */
export const ASYNC_KINDS: readonly TriggerKind[] = ['s3', 'sns', 'eventbridge', 'schedule', 'iot', 'cloudwatch-logs', 'cognito'];

/** Triggers read through an event-source mapping. */
export const STREAM_KINDS: readonly TriggerKind[] = ['kinesis', 'dynamodb-stream', 'kafka', 'mq'];

/** Is this trigger invoked asynchronously? Explicit `async` from the adapter wins. */
export function isAsyncTrigger(t: Trigger): boolean {
  if (t.async !== undefined) return t.async;
  return t.kind === 's3' || t.kind === 'sns' || t.kind === 'eventbridge';
}

/** AWS Lambda functions only (CFG/LOG/SUP rules are AWS settings). */
export function awsFunctions(app: App): Fn[] {
  return app.functions.filter((f) => f.provider === 'aws');
}

/** `'name'` for messages. */
export function fnLabel(fn: Fn): string {
  return `'${fn.name}'`;
}

/** The logical part of a Model id (`terraform:.#aws_sqs_queue.jobs` -> `aws_sqs_queue.jobs`, `cloudformation:t.json#Jobs` -> `Jobs`). */
export function localId(id: string): string {
  return id.slice(id.lastIndexOf('#') + 1);
}

/** Does a reference (an Unknown's `target`, or an id) name the object with Model id `id`? Adapters use either form. */
export function sameRef(ref: string | undefined, id: string | undefined): boolean {
  if (!ref || !id) return false;
  return ref === id || localId(ref) === localId(id);
}
