// In-code loading: shield(handler, policy) and a middy-compatible middleware (no dependency on middy).

import {
  addViolationHook,
  configure,
  enterWrapper,
  install,
  invocationStart,
  isInstalled,
  killError,
  leaveWrapper,
  normalizeInput,
  policyFromEnv,
} from './core.cjs';
import type { ShieldEvent, ViolationHook } from './events.cjs';
import type { PolicyInput } from './policy.cjs';

export interface ShieldOptions {
  /** Called with every block/alert event (after logging); exceptions are ignored. */
  onViolation?: ViolationHook;
}

/**
 * Install the shield from code. The environment policy, when present, always wins: a code policy may then only
 * make it stricter. Without one, the first code policy replaces the default policy; later ones may only tighten.
 */
export function protect(policy?: PolicyInput, options: ShieldOptions = {}): void {
  if (!isInstalled()) {
    const fromEnv = policyFromEnv();
    if (fromEnv) install(fromEnv, 'env');
  }
  if (policy !== undefined) configure(normalizeInput(policy), 'code');
  else if (!isInstalled()) install(normalizeInput(undefined), 'default');
  if (options.onViolation) addViolationHook(options.onViolation);
}

type Handler<E, C, R> = (event: E, context: C, ...rest: unknown[]) => R | Promise<R>;

/** Wrap a Lambda handler: the policy is sealed when the first invocation starts; kill mode fails the invocation. */
export function shield<E, C extends { awsRequestId?: string } | undefined, R>(
  handler: Handler<E, C, R>,
  policy?: PolicyInput,
  options?: ShieldOptions,
): (event: E, context: C, ...rest: unknown[]) => Promise<R> {
  if (typeof handler !== 'function') throw new TypeError('shield(handler): handler must be a function');
  protect(policy, options);
  return async function shielded(event: E, context: C, ...rest: unknown[]): Promise<R> {
    invocationStart(context?.awsRequestId ?? null);
    enterWrapper();
    let result: R | undefined;
    let failed = false;
    let error: unknown;
    try {
      result = await handler(event, context, ...rest);
    } catch (e) {
      failed = true;
      error = e;
    }
    const killed: ShieldEvent | null = leaveWrapper();
    if (killed) throw killError(killed);
    if (failed) throw error;
    return result as R;
  };
}

export interface MiddyRequest {
  context?: { awsRequestId?: string } | undefined;
  [k: string]: unknown;
}

/** A middy-style middleware object: `middy(handler).use(shieldMiddleware(policy))`. */
export function shieldMiddleware(policy?: PolicyInput, options?: ShieldOptions) {
  protect(policy, options);
  return {
    before(request: MiddyRequest): void {
      invocationStart(request.context?.awsRequestId ?? null);
      enterWrapper();
    },
    after(_request: MiddyRequest): void {
      const killed = leaveWrapper();
      if (killed) throw killError(killed);
    },
    onError(_request: MiddyRequest): void {
      leaveWrapper();
    },
  };
}
