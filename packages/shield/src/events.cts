// Violation events: the blocked-operation error, one JSON line per block/alert on stdout (rate-limited and
// de-duplicated), the offending stack frame, CloudWatch EMF fields, onViolation hooks and kill mode.
import fs = require('node:fs');

import type { Mode, PolicyName, ShieldPolicy } from './policy.cjs';

export const BLOCKED_CODE = 'ERR_FNGUARD_SHIELD_BLOCKED';

export interface Frame {
  file: string;
  line: number;
  column: number;
  /** `node_modules/<package>` of the frame, or null for the function's own code. */
  package: string | null;
}

export interface ShieldEvent {
  fnguard_shield: true;
  /** FunctionShield-compatible marker. */
  function_shield: true;
  policy: PolicyName;
  mode: Mode;
  timestamp: string;
  requestId: string | null;
  function: string | null;
  layer: 'js' | 'kernel' | 'permission';
  details: Record<string, unknown>;
  frame: Frame | null;
  suppressed?: number;
}

export type ShieldError = Error & { code: string; policy: PolicyName; details: Record<string, unknown> };

// Captured at load, before any user code runs: later patches of fs, stdout or console cannot silence events.
const writeSync = fs.writeSync;
const dateNow = Date.now;
const DateCtor = Date;
const jsonStringify = JSON.stringify;
const ownDir = __dirname;

export function blockedError(policy: PolicyName, message: string, details: Record<string, unknown>): ShieldError {
  const e = new Error(`fnguard shield blocked ${message} (policy ${policy})`) as ShieldError;
  e.code = BLOCKED_CODE;
  e.policy = policy;
  e.details = details;
  return e;
}

export function packageOf(file: string): string | null {
  const i = file.lastIndexOf('node_modules/');
  if (i < 0) return null;
  const rest = file.slice(i + 'node_modules/'.length).split('/');
  if (rest[0]?.startsWith('@') && rest[1]) return `${rest[0]}/${rest[1]}`;
  return rest[0] || null;
}

/** The first stack frame outside the shield and Node's internals. */
export function offendingFrame(): Frame | null {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  const prep = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = 40;
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    Error.captureStackTrace(holder, offendingFrame);
    const stack = String(holder.stack ?? '');
    for (const line of stack.split('\n').slice(1)) {
      const m = /(?:\(|at )((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?\s*$/.exec(line);
      if (!m) continue;
      const file = m[1]!.replace(/^file:\/\//, '');
      if (file.startsWith(ownDir) || file.startsWith('node:')) continue;
      return { file, line: Number(m[2]), column: Number(m[3]), package: packageOf(file) };
    }
    return null;
  } catch {
    return null;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prep;
  }
}

export type ViolationHook = (event: Readonly<ShieldEvent>) => void;

export interface Reporter {
  /** Record one block/alert; returns the event (after rate limiting the line may not be written). */
  report(policy: PolicyName, mode: Mode, details: Record<string, unknown>, layer?: ShieldEvent['layer']): ShieldEvent;
  info(fields: Record<string, unknown>): void;
  readonly counts: { total: number; invocation: number };
}

export interface ReporterContext {
  policy: () => ShieldPolicy;
  requestId: () => string | null;
  hooks: () => readonly ViolationHook[];
  /** Called after a block in kill mode. */
  kill: (event: ShieldEvent) => void;
  fd?: number;
}

export function createReporter(ctx: ReporterContext): Reporter {
  const fd = ctx.fd ?? 1;
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;
  const recent = new Map<string, number>();
  const counts = { total: 0, invocation: 0 };
  const write = (line: string) => {
    try {
      writeSync(fd, `${line}\n`);
    } catch {
      // stdout closed or EAGAIN: events are best-effort, enforcement is not affected.
    }
  };
  return {
    counts,
    info(fields) {
      write(jsonStringify({ fnguard_shield: true, ...fields, timestamp: new DateCtor(dateNow()).toISOString() }));
    },
    report(policy, mode, details, layer = 'js') {
      counts.total++;
      counts.invocation++;
      const p = ctx.policy();
      const event: ShieldEvent = {
        fnguard_shield: true,
        function_shield: true,
        policy,
        mode,
        timestamp: new DateCtor(dateNow()).toISOString(),
        requestId: ctx.requestId(),
        function: process.env.AWS_LAMBDA_FUNCTION_NAME ?? null,
        layer,
        details,
        frame: offendingFrame(),
      };
      const now = dateNow();
      const key = `${policy}|${mode}|${jsonStringify(details)}|${event.frame?.file}:${event.frame?.line}|${event.requestId}`;
      const last = recent.get(key);
      let emit = true;
      if (last !== undefined && now - last < 10_000) emit = false;
      if (now - windowStart >= 1000) {
        windowStart = now;
        inWindow = 0;
      }
      if (emit && inWindow >= p.log.rateLimit) emit = false;
      if (emit) {
        if (recent.size > 1000) recent.clear();
        recent.set(key, now);
        inWindow++;
        if (suppressed) event.suppressed = suppressed;
        suppressed = 0;
        const out: Record<string, unknown> = { ...event };
        if (p.log.emf) {
          out._aws = {
            Timestamp: now,
            CloudWatchMetrics: [
              { Namespace: 'fnguard/shield', Dimensions: [['policy', 'mode']], Metrics: [{ Name: 'Violations', Unit: 'Count' }] },
            ],
          };
          out.Violations = 1;
        }
        write(jsonStringify(out));
      } else suppressed++;
      for (const h of ctx.hooks()) {
        try {
          h(Object.freeze({ ...event }));
        } catch {
          // a failing hook must not change enforcement
        }
      }
      if (mode === 'block' && p.kill) ctx.kill(event);
      return event;
    },
  };
}
