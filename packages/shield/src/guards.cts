// The JS guard: wraps the lowest public JS entry points of every capability (research/shield.md §2.1, §2.3).
// All originals are captured here before user code runs; wrappers are installed non-writable where possible.
import type * as ChildProcessModule from 'node:child_process';
import type * as DgramModule from 'node:dgram';
import type * as DnsModule from 'node:dns';

import fs = require('node:fs');
import Module = require('node:module');
import net = require('node:net');
import path = require('node:path');
import stream = require('node:stream');
import url = require('node:url');
import vm = require('node:vm');

import { blockedError, type Reporter, type ShieldError } from './events.cjs';
import { AWS_ENDPOINTS, compileNetAllow, type NetMatcher } from './netmatch.cjs';
import type { Mode, PolicyName, ShieldPolicy } from './policy.cjs';

export interface GuardContext {
  policy(): ShieldPolicy;
  sealed(): boolean;
  reporter: Reporter;
  registerPath: string;
  policyJson(): string;
}

// biome-ignore lint/suspicious/noExplicitAny: wrappers forward arbitrary call signatures
type AnyFn = (...args: any[]) => any;

const nextTick = process.nextTick;
const cwd = process.cwd.bind(process);
const { isAbsolute, join, normalize, dirname, basename } = path;
const fileURLToPath = url.fileURLToPath;
const realpathNative = fs.realpathSync.native;
const readlinkSync = fs.readlinkSync;
const lstatSync = fs.lstatSync;
const BufferIsBuffer = Buffer.isBuffer;
const ReflectApply = Reflect.apply;
/** `uncurry(f)(thisArg, ...args)` calls f without a lookup of `call` on a prototype user code can patch, and without an array. */
const uncurry = (f: AnyFn): AnyFn => Function.prototype.call.bind(f);
const ReflectConstruct = Reflect.construct;
const defineProperty = Object.defineProperty;
const getBuiltinModule = (process as { getBuiltinModule?: (n: string) => unknown }).getBuiltinModule?.bind(process);
const registerHooks = (Module as unknown as { registerHooks?: (h: object) => void }).registerHooks;

/** A builtin by id, without the experimental warnings some of them print on first load (sqlite, wasi). */
function builtin(name: string): Record<string, unknown> | undefined {
  const emit = process.emitWarning;
  try {
    process.emitWarning = () => {};
    return (getBuiltinModule ? getBuiltinModule(name) : require(name)) as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * Deferred patches: builtins that the rest of Node never hands out on its own (fs/promises, dns/promises,
 * inspector, sqlite, wasi) are patched the first time code can reach them, which saves loading them at cold
 * start. Every public route goes through one of: the module resolve hook (require, import, createRequire,
 * Module._load, import()), process.getBuiltinModule, or the `fs.promises` / `dns.promises` getters; the patch
 * runs before the module object is returned. Without module.registerHooks (Node 20, 22 before 22.15) there is
 * no hook for `import`, so everything is patched at once.
 */
const deferred = new Map<string, (() => void)[]>();
const allDeferred: (() => void)[] = [];
/** Without hooks, the patches run at the end of installGuards, in the order they were declared. */
const eager: (() => void)[] = [];
const canDefer = typeof registerHooks === 'function' && typeof getBuiltinModule === 'function';
/**
 * A patch may create an ESM facade that snapshotted the originals (attack row #7), so the facades are refreshed
 * after patching. `Module.syncBuiltinESMExports()` walks every builtin (about 0.35 M instructions a call), so
 * patches run together (installGuards, a builtin that needs several of them) refresh once, when the last one is
 * done and before any other code runs: `batchDepth` counts the batches open, `syncPending` says a patch ran.
 */
let batchDepth = 0;
let syncPending = false;
function batch(body: () => void): void {
  batchDepth++;
  try {
    body();
  } finally {
    batchDepth--;
  }
  if (batchDepth === 0 && syncPending) {
    syncPending = false;
    Module.syncBuiltinESMExports();
  }
}
function runAll(list: readonly (() => void)[]): void {
  batch(() => {
    for (const run of list) run();
  });
}
function defer(ids: readonly string[], patch: () => void): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    syncPending = true;
    batch(patch);
  };
  allDeferred.push(run);
  if (!canDefer) eager.push(run);
  else
    for (const id of ids) {
      const list = deferred.get(id);
      if (list) list.push(run);
      else deferred.set(id, [run]);
    }
  return run;
}
/**
 * Builtins that load none of the deferred modules, eagerly or lazily (for child_process, worker_threads, dgram and
 * dns the only loaders are cluster, inspector and child_process itself, identical on Node 20 to 26:
 * test/unit/deferred.test.ts checks it on every binary). Any other builtin, including one a later Node adds, runs
 * every deferred patch before it is handed out.
 */
const LOADS_NO_DEFERRED = new Set([
  // the parts of http, stream and tls that Node lists as builtins (loaded with them)
  '_http_agent',
  '_http_client',
  '_http_common',
  '_http_incoming',
  '_http_outgoing',
  '_http_server',
  '_stream_duplex',
  '_stream_passthrough',
  '_stream_readable',
  '_stream_transform',
  '_stream_wrap',
  '_stream_writable',
  '_tls_common',
  '_tls_wrap',
  'assert',
  'assert/strict',
  'async_hooks',
  'buffer',
  'console',
  'constants',
  'crypto',
  'diagnostics_channel',
  'events',
  'fs',
  'http',
  'https',
  'http2',
  'module',
  'net',
  'os',
  'path',
  'path/posix',
  'path/win32',
  'perf_hooks',
  'process',
  'punycode',
  'querystring',
  'readline',
  'readline/promises',
  'stream',
  'stream/consumers',
  'stream/promises',
  'stream/web',
  'string_decoder',
  'timers',
  'timers/promises',
  'tls',
  'tty',
  'url',
  'util',
  'util/types',
  'vm',
  'zlib',
]);
export const DEFERRED_SAFE_BUILTINS: ReadonlySet<string> = LOADS_NO_DEFERRED;
const isBuiltin = (Module as unknown as { isBuiltin?: (s: string) => boolean }).isBuiltin;
let allRun = false;
function touchBuiltin(spec: unknown): void {
  if (allRun || typeof spec !== 'string') return;
  const id = spec.startsWith('node:') ? spec.slice(5) : spec;
  const list = deferred.get(id);
  if (list) {
    runAll(list);
    return;
  }
  if (LOADS_NO_DEFERRED.has(id) || !(isBuiltin?.(spec) ?? true)) return;
  allRun = true;
  runAll(allDeferred);
}
/**
 * Deferring is sound only for modules nobody holds yet. The shield may be installed after code already obtained
 * some (`shield(handler)`, the middleware, or the static imports of the file whose first line imports the
 * register module: ESM links every import before it runs any): whatever is loaded already is patched now, and any
 * loaded builtin outside the safe list runs every patch.
 */
