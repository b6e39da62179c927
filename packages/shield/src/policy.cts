// Policy model of @fnguard/shield: shape, defaults, parsing and validation, tighten-only comparison.
// This module is CommonJS (.cts) so that the `--require` preload can load it without the ESM loader.
import path = require('node:path');

export type Mode = 'block' | 'alert' | 'allow';
export const MODES: readonly Mode[] = ['allow', 'alert', 'block'];

/** Names of the individual policies. */
export const POLICY_NAMES = [
  'network',
  'childProcess',
  'tmp',
  'fsWrite',
  'fsRead',
  'readHandler',
  'addons',
  'workers',
  'codeGeneration',
  'ffi',
  'inspector',
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface ModeRule {
  mode: Mode;
}
export interface ListRule extends ModeRule {
  /** Allow-list entries; their meaning depends on the policy (hosts/CIDRs, paths, addon paths). */
  allow: readonly string[];
}
export interface NetworkRule extends ListRule {
  /** Allow AWS service endpoints (`*.amazonaws.com`, `*.amazonaws.com.cn`, `*.api.aws`, `*.on.aws`). */
  aws: boolean;
}

export interface LogOptions {
  /** Maximum JSON lines per second (all events); excess is counted and reported in the next line. */
  rateLimit: number;
  /** Add CloudWatch embedded metric format fields to every event line. */
  emf: boolean;
}

export interface ShieldPolicy {
  network: NetworkRule;
  childProcess: ModeRule;
  tmp: ModeRule;
  fsWrite: ListRule;
  fsRead: ListRule;
  readHandler: ModeRule;
  addons: ListRule;
  workers: ModeRule;
  codeGeneration: ModeRule;
  ffi: ModeRule;
  inspector: ModeRule;
  log: LogOptions;
  /** End the invocation with an error after a blocked operation (wrapper/middleware), or exit the process (preload). */
  kill: boolean;
  /** Remove what an invocation left in the tmp directory before the next invocation starts. */
  tmpHygiene: boolean;
  /** Directory governed by the `tmp` policy (default `/tmp`). */
  tmpDir: string;
  /** The function's own code (default `LAMBDA_TASK_ROOT`, else the current directory). */
  taskRoot: string;
  /** Kernel no-exec layer: `off`, `auto` (use it when available) or `require` (fail the cold start without it). */
  kernel: 'off' | 'auto' | 'require';
}

/** What a user may write: every field optional, plus a top-level `mode` default. */
export interface PolicyInput {
  mode?: Mode;
  network?: { mode?: Mode; allow?: string[]; aws?: boolean };
  childProcess?: { mode?: Mode };
  tmp?: { mode?: Mode };
  fsWrite?: { mode?: Mode; allow?: string[] };
  fsRead?: { mode?: Mode; allow?: string[] };
  readHandler?: { mode?: Mode };
  addons?: { mode?: Mode; allow?: string[] };
  workers?: { mode?: Mode };
  codeGeneration?: { mode?: Mode };
  ffi?: { mode?: Mode };
  inspector?: { mode?: Mode };
  log?: { rateLimit?: number; emf?: boolean };
  kill?: boolean;
  tmpHygiene?: boolean;
  tmpDir?: string;
  taskRoot?: string;
  kernel?: 'off' | 'auto' | 'require';
}

export class PolicyError extends Error {
  readonly code = 'ERR_FNGUARD_SHIELD_POLICY';
  constructor(message: string) {
    super(`fnguard shield policy: ${message}`);
    this.name = 'PolicyError';
  }
}

const LIST_POLICIES = new Set<string>(['network', 'fsWrite', 'fsRead', 'addons']);
const TOP_KEYS = new Set<string>([...POLICY_NAMES, 'mode', 'log', 'kill', 'tmpHygiene', 'tmpDir', 'taskRoot', 'kernel', '$schema']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkMode(v: unknown, where: string): Mode {
  if (v === 'block' || v === 'alert' || v === 'allow') return v;
  throw new PolicyError(`${where} must be "block", "alert" or "allow" (got ${JSON.stringify(v)})`);
}

function checkStrings(v: unknown, where: string): string[] {
  if (!Array.isArray(v)) throw new PolicyError(`${where} must be an array of strings`);
  return v.map((s, i) => {
    if (typeof s !== 'string' || s.length === 0 || s.length > 1024) throw new PolicyError(`${where}[${i}] must be a non-empty string`);
    return s;
  });
}

/** Paths the Lambda Node.js runtime itself reads (research §3.3) plus the node installation in use. */
export function runtimeReadPaths(env: NodeJS.ProcessEnv, execPath: string, taskRoot: string): string[] {
  const etc = [
    '/etc/ssl',
    '/etc/pki',
    '/etc/resolv.conf',
    '/etc/hosts',
    '/etc/nsswitch.conf',
    '/etc/localtime',
    '/etc/host.conf',
    '/etc/gai.conf',
  ];
  const out = ['/var/runtime', '/var/lang', '/opt', ...etc, '/usr/lib', '/usr/share', '/dev/null', '/dev/urandom', taskRoot];
  out.push(path.join(__dirname, '..')); // the shield's own package (its ESM entry is loaded through fs)
  const bin = execPath.replace(/\/bin\/[^/]+$/, '');
  if (bin !== execPath) out.push(bin);
  for (const k of ['LAMBDA_RUNTIME_DIR', 'NODE_EXTRA_CA_CERTS']) {
    const v = env[k];
    if (v?.startsWith('/')) out.push(v);
  }
  return [...new Set(out)];
}

/**
 * Validate a policy document and fill in defaults. Throws PolicyError with the offending key.
 * Defaults: every policy `block` (or the top-level `mode`), except what the runtime needs.
 */
export function normalizePolicy(input: unknown, env: NodeJS.ProcessEnv = process.env, execPath = process.execPath): ShieldPolicy {
  if (input === undefined || input === null) input = {};
  if (!isObject(input)) throw new PolicyError('the policy must be a JSON object');
  for (const k of Object.keys(input)) if (!TOP_KEYS.has(k)) throw new PolicyError(`unknown key "${k}"`);
  const def: Mode = input.mode === undefined ? 'block' : checkMode(input.mode, 'mode');
  const section = (name: PolicyName): { mode: Mode; allow: string[]; aws: boolean } => {
    const raw = input[name];
    if (raw === undefined) return { mode: def, allow: [], aws: false };
    if (typeof raw === 'string') return { mode: checkMode(raw, name), allow: [], aws: false };
    if (!isObject(raw)) throw new PolicyError(`${name} must be an object like {"mode":"block"}`);
    for (const k of Object.keys(raw)) {
      const ok = k === 'mode' || (LIST_POLICIES.has(name) && k === 'allow') || (name === 'network' && k === 'aws');
      if (!ok) throw new PolicyError(`unknown key "${name}.${k}"`);
    }
    const mode = raw.mode === undefined ? def : checkMode(raw.mode, `${name}.mode`);
    const allow = raw.allow === undefined ? [] : checkStrings(raw.allow, `${name}.allow`);
    if (raw.aws !== undefined && typeof raw.aws !== 'boolean') throw new PolicyError('network.aws must be true or false');
    return { mode, allow, aws: raw.aws === true };
  };
  const taskRoot = input.taskRoot ?? env.LAMBDA_TASK_ROOT ?? process.cwd();
  if (typeof taskRoot !== 'string' || !taskRoot.startsWith('/')) throw new PolicyError('taskRoot must be an absolute path');
  const tmpDir = input.tmpDir ?? '/tmp';
  if (typeof tmpDir !== 'string' || !tmpDir.startsWith('/') || tmpDir === '/')
    throw new PolicyError('tmpDir must be an absolute path other than /');
  const net = section('network');
  for (const a of net.allow)
    if (!validNetEntry(a)) throw new PolicyError(`network.allow entry "${a}" is not a host, host:port, IP or CIDR`);
  const fsRead = section('fsRead');
  const fsWrite = section('fsWrite');
  const addons = section('addons');
  for (const [n, list] of [
    ['fsRead', fsRead.allow],
    ['fsWrite', fsWrite.allow],
    ['addons', addons.allow],
  ] as const)
    for (const p of list) if (!p.startsWith('/')) throw new PolicyError(`${n}.allow entry "${p}" must be an absolute path`);
  const log = input.log === undefined ? {} : input.log;
  if (!isObject(log)) throw new PolicyError('log must be an object');
  for (const k of Object.keys(log)) if (k !== 'rateLimit' && k !== 'emf') throw new PolicyError(`unknown key "log.${k}"`);
  const rateLimit = log.rateLimit === undefined ? 20 : log.rateLimit;
  if (typeof rateLimit !== 'number' || !Number.isInteger(rateLimit) || rateLimit < 1 || rateLimit > 10000)
    throw new PolicyError('log.rateLimit must be an integer between 1 and 10000');
  if (log.emf !== undefined && typeof log.emf !== 'boolean') throw new PolicyError('log.emf must be true or false');
  for (const k of ['kill', 'tmpHygiene'] as const)
    if (input[k] !== undefined && typeof input[k] !== 'boolean') throw new PolicyError(`${k} must be true or false`);
  const kernel = input.kernel ?? 'auto';
  if (kernel !== 'off' && kernel !== 'auto' && kernel !== 'require') throw new PolicyError('kernel must be "off", "auto" or "require"');
  const policy: ShieldPolicy = {
    network: { mode: net.mode, allow: net.allow, aws: net.aws },
    childProcess: { mode: section('childProcess').mode },
    tmp: { mode: section('tmp').mode },
    fsWrite: { mode: fsWrite.mode, allow: fsWrite.allow },
    fsRead: { mode: fsRead.mode, allow: [...new Set([...runtimeReadPaths(env, execPath, taskRoot), ...fsRead.allow])] },
    readHandler: { mode: section('readHandler').mode },
    addons: { mode: addons.mode, allow: [...new Set(['/var/runtime', ...addons.allow])] },
    workers: { mode: section('workers').mode },
    codeGeneration: { mode: section('codeGeneration').mode },
    ffi: { mode: section('ffi').mode },
    inspector: { mode: section('inspector').mode },
    log: { rateLimit, emf: log.emf === true },
    kill: input.kill === true,
    tmpHygiene: input.tmpHygiene === true,
    tmpDir: tmpDir.replace(/\/+$/, ''),
    taskRoot: taskRoot.replace(/\/+$/, '') || '/',
    kernel,
  };
  return deepFreeze(policy);
}

function validNetEntry(s: string): boolean {
  if (s.startsWith('unix:/')) return true;
  if (s.includes('/')) {
    const [ip, bits, extra] = s.split('/');
    return extra === undefined && ip !== undefined && bits !== undefined && /^\d{1,3}$/.test(bits) && /^[0-9a-fA-F:.]+$/.test(ip);
  }
  if (/^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(s)) return true;
  if (/^[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(s) && s.split(':').length > 2) return true; // bare IPv6
  return /^(\*\.)?[A-Za-z0-9_.-]+(:(\d{1,5}|\*))?$/.test(s);
}

export function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Parse the value of FNGUARD_SHIELD_POLICY: a JSON document, or `@/absolute/path.json`.
 * `readFile` is injected so the caller can pass the unguarded original.
 */
export function parsePolicyText(text: string, readFile: (p: string) => string): unknown {
  const t = text.trim();
  let json = t;
  let from = 'FNGUARD_SHIELD_POLICY';
  if (t.startsWith('@')) {
    const p = t.slice(1);
    if (!p.startsWith('/')) throw new PolicyError(`FNGUARD_SHIELD_POLICY=@path needs an absolute path (got "${p}")`);
    try {
      json = readFile(p);
    } catch (e) {
      throw new PolicyError(`cannot read policy file ${p}: ${(e as Error).message}`);
    }
    from = p;
    if (json.length > 1_000_000) throw new PolicyError(`policy file ${p} is larger than 1 MB`);
  }
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new PolicyError(`${from} is not valid JSON: ${(e as Error).message}`);
  }
}

const RANK: Record<Mode, number> = { allow: 0, alert: 1, block: 2 };

/**
 * True when `next` is at least as strict as `cur`: every mode the same or stricter, every allow-list a subset,
 * no option that weakens (kill/tmpHygiene cannot be turned off, kernel cannot be lowered).
 */
export function isTightening(cur: ShieldPolicy, next: ShieldPolicy): boolean {
  for (const n of POLICY_NAMES) {
    if (RANK[next[n].mode] < RANK[cur[n].mode]) return false;
    const a = (cur[n] as Partial<ListRule>).allow;
    const b = (next[n] as Partial<ListRule>).allow;
    if (a && b && !b.every((x) => a.includes(x))) return false;
  }
  if (next.network.aws && !cur.network.aws) return false;
  if ((cur.kill && !next.kill) || (cur.tmpHygiene && !next.tmpHygiene)) return false;
  const k = { off: 0, auto: 1, require: 2 };
  if (k[next.kernel] < k[cur.kernel]) return false;
  if (next.taskRoot !== cur.taskRoot || next.tmpDir !== cur.tmpDir) return false;
  return true;
}
