// Shield state: the one installed policy (closure-held, frozen), sealing, invocation tracking, /tmp hygiene,
// permission-model drops and the kernel layer. Nothing here is reachable through a global.
import fs = require('node:fs');
import path = require('node:path');
import dc = require('node:diagnostics_channel');

import { blockedError, createReporter, type Reporter, type ShieldEvent, type ViolationHook } from './events.cjs';
import { installGuards } from './guards.cjs';
import { type Kernel, loadKernel } from './kernel.cjs';
import { isTightening, normalizePolicy, PolicyError, type PolicyInput, parsePolicyText, type ShieldPolicy } from './policy.cjs';

export type PolicySource = 'default' | 'env' | 'code';
/** How register.cjs compiled the runtime: with its V8 code cache, cache refused by V8, or no cache for this Node. */
export type CodeCacheStatus = 'used' | 'rejected' | 'none';

interface State {
  policy: ShieldPolicy;
  source: PolicySource;
  sealed: boolean;
  requestId: string | null;
  hooks: ViolationHook[];
  reporter: Reporter;
  tmpSnapshot: Set<string> | null;
  kernel: Kernel;
  /** Set by the handler wrapper while an invocation runs: kill mode then fails that invocation. */
  wrapperDepth: number;
  lastBlock: ShieldEvent | null;
}

let state: State | undefined;
const readFileSync = fs.readFileSync;
const readdirSync = fs.readdirSync;
const rmSync = fs.rmSync;
const exit = process.exit.bind(process);
const permission = (process as { permission?: { has(s: string, r?: string): boolean; drop?: (s: string, r?: string) => void } }).permission;
const permissionDrop = permission?.drop?.bind(permission);
const permissionHas = permission?.has.bind(permission);

export const REGISTER_PATH = path.join(__dirname, 'register.cjs');

function sealedError(): Error & { code: string } {
  const e = new Error('fnguard shield policy is sealed: it can only be made stricter') as Error & { code: string };
  e.code = 'ERR_FNGUARD_SHIELD_SEALED';
  return e;
}

/** Read FNGUARD_SHIELD_POLICY (JSON or @/path). Returns undefined when the variable is not set. */
export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): ShieldPolicy | undefined {
  const raw = env.FNGUARD_SHIELD_POLICY;
  if (raw === undefined || raw.trim() === '') return undefined;
  return normalizePolicy(
    parsePolicyText(raw, (p) => readFileSync(p, 'utf8')),
    env,
  );
}

/**
 * Install the shield once per process (idempotent). `source` decides what later calls may do:
 * a `default` policy may be replaced once by code before the first invocation; after that (or when the policy
 * came from the environment) a new policy is accepted only if it is at least as strict.
 */
export function install(policy: ShieldPolicy, source: PolicySource, load?: { codeCache: CodeCacheStatus }): void {
  if (state) {
    configure(policy, source);
    return;
  }
  const st: State = {
    policy,
    source,
    sealed: false,
    requestId: null,
    hooks: [],
    tmpSnapshot: null,
    kernel: { status: 'off', reason: 'not loaded', lock: () => 'off' },
    wrapperDepth: 0,
    lastBlock: null,
    reporter: undefined as unknown as Reporter,
  };
  st.reporter = createReporter({
    policy: () => st.policy,
    requestId: () => st.requestId,
    hooks: () => st.hooks,
    kill: (ev) => {
      st.lastBlock = ev;
      if (st.wrapperDepth === 0) process.nextTick(() => exit(1));
    },
  });
  state = st;
  installGuards({
    policy: () => st.policy,
    sealed: () => st.sealed,
    reporter: st.reporter,
    registerPath: REGISTER_PATH,
    policyJson: () => JSON.stringify(st.policy),
  });
  if (policy.kernel !== 'off') st.kernel = loadKernel();
  if (policy.kernel === 'require' && st.kernel.status !== 'available')
    throw new PolicyError(`kernel layer required but unavailable: ${st.kernel.reason}`);
  if (process.env.FNGUARD_SHIELD_SEALED === '1') seal();
  watchRuntimeApi();
  st.reporter.info({
    event: 'start',
    node: process.version,
    source,
    layers: {
      js: true,
      permission: permissionHas ? 'on' : 'off',
      kernel: st.kernel.status,
      ...(st.kernel.status === 'available' ? {} : { kernelReason: st.kernel.reason }),
    },
    ...(load ? { codeCache: load.codeCache } : {}),
  });
}

export function configure(policy: ShieldPolicy, source: PolicySource): void {
  if (!state) {
    install(policy, source);
    return;
  }
  if (state.source === 'default' && !state.sealed && source === 'code') {
    state.policy = policy;
    state.source = 'code';
    return;
  }
  if (!isTightening(state.policy, policy)) throw sealedError();
  state.policy = policy;
}