function patchLoaded(): void {
  const loaded = new Set((process as { moduleLoadList?: string[] }).moduleLoadList ?? []);
  for (const [id, list] of deferred) if (loaded.has(`NativeModule ${id}`)) runAll(list);
  for (const name of Module.builtinModules) {
    const id = name.startsWith('node:') ? name.slice(5) : name;
    if (deferred.has(id) || LOADS_NO_DEFERRED.has(id) || !loaded.has(`NativeModule ${id}`)) continue;
    allRun = true;
    runAll(allDeferred);
    return;
  }
}
/** Patch `obj.promises` (a lazy getter in Node) on first read. */
function deferGetter(obj: object, key: string, run: () => void): void {
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  if (!canDefer || !desc?.get || !desc.configurable) {
    run();
    return;
  }
  const get = desc.get;
  defineProperty(obj, key, {
    ...desc,
    get(this: unknown) {
      run();
      return ReflectApply(get, this, []);
    },
  });
}

/** Replace obj[key] with a wrapper; non-writable so later code cannot swap it back or away. */
function replace(obj: object, key: string, make: (orig: AnyFn) => AnyFn): void {
  const orig = (obj as Record<string, unknown>)[key];
  if (typeof orig !== 'function') return;
  const w = make(orig as AnyFn);
  try {
    defineProperty(w, 'name', { value: (orig as AnyFn).name });
  } catch {}
  // Keep the original attributes: code that patches fs (graceful-fs, test mocks) keeps working, and a
  // replaced wrapper exposes nothing, since the originals live only in this closure.
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  if (desc && 'value' in desc) {
    if (desc.configurable) defineProperty(obj, key, { ...desc, value: w });
    else if (desc.writable) (obj as Record<string, unknown>)[key] = w;
  } else (obj as Record<string, unknown>)[key] = w;
}

/** Wrap a class so that `new C()` and `C.prototype.constructor` both go through the check. */
function replaceClass(obj: object, key: string, check: (args: unknown[]) => unknown[] | undefined): void {
  const Orig = (obj as Record<string, unknown>)[key] as (new (...a: unknown[]) => object) | undefined;
  if (typeof Orig !== 'function') return;
  const Guarded = function (this: unknown, ...args: unknown[]): object {
    if (!new.target) throw new TypeError(`Class constructor ${Orig.name} cannot be invoked without 'new'`);
    const a = check(args) ?? args;
    return ReflectConstruct(Orig, a, (new.target as unknown) === Guarded ? Orig : new.target);
  } as unknown as new (
    ...a: unknown[]
  ) => object;
  defineProperty(Guarded, 'name', { value: Orig.name });
  Guarded.prototype = Orig.prototype;
  Object.setPrototypeOf(Guarded, Object.getPrototypeOf(Orig));
  for (const k of Object.getOwnPropertyNames(Orig)) {
    if (k === 'prototype' || k === 'length' || k === 'name') continue;
    try {
      defineProperty(Guarded, k, Object.getOwnPropertyDescriptor(Orig, k)!);
    } catch {}
  }
  try {
    defineProperty(Orig.prototype, 'constructor', { value: Guarded, writable: true, configurable: true, enumerable: false });
  } catch {}
  defineProperty(obj, key, { value: Guarded, writable: true, configurable: true, enumerable: true });
}

