// Test environment for @fnguard/shield: builds dist/ when stale, lists the Node binaries to test with,
// runs fixture programs under the shield in child processes and collects their JSON event lines.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG = fileURLToPath(new URL('../..', import.meta.url));
export const ROOT = join(PKG, '..', '..');
export const DIST = join(PKG, 'dist');
export const REGISTER = join(DIST, 'register.cjs');
export const ARTIFACTS = join(PKG, 'test-artifacts');
/**
 * The shield's `tmp` policy guards /tmp. When the checkout itself sits under /tmp (a CI clone there),
 * the test programs, their fixtures and the shield's own files are all under /tmp, so the tests move the
 * guarded tmp directory elsewhere: a test must not depend on where the repository sits.
 */
export const CHECKOUT_UNDER_TMP = ARTIFACTS.startsWith('/tmp/');
export const ALT_TMP_DIR = '/var/tmp/fnguard-shield-test-tmp';

/** The policy to hand a test program: `policy` itself, with `tmpDir` moved when the checkout is under /tmp. */
export function testPolicy<T extends object>(policy: T): T {
  if (!CHECKOUT_UNDER_TMP || 'tmpDir' in policy) return policy;
  mkdirSync(ALT_TMP_DIR, { recursive: true });
  return { ...policy, tmpDir: ALT_TMP_DIR };
}

function newest(dir: string): number {
  let t = 0;
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

/** Build the package (tsc, then the runtime bundle) when dist/ is older than src/ (serialised with a lock directory). */
export function ensureBuilt(): void {
  // The runtime bundle is written after tsc: a register.cjs from tsc alone (it requires ./core.cjs) is stale too.
  const runtime = join(DIST, 'runtime.cjs');
  const stale = () =>
    !existsSync(REGISTER) ||
    !existsSync(runtime) ||
    statSync(runtime).mtimeMs < newest(join(PKG, 'src')) ||
    !readFileSync(REGISTER, 'utf8').includes('require("./runtime.cjs")');
  if (!stale()) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const lock = join(ARTIFACTS, '.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('timed out waiting for the build lock');
      spawnSync('sleep', ['0.2']);
    }
  }
  try {
    if (stale()) {
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', PKG], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
      const b = spawnSync(process.execPath, [join(PKG, 'scripts', 'bundle-runtime.mjs')], { encoding: 'utf8' });
      if (b.status !== 0) throw new Error(`runtime bundle failed: ${b.stdout}${b.stderr}`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface NodeBin {
  name: string;
  path: string;
  major: number;
}

/** The installed Node plus Node 22, 24 and 26 from the npm registry (devDependencies node22/node24/node26). */
export function nodeBinaries(): { bins: NodeBin[]; missing: string[] } {
  const bins: NodeBin[] = [
    { name: `node${process.versions.node.split('.')[0]}`, path: process.execPath, major: Number(process.versions.node.split('.')[0]) },
  ];
  const missing: string[] = [];
  for (const v of [22, 24, 26]) {
    const p = join(ROOT, 'node_modules', `node${v}`, 'bin', 'node');
    if (existsSync(p)) bins.push({ name: `node${v}`, path: p, major: v });
    else missing.push(`node${v} (${p})`);
  }
  return { bins, missing };
}

export function scratch(prefix: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return mkdtempSync(join(ARTIFACTS, `${prefix}-`));
}

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON from a child process, inspected by assertions
export type Json = any;

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: Record<string, Json>[];
  result: Json;
}

export interface RunOptions {
  bin?: string;
  file: string;
  policy?: unknown;
  env?: Record<string, string>;
  cwd?: string;
  preload?: 'require' | 'import' | 'none';
  nodeArgs?: string[];
  timeoutMs?: number;
  stdio?: ('pipe' | 'ignore' | number)[];
}

/** Run `file` under the shield; parses the JSON event lines and the `RESULT <json>` line. */
export function runNode(o: RunOptions): Promise<RunResult> {
  const args: string[] = [];
  if (o.preload !== 'none')
    args.push(
      o.preload === 'import' ? '--import' : '--require',
      o.preload === 'import' ? `file://${join(DIST, 'register.mjs')}` : REGISTER,
    );
  args.push(...(o.nodeArgs ?? []), o.file);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...o.env };
  if (o.policy !== undefined)
    env.FNGUARD_SHIELD_POLICY = JSON.stringify(typeof o.policy === 'object' && o.policy !== null ? testPolicy(o.policy) : o.policy);
  return new Promise((resolve) => {
    const child = spawn(o.bin ?? process.execPath, args, { cwd: o.cwd, env, stdio: o.stdio ?? ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const events: Record<string, Json>[] = [];
      let result: Json;
      for (const line of stdout.split('\n')) {
        if (line.startsWith('{"fnguard_shield"'))
          try {
            events.push(JSON.parse(line));
          } catch {}
        else if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7));
      }
      resolve({ status, signal, stdout, stderr, events, result });
    });
  });
}

export function write(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

let certCache: { key: string; cert: string } | undefined;
/** A self-signed certificate for 127.0.0.1/localhost, made with the openssl CLI (cached per run). */
export function selfSignedCert(): { key: string; cert: string } | undefined {
  if (certCache) return certCache;
  const dir = scratch('cert');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return undefined;
  certCache = { key: join(dir, 'k.pem'), cert: join(dir, 'c.pem') };
  return certCache;
}