export function isInstalled(): boolean {
  return state !== undefined;
}

export function currentPolicy(): ShieldPolicy | undefined {
  return state?.policy;
}

export function addViolationHook(h: ViolationHook): void {
  if (typeof h !== 'function') throw new TypeError('onViolation must be a function');
  state?.hooks.push(h);
}

export function status() {
  return {
    installed: state !== undefined,
    sealed: state?.sealed ?? false,
    source: state?.source ?? null,
    kernel: state?.kernel.status ?? 'off',
    violations: state?.reporter.counts.total ?? 0,
  };
}

/** Seal: from now on reads of the task root count as readHandler, the kernel lock and permission drops apply. */
export function seal(): void {
  const st = state;
  if (!st || st.sealed) return;
  st.sealed = true;
  const p = st.policy;
  if (p.childProcess.mode === 'block' && st.kernel.status === 'available') {
    const r = st.kernel.lock();
    st.reporter.info({ event: 'kernel', status: r });
  }
  if (permissionDrop) {
    const drops: string[] = [];
    if (p.addons.mode === 'block' && permissionHas?.('addon')) drops.push('addon');
    if (p.childProcess.mode === 'block' && permissionHas?.('child')) drops.push('child');
    if (p.workers.mode === 'block' && permissionHas?.('worker')) drops.push('worker');
    for (const d of drops)
      try {
        permissionDrop(d);
      } catch {
        // older builds: nothing to drop
      }
    if (drops.length) st.reporter.info({ event: 'permission-drop', dropped: drops });
  }
  if (p.tmpHygiene) st.tmpSnapshot = listTmp(p.tmpDir);
}

function listTmp(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

/** Called when an invocation starts (wrapper, middleware, or a /next call seen on the Runtime API). */
export function invocationStart(requestId: string | null): void {
  const st = state;
  if (!st) return;
  if (!st.sealed) seal();
  else if (st.policy.tmpHygiene) wipeTmp();
  st.requestId = requestId;
  st.reporter.counts.invocation = 0;
  st.lastBlock = null;
}

/** Remove every top-level entry of the tmp directory that was not there when the shield sealed. */
export function wipeTmp(): number {
  const st = state;
  if (!st?.tmpSnapshot) return 0;
  let n = 0;
  for (const name of listTmp(st.policy.tmpDir)) {
    if (st.tmpSnapshot.has(name)) continue;
    try {
      rmSync(path.join(st.policy.tmpDir, name), { recursive: true, force: true });
      n++;
    } catch {
      // best effort
    }
  }
  return n;
}

export function setRequestId(id: string | null): void {
  if (state) state.requestId = id;
}

export function enterWrapper(): void {
  if (state) state.wrapperDepth++;
}
export function leaveWrapper(): ShieldEvent | null {
  if (!state) return null;
  state.wrapperDepth = Math.max(0, state.wrapperDepth - 1);
  const ev = state.policy.kill ? state.lastBlock : null;
  state.lastBlock = null;
  return ev;
}

export function killError(ev: ShieldEvent): Error {
  return blockedError(ev.policy, `an operation during this invocation; kill mode ends it`, ev.details);
}

/** Observe the Lambda Runtime API over node:http: GET .../invocation/next starts an invocation. */
function watchRuntimeApi(): void {
  const api = process.env.AWS_LAMBDA_RUNTIME_API;
  if (!api) return;
  const isNext = (req: { path?: string; method?: string }) =>
    req.method === 'GET' && typeof req.path === 'string' && req.path.endsWith('/runtime/invocation/next');
  dc.subscribe('http.client.request.start', (msg) => {
    const req = (msg as { request?: { path?: string; method?: string; host?: string } }).request;
    if (req && isNext(req)) invocationStart(null);
  });
  dc.subscribe('http.client.response.finish', (msg) => {
    const m = msg as { request?: { path?: string; method?: string }; response?: { headers?: Record<string, unknown> } };
    if (m.request && isNext(m.request)) {
      const id = m.response?.headers?.['lambda-runtime-aws-request-id'];
      if (typeof id === 'string') setRequestId(id);
    }
  });
}

/**
 * A policy given in code. Where it does not name `tmpDir` or `taskRoot`, it keeps the installed
 * policy's: a code policy says what to allow, not where the function lives (otherwise a partial code
 * policy would reset them to the defaults and be refused as a relaxation).
 */
export function normalizeInput(input: PolicyInput | ShieldPolicy | undefined): ShieldPolicy {
  let raw: unknown = input ?? {};
  if (state && typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    if (o.tmpDir === undefined || o.taskRoot === undefined)
      raw = { ...o, tmpDir: o.tmpDir ?? state.policy.tmpDir, taskRoot: o.taskRoot ?? state.policy.taskRoot };
  }
  return normalizePolicy(raw);
}