export function installGuards(ctx: GuardContext): void {
  const { reporter } = ctx;

  /** Report a non-allow-listed operation. Returns the error to raise in block mode, or null to proceed. */
  const gate = (name: PolicyName, what: string, details: Record<string, unknown>): ShieldError | null => {
    const mode: Mode = ctx.policy()[name].mode;
    if (mode === 'allow') return null;
    reporter.report(name, mode, details);
    return mode === 'block' ? blockedError(name, what, details) : null;
  };

  // ---------------------------------------------------------------- network
  let netCache: { p: ShieldPolicy; m: NetMatcher } | undefined;
  const runtimeApi = [process.env.AWS_LAMBDA_RUNTIME_API, process.env.AWS_XRAY_DAEMON_ADDRESS].filter((x): x is string => !!x);
  const matcher = (): NetMatcher => {
    const p = ctx.policy();
    if (netCache?.p !== p) {
      const extra = p.network.aws ? AWS_ENDPOINTS : [];
      netCache = { p, m: compileNetAllow([...p.network.allow, ...extra, ...runtimeApi]) };
    }
    return netCache.m;
  };
  // The original dns.lookup, captured by the (deferred) dns patch before it wraps it.
  let origLookup: AnyFn | undefined;
  const nameAllowed = (host: string): boolean => {
    const m = matcher();
    if (m.host(host, undefined) || host === 'localhost') return true;
    // name rules with a port also allow the name to be resolved
    const p = ctx.policy();
    for (const e of [...p.network.allow, ...(p.network.aws ? AWS_ENDPOINTS : []), ...runtimeApi]) {
      const i = e.lastIndexOf(':');
      if (i > 0 && !e.includes('[') && compileNetAllow([e.slice(0, i)]).host(host, undefined)) return true;
    }
    return m.hasIpRules;
  };

  interface ConnTarget {
    host?: string;
    port?: number;
    path?: string;
  }
  const parseConnectArgs = (args: unknown[]): { opts: Record<string, unknown>; cb: AnyFn | undefined } => {
    let a = args;
    if (Array.isArray(a[0])) a = a[0] as unknown[];
    const first = a[0];
    const cb = a.find((x) => typeof x === 'function') as AnyFn | undefined;
    if (first !== null && typeof first === 'object') return { opts: first as Record<string, unknown>, cb };
    if (typeof first === 'string' && !/^\d+$/.test(first)) return { opts: { path: first }, cb };
    return { opts: { port: first, host: typeof a[1] === 'string' ? a[1] : undefined }, cb };
  };

  replace(
    net.Socket.prototype,
    'connect',
    (orig) =>
      function (this: net.Socket, ...args: unknown[]) {
        const { opts, cb } = parseConnectArgs(args);
        const t: ConnTarget = {};
        if (typeof opts.path === 'string') t.path = opts.path;
        else {
          t.host = typeof opts.host === 'string' && opts.host ? opts.host : 'localhost';
          t.port = Number(opts.port);
        }
        const m = matcher();
        let err: ShieldError | null = null;
        if (t.path !== undefined) {
          if (!m.unix(t.path)) err = gate('network', `connection to ${t.path}`, { path: t.path });
        } else if (!m.host(t.host!, t.port)) {
          if (net.isIP(t.host!) === 0 && m.hasIpRules && ctx.policy().network.mode !== 'allow') {
            // The name is not listed but an address rule may match: check the resolved addresses before connecting.
            if (!origLookup) runDns();
            const userLookup = typeof opts.lookup === 'function' ? (opts.lookup as AnyFn) : origLookup!;
            const host = t.host!;
            const port = t.port;
            const lookup = (h: string, o: unknown, done: AnyFn) => {
              userLookup(h, o, (e: Error | null, addr: unknown, fam: unknown) => {
                if (e) return done(e);
                const list = Array.isArray(addr)
                  ? (addr as { address: string; family: number }[])
                  : [{ address: String(addr), family: fam }];
                const ok = list.filter((x) => m.ip(x.address, port));
                if (ok.length === 0) {
                  const ge = gate('network', `connection to ${host}:${port}`, { host, port, address: list.map((x) => x.address) });
                  if (ge) return done(ge);
                  return done(null, addr, fam);
                }
                if (Array.isArray(addr)) return done(null, ok);
                return done(null, addr, fam);
              });
            };
            const newOpts = { ...opts, lookup };
            return ReflectApply(orig, this, cb ? [newOpts, cb] : [newOpts]);
          }
          err = gate('network', `connection to ${t.host}:${t.port}`, { host: t.host, port: t.port });
        }
        if (err) {
          const e = err;
          if (cb) this.once('connect', cb as () => void);
          nextTick(() => this.destroy(e));
          return this;
        }
        return ReflectApply(orig, this, args);
      },
  );

  // Listening: refused synchronously (under the permission model on 25+ a denied listen() crashes the process
  // asynchronously, research row #35). Allow with network entries "listen:<port>" or "listen:*".
  replace(
    net.Server.prototype,
    'listen',
    (orig) =>
      function (this: net.Server, ...args: unknown[]) {
        const a0 = args[0];
        const port = typeof a0 === 'object' && a0 !== null ? (a0 as { port?: unknown }).port : a0;
        const p = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)) ? Number(port) : undefined;
        if (!matcher().host('listen', p)) {
          const err = gate('network', `listen on port ${p ?? String(port)}`, { listen: p ?? String(port) });
          if (err) throw err;
        }
        return ReflectApply(orig, this, args);
      },
  );

  // UDP. Deferred: loaded by dgram, child_process and cluster only (the patches are on Socket.prototype).
  defer(['dgram', 'child_process', 'cluster'], () => {
    const dgram = builtin('dgram') as unknown as typeof DgramModule;
    const udpTarget = (sock: DgramModule.Socket, port: unknown, address: unknown): { host: string; port: number | undefined } => {
      if (port === undefined || port === null) {
        try {
          const r = sock.remoteAddress();
          return { host: r.address, port: r.port };
        } catch {
          return { host: '', port: undefined };
        }
      }
      const fam = (sock as unknown as { type?: string }).type === 'udp6' ? '::1' : '127.0.0.1';
      return { host: typeof address === 'string' && address ? address : fam, port: Number(port) };
    };
    replace(
      dgram.Socket.prototype,
      'send',
      (orig) =>
        function (this: DgramModule.Socket, ...args: unknown[]) {
          const rest = args.slice(1);
          const cb = typeof rest[rest.length - 1] === 'function' ? (rest.pop() as AnyFn) : undefined;
          let port: unknown;
          let address: unknown;
          if (rest.length >= 3 && typeof rest[0] === 'number' && typeof rest[1] === 'number') [, , port, address] = rest;
          else [port, address] = rest;
          const t = udpTarget(this, port, address);
          if (!matcher().host(t.host, t.port)) {
            const err = gate('network', `UDP datagram to ${t.host}:${t.port}`, { host: t.host, port: t.port, protocol: 'udp' });
            if (err) {
              if (cb) nextTick(cb, err);
              else nextTick(() => this.emit('error', err));
              return;
            }
          }
          return ReflectApply(orig, this, args);
        },
    );
    replace(
      dgram.Socket.prototype,
      'connect',
      (orig) =>
        function (this: DgramModule.Socket, ...args: unknown[]) {
          const t = udpTarget(this, args[0], typeof args[1] === 'string' ? args[1] : undefined);
          if (!matcher().host(t.host, t.port)) {
            const err = gate('network', `UDP connect to ${t.host}:${t.port}`, { host: t.host, port: t.port, protocol: 'udp' });
            if (err) {
              nextTick(() => this.emit('error', err));
              return;
            }
          }
          return ReflectApply(orig, this, args);
        },
    );
  });

  // DNS: a lookup alone can exfiltrate data, so names not on the list are refused before any query.
  const DNS_FNS = [
    'lookup',
    'lookupService',
    'resolve',
    'resolve4',
    'resolve6',
    'resolveAny',
    'resolveCaa',
    'resolveCname',
    'resolveMx',
    'resolveNaptr',
    'resolveNs',
    'resolvePtr',
    'resolveSoa',
    'resolveSrv',
    'resolveTlsa',
    'resolveTxt',
    'reverse',
  ];
  const dnsCheck = (fn: string, args: unknown[]): ShieldError | null => {
    const q = String(args[0]);
    if (fn === 'reverse' || fn === 'lookupService') {
      if (matcher().ip(q, undefined)) return null;
    } else if (nameAllowed(q)) return null;
    return gate('network', `DNS query for ${q}`, { host: q, dns: fn });
  };
  const wrapDnsCb = (obj: object) => {
    for (const fn of DNS_FNS)
      replace(
        obj,
        fn,
        (orig) =>
          function (this: unknown, ...args: unknown[]) {
            const err = dnsCheck(fn, args);
            if (err) {
              const cb = args[args.length - 1];
              if (typeof cb === 'function') {
                nextTick(cb as AnyFn, err);
                return {};
              }
              throw err;
            }
            return ReflectApply(orig, this, args);
          },
      );
  };
  const wrapDnsPromise = (obj: object) => {
    for (const fn of DNS_FNS)
      replace(
        obj,
        fn,
        (orig) =>
          function (this: unknown, ...args: unknown[]) {
            const err = dnsCheck(fn, args);
            if (err) return Promise.reject(err);
            return ReflectApply(orig, this, args);
          },
      );
  };
  // Deferred: no other builtin loads node:dns (net resolves through its own internals, after the connect check).
  let runDnsPromises: () => void = () => {};
  const runDns = defer(['dns', 'dns/promises'], () => {
    const dns = builtin('dns') as unknown as typeof DnsModule;
    origLookup = dns.lookup;
    wrapDnsCb(dns);
    wrapDnsCb(dns.Resolver.prototype);
    deferGetter(dns, 'promises', runDnsPromises);
  });
  runDnsPromises = defer(['dns/promises'], () => {
    runDns();
    // through the getter: on Node 20 it also links the promise API to the default resolver
    const dp = (builtin('dns') as unknown as typeof DnsModule).promises;
    wrapDnsPromise(dp);
    wrapDnsPromise(dp.Resolver.prototype);
  });

  // ---------------------------------------------------------------- child processes
  const cpDetails = (file: unknown, args: unknown) => ({
    path: typeof file === 'string' ? file : String(file),
    arguments: Array.isArray(args) ? args.slice(0, 20).map((a) => String(a).slice(0, 200)) : [],
  });
  // Deferred: only cluster loads node:child_process (and it loads dgram, patched before it).
  defer(['child_process', 'cluster'], () => {
    const cp = builtin('child_process') as unknown as typeof ChildProcessModule;
    replace(
      cp.ChildProcess.prototype,
      'spawn',
      (orig) =>
        function (this: ChildProcessModule.ChildProcess & { _handle: unknown }, options: { file?: string; args?: string[] }) {
          const err = gate('childProcess', `child process ${options?.file}`, cpDetails(options?.file, options?.args));
          if (err) {
            this._handle = null;
            nextTick(() => {
              this.emit('error', err);
              this.emit('close', null, null);
            });
            return undefined;
          }
          return ReflectApply(orig, this, [options]);
        },
    );
    replace(
      cp,
      'spawnSync',
      (orig) =>
        function (this: unknown, ...args: unknown[]) {
          const err = gate('childProcess', `child process ${String(args[0])}`, cpDetails(args[0], args[1]));
          if (err) return { pid: 0, output: null, stdout: null, stderr: null, status: null, signal: null, error: err };
          return ReflectApply(orig, this, args);
        },
    );
    for (const fn of ['execSync', 'execFileSync'])
      replace(
        cp,
        fn,
        (orig) =>
          function (this: unknown, ...args: unknown[]) {
            const err = gate('childProcess', `child process ${String(args[0])}`, cpDetails(args[0], args[1]));
            if (err) throw err;
            return ReflectApply(orig, this, args);
          },
      );
  });
  replace(
    process,
    'execve',
    (orig) =>
      function (this: unknown, ...args: unknown[]) {
        const err = gate('childProcess', `process.execve ${String(args[0])}`, cpDetails(args[0], args[1]));
        if (err) throw err;
        return ReflectApply(orig, this, args);
      },
  );

  // ---------------------------------------------------------------- internal bindings
  const BINDING_POLICY: Record<string, PolicyName> = {
    spawn_sync: 'childProcess',
    process_wrap: 'childProcess',
    tcp_wrap: 'network',
    udp_wrap: 'network',
    pipe_wrap: 'network',
    cares_wrap: 'network',
    tls_wrap: 'network',
    stream_wrap: 'network',
    js_stream: 'network',
    tty_wrap: 'network',
    fs: 'fsRead',
    fs_event_wrap: 'fsRead',
    inspector: 'inspector',
    contextify: 'codeGeneration',
  };
  replace(
    process,
    'binding',
    (orig) =>
      function (this: unknown, name: unknown) {
        const pol = BINDING_POLICY[String(name)];
        if (pol) {
          const err = gate(pol, `process.binding('${String(name)}')`, { binding: String(name) });
          if (err) throw err;
        }
        return ReflectApply(orig, this, [name]);
      },
  );
  replace(
    process,
    '_linkedBinding',
    (orig) =>
      function (this: unknown, name: unknown) {
        const err = gate('addons', `process._linkedBinding('${String(name)}')`, { binding: String(name) });
        if (err) throw err;
        return ReflectApply(orig, this, [name]);
      },
  );

  // ---------------------------------------------------------------- native code
  const pathAllowed = (p: string, list: readonly string[]): boolean => {
    for (const e of list) {
      if (e === '/') return true;
      if (e.endsWith('*')) {
        if (p.startsWith(e.slice(0, -1))) return true;
      } else if (p === e || (p.startsWith(e) && p.charCodeAt(e.length) === 47)) return true;
    }
    return false;
  };
  replace(
    process,
    'dlopen',
    (orig) =>
      function (this: unknown, ...args: unknown[]) {
        let file = String(args[1]);
        try {
          file = realpathNative(file);
        } catch {}
        if (!pathAllowed(file, ctx.policy().addons.allow)) {
          const err = gate('addons', `native addon ${file}`, { path: file });
          if (err) throw err;
        }
        return ReflectApply(orig, this, args);
      },
  );
  // node:ffi (26+). Deferred like sqlite and wasi: no other builtin loads it (test/unit/deferred.test.ts), and
  // loading it at cold start cost 1.9 M instructions (Node 26.10, callgrind).
  if (Module.builtinModules.includes('node:ffi') || Module.builtinModules.includes('ffi'))
    defer(['ffi'], () => {
      const ffi = builtin('node:ffi');
      if (ffi)
        for (const k of Object.keys(ffi)) {
          if (typeof ffi[k] !== 'function') continue;
          if (/^[A-Z]/.test(k))
            replaceClass(ffi, k, () => {
              const err = gate('ffi', `node:ffi ${k}`, { api: k });
              if (err) throw err;
              return undefined;
            });
          else
            replace(
              ffi,
              k,
              (orig) =>
                function (this: unknown, ...args: unknown[]) {
                  const err = gate('ffi', `node:ffi ${k}`, { api: k, library: typeof args[0] === 'string' ? args[0] : undefined });
                  if (err) throw err;
                  return ReflectApply(orig, this, args);
                },
            );
        }
    });

  // ---------------------------------------------------------------- workers
  const DANGEROUS_ARGV =
    /^--(expose[-_]internals|allow[-_]natives[-_]syntax|inspect|debug|no[-_]experimental[-_]permission|experimental[-_]vm[-_]modules|import|require|loader|experimental[-_]loader|r$)/;
  const requireFlag = `--require=${ctx.registerPath}`;
  // Deferred: only inspector loads node:worker_threads; the inspector ids run this patch first.
  defer(['worker_threads', 'inspector', 'inspector/promises'], () => {
    const wt = builtin('worker_threads') as unknown as typeof import('node:worker_threads');
    replaceClass(wt, 'Worker', (args) => {
      const [file, rawOpts] = args;
      const opts = { ...((rawOpts ?? {}) as Record<string, unknown>) };
      let err = gate('workers', 'worker thread', {
        eval: opts.eval === true,
        file: typeof file === 'string' ? file.slice(0, 200) : String(file),
      });
      if (err) throw err;
      const isData = (typeof file === 'string' || file instanceof URL) && /^(data|blob):/i.test(String(file));
      if (opts.eval === true || isData) {
        err = gate('codeGeneration', 'worker from a code string', { api: 'Worker', eval: true });
        if (err) throw err;
      }
      if (Array.isArray(opts.execArgv)) {
        const bad = (opts.execArgv as unknown[]).map(String).filter((a) => DANGEROUS_ARGV.test(a));
        if (bad.length) {
          err = gate('workers', 'worker with dangerous execArgv', { execArgv: bad });
          if (err) throw err;
        }
        opts.execArgv = [requireFlag, ...(opts.execArgv as unknown[])];
      }
      // Always propagate the shield and the current policy into the worker, whatever env the caller passed.
      const base = opts.env !== null && typeof opts.env === 'object' ? (opts.env as Record<string, string>) : { ...process.env };
      const nodeOptions = String(base.NODE_OPTIONS ?? '');
      opts.env = {
        ...base,
        NODE_OPTIONS: nodeOptions.includes(ctx.registerPath) ? nodeOptions : `${requireFlag} ${nodeOptions}`.trim(),
        FNGUARD_SHIELD_POLICY: ctx.policyJson(),
        FNGUARD_SHIELD_SEALED: ctx.sealed() ? '1' : '0',
      };
      return [file, opts];
    });
  });

  // ---------------------------------------------------------------- inspector
  const inspectorGate = (api: string) => {
    const err = gate('inspector', `inspector ${api}`, { api });
    if (err) throw err;
  };
  // inspector/promises shares `open` and extends `Session` of node:inspector, so both ids patch the one module.
  defer(['inspector', 'inspector/promises'], () => {
    const inspector = builtin('inspector') as unknown as typeof import('node:inspector');
    replace(
      inspector,
      'open',
      (orig) =>
        function (this: unknown, ...args: unknown[]) {
          inspectorGate('open');
          return ReflectApply(orig, this, args);
        },
    );
    for (const m of ['connect', 'connectToMainThread'])
      replace(
        inspector.Session.prototype,
        m,
        (orig) =>
          function (this: unknown, ...args: unknown[]) {
            inspectorGate(`Session.${m}`);
            return ReflectApply(orig, this, args);
          },
      );
  });

  // ---------------------------------------------------------------- code generation
  const cgMode = ctx.policy().codeGeneration.mode;
  let dataUrlGate: ((spec: string) => void) | undefined;
  // Installed in every mode (each call reads the current mode): a policy set later in code may tighten
  // codeGeneration from allow to block, and that must be enforced too.
  {
    const cgGate = (api: string) => {
      const err = gate('codeGeneration', `code generation with ${api}`, { api });
      if (err) {
        const e = new EvalError(err.message) as EvalError & { code: string; policy: string };
        e.code = err.code;
        e.policy = 'codeGeneration';
        throw e;
      }
    };
    for (const fn of ['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction'])
      replace(
        vm,
        fn,
        (orig) =>
          function (this: unknown, ...args: unknown[]) {
            cgGate(`vm.${fn}`);
            return ReflectApply(orig, this, args);
          },
      );
    replaceClass(vm, 'Script', () => {
      cgGate('vm.Script');
      return undefined;
    });
    // Function and its async/generator siblings: both the global and every `.constructor` path.
    const ctors = [Function, async () => {}, function* () {}, async function* () {}].map((f) =>
      f === Function ? Function : Object.getPrototypeOf(f).constructor,
    ) as AnyFn[];
    for (const C of ctors) {
      const G = function (this: unknown, ...args: unknown[]) {
        cgGate(C.name);
        return ReflectConstruct(C, args, new.target ?? C);
      };
      defineProperty(G, 'name', { value: C.name });
      G.prototype = C.prototype;
      defineProperty(C.prototype, 'constructor', { value: G, writable: true, configurable: true, enumerable: false });
      if (C === Function) defineProperty(globalThis, 'Function', { value: G, writable: true, configurable: true, enumerable: false });
    }
    if (cgMode === 'block') {
      // eval cannot be observed without changing direct-eval semantics; in block mode it is simply refused.
      // Should code later relax the mode (only possible before sealing, from the default policy), eval runs
      // again, as an indirect eval.
      // biome-ignore lint/security/noGlobalEval: the original is kept to delegate to, never called directly
      const origEval = globalThis.eval;
      defineProperty(globalThis, 'eval', {
        value: function evalBlocked(this: unknown, ...args: unknown[]) {
          cgGate('eval');
          return ReflectApply(origEval, undefined, args);
        },
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
    dataUrlGate = (spec) => {
      if (/^(data|blob):/i.test(spec)) cgGate(`import(${spec.slice(0, 5)})`);
    };
  }

  // ---------------------------------------------------------------- file system
  installFsGuards(ctx, gate, pathAllowed);

  // One resolve hook (require, import, createRequire and import() all pass through it on 22.15+): deferred
  // builtin patches, and data:/blob: imports as code generation.
  if (registerHooks && (dataUrlGate || deferred.size > 0))
    registerHooks({
      resolve(spec: string, context: unknown, next: AnyFn) {
        touchBuiltin(spec);
        dataUrlGate?.(spec);
        return next(spec, context);
      },
    });
  if (deferred.size > 0)
    replace(
      process,
      'getBuiltinModule',
      (orig) =>
        function (this: unknown, id: unknown) {
          touchBuiltin(id);
          return ReflectApply(orig, this, [id]);
        },
    );

  // Without the hooks nothing can be deferred: every patch runs now, in the order declared. ESM named imports
  // were snapshotted when their facade was created: the patches above and these refresh them once (attack row #7).
  syncPending = true;
  batch(() => {
    runAll(eager);
    if (canDefer) patchLoaded();
  });
}

// ==================================================================== fs
type Gate = (name: PolicyName, what: string, details: Record<string, unknown>) => ShieldError | null;
type Access = 'r' | 'w' | 'o' | 't'; // read, write, open (by flags), symlink target

let loaderDepth = 0;

/**
 * True when the code that called the fs API is Node's own module loader (ESM source reads on every version, CJS
 * on 20). Only the immediate caller counts: a module body running during import has its own frame first, so this
 * is not the stack heuristic of attack row #28. Computed only when a read would otherwise be reported.
 */
function loaderCaller(): boolean {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  const prep = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = 12;
    Error.prepareStackTrace = (_e, cs) => cs;
    Error.captureStackTrace(holder, loaderCaller);
    const sites = holder.stack as NodeJS.CallSite[];
    for (const cs of sites) {
      const f = cs.getFileName() ?? '';
      if (f.startsWith(__dirname)) continue;
      return f.startsWith('node:internal/modules/');
    }
    return false;
  } catch {
    return false;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prep;
  }
}

const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

function toPath(p: unknown): string | null {
  if (typeof p === 'string') return p;
  if (BufferIsBuffer(p)) return (p as Buffer).toString('utf8');
  if (p instanceof URL) {
    try {
      return fileURLToPath(p);
    } catch {
      return p.href;
    }
  }
  return null; // fds and invalid values: Node validates them itself
}

function openAccess(flags: unknown): 'r' | 'w' | 'rw' {
  // 'r' is what readFileSync passes to fs.openSync on every call: decided without a regular expression
  if (flags === undefined || flags === null || flags === 'r') return 'r';
  if (typeof flags === 'number') {
    const c = fs.constants;
    const acc = flags & 3;
    const w = acc === c.O_WRONLY || (flags & (c.O_CREAT | c.O_TRUNC | c.O_APPEND)) !== 0;
    if (acc === c.O_RDWR) return 'rw';
    return w ? 'w' : 'r';
  }
  const s = String(flags);
  if (s.includes('+')) return 'rw';
  return /^[rs]/.test(s) && !s.includes('w') && !s.includes('a') ? 'r' : 'w';
}

function installFsGuards(ctx: GuardContext, gate: Gate, pathAllowed: (p: string, l: readonly string[]) => boolean): void {
  const abs = (p: string): string => normalize(isAbsolute(p) ? p : join(cwd(), p));
  const under = (p: string, dir: string) => p === dir || (p.startsWith(dir) && p.charCodeAt(dir.length) === 47);

  /** Resolve symlinks (also /proc/self/cwd, /proc/self/root, /dev/fd) when the path is in a place user code can write. */
  const real = (p: string): string => {
    try {
      return realpathNative(p);
    } catch {
      try {
        return join(realpathNative(dirname(p)), basename(p));
      } catch {
        return p;
      }
    }
  };
  /**
   * Under the tmp directory only the components below it can be links planted by user code (the directory
   * itself and its parents are not writable through the guard): lstat those, and resolve the whole path only
   * when one is a symbolic link. One system call for `/tmp/x` instead of realpath's walk from the root.
   */
  const realBelow = (p: string, base: string): string => {
    try {
      let i = base.length;
      while (i < p.length - 1) {
        const j = p.indexOf('/', i + 1);
        const st = lstatSync(j < 0 ? p : p.slice(0, j), { throwIfNoEntry: false });
        if (st === undefined) return p; // not there (yet): nothing below it can be a link
        if (st.isSymbolicLink()) return real(p);
        if (j < 0) break;
        i = j;
      }
      return p;
    } catch {
      return real(p);
    }
  };
  const needsReal = (p: string, pol: ShieldPolicy): boolean => {
    if (under(p, pol.tmpDir) || p.startsWith('/proc/') || p.startsWith('/dev/fd')) return true;
    const w = pol.fsWrite.allow;
    for (let i = 0; i < w.length; i++) if (under(p, w[i]!)) return true;
    return false;
  };

  // Paths already found allowed, for the current policy object and sealed state. Only paths that user code
  // cannot redirect are kept: not under tmp, a writable allow-list entry, /proc or /dev/fd (those are
  // resolved through symlinks on every call), and not the task root once sealed (readHandler).
  let okPolicy: ShieldPolicy | undefined;
  let okSealed = false;
  const okRead = new Map<string, true>();
  const okWrite = new Map<string, true>();
  const cacheFor = (pol: ShieldPolicy, sealed: boolean): void => {
    if (okPolicy === pol && okSealed === sealed) return;
    okPolicy = pol;
    okSealed = sealed;
    okRead.clear();
    okWrite.clear();
  };

  const decide = (raw: unknown, access: 'r' | 'w', api: string): ShieldError | null => {
    if (typeof raw === 'string') {
      // Hot path: the keys are normal absolute paths, so a hit means `raw` needs no further work.
      cacheFor(ctx.policy(), ctx.sealed());
      if ((access === 'r' ? okRead : okWrite).has(raw)) return null;
    }
    const s = toPath(raw);
    if (s === null) return null;
    const pol = ctx.policy();
    const sealed = ctx.sealed();
    cacheFor(pol, sealed);
    // An absolute path without `.`/`..` segments or `//` is already normal (dot-files are fine).
    let p = s.charCodeAt(0) === 47 && !s.includes('//') && !DOT_SEGMENT.test(s) ? s : abs(s);
    const ok = access === 'r' ? okRead : okWrite;
    if (ok.has(p)) return null;
    let stable = true;
    if (needsReal(p, pol)) {
      p = under(p, pol.tmpDir) ? realBelow(p, pol.tmpDir) : real(p);
      stable = false;
    }
    const verb = access === 'r' ? 'read' : 'write';
    if (under(p, pol.tmpDir)) return pol.tmp.mode === 'allow' ? null : gate('tmp', `${verb} of ${p}`, { path: p, access: verb, api });
    if (access === 'r') {
      if (sealed && under(p, pol.taskRoot)) {
        if (loaderDepth === 0 && !loaderCaller()) {
          if (pol.readHandler.mode === 'allow') return null;
          return gate('readHandler', `read of the function's own code ${p}`, { path: p, access: verb, api });
        }
        stable = false;
      }
      if (pathAllowed(p, pol.fsRead.allow)) {
        if (stable) remember(okRead, p);
        return null;
      }
      return gate('fsRead', `read of ${p}`, { path: p, access: verb, api });
    }
    if (pathAllowed(p, pol.fsWrite.allow)) {
      if (stable) remember(okWrite, p);
      return null;
    }
    return gate('fsWrite', `write of ${p}`, { path: p, access: verb, api });
  };
  const remember = (m: Map<string, true>, p: string) => {
    if (m.size >= 4096) m.clear();
    m.set(p, true);
  };

  /** `args` is the wrapper's `arguments` (or a rest array): the hot wrappers forward it without copying. */
  const check = (spec: readonly Access[], args: ArrayLike<unknown>, api: string): ShieldError | null => {
    for (let i = 0; i < spec.length; i++) {
      const a = spec[i]!;
      let err: ShieldError | null = null;
      if (a === 'r' || a === 'w') err = decide(args[i], a, api);
      else if (a === 'o') {
        const acc = openAccess(args[i + 1]);
        err = acc === 'w' ? decide(args[i], 'w', api) : decide(args[i], 'r', api);
        if (!err && acc === 'rw') err = decide(args[i], 'w', api);
      } else if (a === 't') {
        // symlink target: resolved relative to the link's directory, checked as a read
        const target = toPath(args[i]);
        const link = toPath(args[i + 1]);
        if (target !== null && link !== null) err = decide(isAbsolute(target) ? target : join(dirname(abs(link)), target), 'r', api);
      }
      if (err) return err;
    }
    return null;
  };

  const SPECS: Record<string, Access[]> = {
    readFile: ['r'],
    readdir: ['r'],
    opendir: ['r'],
    readlink: ['r'],
    open: ['o'],
    openAsBlob: ['r'],
    watch: ['r'],
    writeFile: ['w'],
    appendFile: ['w'],
    mkdir: ['w'],
    mkdtemp: ['w'],
    rm: ['w'],
    rmdir: ['w'],
    unlink: ['w'],
    truncate: ['w'],
    chmod: ['w'],
    lchmod: ['w'],
    chown: ['w'],
    lchown: ['w'],
    utimes: ['w'],
    lutimes: ['w'],
    rename: ['w', 'w'],
    copyFile: ['r', 'w'],
    cp: ['r', 'w'],
    link: ['r', 'w'],
    symlink: ['t', 'w'],
  };
  const fsObj = fs as unknown as Record<string, AnyFn>;
  for (const [name, spec] of Object.entries(SPECS)) {
    const api = name;
    // sync: `arguments` is forwarded as is (strict mode: not aliased to the parameters), so no wrapper allocates
    // a rest array per call. One path argument read or written (readFileSync, writeFileSync, ...) is the hot path
    // and skips the spec loop; so does openSync, which Node's readFileSync calls on every read.
    const syncApi = `${api}Sync`;
    const single = spec.length === 1 && (spec[0] === 'r' || spec[0] === 'w') ? spec[0] : undefined;
    if (single)
      replace(fs, syncApi, (orig) => {
        const callOrig = uncurry(orig);
        return function (this: unknown, a: unknown, b: unknown) {
          const err = decide(a, single, syncApi);
          if (err) throw err;
          // biome-ignore lint/complexity/noArguments: the arity is forwarded exactly
          const n = arguments.length;
          if (n === 1) return callOrig(this, a);
          if (n === 2) return callOrig(this, a, b);
          // biome-ignore lint/complexity/noArguments: as above
          return ReflectApply(orig, this, arguments);
        };
      });
    else if (spec.length === 1 && spec[0] === 'o')
      replace(fs, syncApi, (orig) => {
        const callOrig = uncurry(orig);
        return function (this: unknown, a: unknown, b: unknown, c: unknown) {
          const acc = openAccess(b);
          let err = decide(a, acc === 'w' ? 'w' : 'r', syncApi);
          if (!err && acc === 'rw') err = decide(a, 'w', syncApi);
          if (err) throw err;
          // biome-ignore lint/complexity/noArguments: as above
          if (arguments.length === 3) return callOrig(this, a, b, c);
          // biome-ignore lint/complexity/noArguments: as above
          return ReflectApply(orig, this, arguments);
        };
      });
    else
      replace(
        fs,
        syncApi,
        (orig) =>
          function (this: unknown) {
            // biome-ignore lint/complexity/noArguments: as above
            const args = arguments;
            const err = check(spec, args, syncApi);
            if (err) throw err;
            return ReflectApply(orig, this, args);
          },
      );
    // callback
    if (name !== 'openAsBlob' && name !== 'watch')
      replace(
        fs,
        name,
        (orig) =>
          function (this: unknown) {
            // biome-ignore lint/complexity/noArguments: as above
            const args = arguments;
            const err = check(spec, args, api);
            if (err) {
              const cb = args[args.length - 1];
              if (typeof cb === 'function') {
                nextTick(cb as AnyFn, err);
                return;
              }
              throw err;
            }
            return ReflectApply(orig, this, args);
          },
      );
    else
      replace(
        fs,
        name,
        (orig) =>
          function (this: unknown, ...args: unknown[]) {
            const err = check(spec, args, api);
            if (err) {
              if (name === 'openAsBlob') return Promise.reject(err);
              throw err;
            }
            return ReflectApply(orig, this, args);
          },
      );
  }
  // fs/promises is loaded on first use (`fs.promises`, `require('fs/promises')`, `import`), see defer().
  deferGetter(
    fs,
    'promises',
    defer(['fs/promises'], () => {
      const fsp = fs.promises as unknown as Record<string, unknown>;
      for (const [name, spec] of Object.entries(SPECS)) {
        if (typeof fsp[name] !== 'function' || name === 'watch') continue;
        const api = `promises.${name}`;
        replace(
          fsp,
          name,
          (orig) =>
            function (this: unknown, ...args: unknown[]) {
              const err = check(spec, args, api);
              if (err) return Promise.reject(err);
              return ReflectApply(orig, this, args);
            },
        );
      }
      if (typeof fsObj.watch === 'function')
        replace(
          fsp,
          'watch',
          (orig) =>
            function (this: unknown, ...args: unknown[]) {
              const err = check(['r'], args, 'promises.watch');
              if (err) throw err;
              return ReflectApply(orig, this, args);
            },
        );
    }),
  );
  // Streams fail the way Node's do: an 'error' event on the next tick.
  replace(
    fs,
    'createReadStream',
    (orig) =>
      function (this: unknown, ...args: unknown[]) {
        const err = check(['r'], args, 'createReadStream');
        if (err) {
          const s = new stream.Readable({ read() {} });
          nextTick(() => s.destroy(err));
          return s;
        }
        return ReflectApply(orig, this, args);
      },
  );
  replace(
    fs,
    'createWriteStream',
    (orig) =>
      function (this: unknown, ...args: unknown[]) {
        const err = check(['w'], args, 'createWriteStream');
        if (err) {
          const s = new stream.Writable({
            write(_c, _e, cb) {
              cb(err);
            },
          });
          nextTick(() => s.destroy(err));
          return s;
        }
        return ReflectApply(orig, this, args);
      },
  );

  // Module loader: reads made by the original CJS extension handlers are loader reads (not readHandler);
  // module bodies run in _compile and are user code again (attack row #28).
  const ext = (Module as unknown as { _extensions: Record<string, AnyFn> })._extensions;
  for (const k of ['.js', '.json', '.cjs']) {
    const orig = ext[k];
    if (typeof orig !== 'function') continue;
    ext[k] = function (this: unknown, ...args: unknown[]) {
      loaderDepth++;
      try {
        return ReflectApply(orig, this, args);
      } finally {
        loaderDepth--;
      }
    };
  }
  const proto = (Module as unknown as { prototype: Record<string, AnyFn> }).prototype;
  const compile = proto._compile;
  if (typeof compile === 'function')
    proto._compile = function (this: unknown, ...args: unknown[]) {
      const saved = loaderDepth;
      loaderDepth = 0;
      try {
        return ReflectApply(compile, this, args);
      } finally {
        loaderDepth = saved;
      }
    };

  // node:sqlite writes database files in C++ (outside the permission model, research E19).
  defer(['sqlite'], () => {
    const sqlite = builtin('node:sqlite');
    if (sqlite && typeof sqlite.DatabaseSync === 'function') {
      const dbCheck = (p: unknown) => {
        if (p === undefined || p === ':memory:' || (typeof p === 'string' && p.startsWith('file::memory:'))) return;
        const err = decide(p, 'w', 'sqlite.DatabaseSync');
        if (err) throw err;
      };
      const sqlCheck = (sql: unknown) => {
        const s = String(sql);
        if (/\battach\b/i.test(s) || /\bvacuum\b[\s\S]*\binto\b/i.test(s)) {
          const err = gate('fsWrite', 'SQLite ATTACH / VACUUM INTO', { api: 'sqlite', sql: s.slice(0, 200) });
          if (err) throw err;
        }
      };
      const Db = sqlite.DatabaseSync as { prototype: Record<string, unknown> };
      for (const m of ['exec', 'prepare'])
        replace(
          Db.prototype,
          m,
          (orig) =>
            function (this: unknown, ...args: unknown[]) {
              sqlCheck(args[0]);
              return ReflectApply(orig, this, args);
            },
        );
      replaceClass(sqlite, 'DatabaseSync', (args) => {
        dbCheck(args[0]);
        return undefined;
      });
      if (typeof sqlite.backup === 'function')
        replace(
          sqlite,
          'backup',
          (orig) =>
            function (this: unknown, ...args: unknown[]) {
              dbCheck(args[1]);
              return ReflectApply(orig, this, args);
            },
        );
    }
  });
  // WASI: uvwasi does its own I/O on the preopened directories.
  if (Module.builtinModules.includes('wasi'))
    defer(['wasi'], () => {
      const wasi = builtin('node:wasi');
      if (wasi)
        replaceClass(wasi, 'WASI', (args) => {
          const pre = (args[0] as { preopens?: Record<string, string> } | undefined)?.preopens ?? {};
          for (const dir of Object.values(pre)) {
            const err = decide(dir, 'w', 'wasi.WASI');
            if (err) throw err;
          }
          return undefined;
        });
    });
  void readlinkSync;
}
