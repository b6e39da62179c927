// The attack-suite harness: one technique of research/shield.md §2.3 per test file, run on every Node binary in
// block, alert and allow mode, each in its own child process with its own loopback servers.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import { DIST, ensureBuilt, type NodeBin, nodeBinaries, type RunResult, runNode, scratch, selfSignedCert, write } from './env.js';

export type Mode = 'block' | 'alert' | 'allow';
export const MODES: Mode[] = ['block', 'alert', 'allow'];
export const BLOCKED = 'ERR_FNGUARD_SHIELD_BLOCKED';

export interface AttackCtx {
  dir: string;
  task: string;
  tmp: string;
  marker: string;
  httpPort: number;
  tlsPort: number;
  udpPort: number;
  shieldIndex: string;
  distDir: string;
  major: number;
}

export interface Counters {
  tcp: number;
  http: number;
  tls: number;
  udp: number;
}

export interface AttackSpec {
  /** Row number in the bypass table. */
  row: number;
  title: string;
  /** The policy that must stop the technique. */
  policy: string;
  /** Body of an async function (ctx, t, once, cb are in scope) returning { opName: result } where result is 'ok' or an error code. */
  code: string;
  /** ESM fixture (.mjs); `imports` go to the top of the file. */
  esm?: boolean;
  imports?: string;
  /** Skip on binaries for which this returns a reason. */
  skip?: (bin: NodeBin) => string | undefined;
  /** Extra policy fields for a mode. */
  policyExtra?: (mode: Mode, ctx: AttackCtx) => Record<string, unknown>;
  /** Start the shield sealed (as after the first invocation). */
  sealed?: boolean;
  /** Prepare files in ctx.dir / ctx.task / ctx.tmp. */
  setup?: (ctx: AttackCtx) => void;
  /** What proves the technique worked: marker file, loopback connections. */
  effect?: (ctx: AttackCtx, c: Counters) => boolean;
  /** Custom expectations (replaces the default ones). */
  expect?: (mode: Mode, r: RunResult, ctx: AttackCtx, c: Counters) => void;
  nodeArgs?: string[];
  stdio?: ('pipe' | 'ignore' | number)[];
  env?: (ctx: AttackCtx) => Record<string, string>;
}

const PRELUDE = `
const ctx = JSON.parse(process.env.ATTACK_CTX);
const t = async (fn) => { try { await fn(); return 'ok'; } catch (e) { return (e && (e.code || e.name)) || String(e); } };
const once = (em, ok) => new Promise((res, rej) => { em.once('error', rej); em.once(ok, res); });
const cb = (f) => new Promise((res, rej) => f((e, ...r) => (e ? rej(e) : res(r))));
`;
const RUN = (body: string) => `
(async () => {
${body}
})().then((r) => { process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n'); process.exit(0); },
  (e) => { process.stdout.write('RESULT ' + JSON.stringify({ fatal: String((e && e.stack) || e) }) + '\\n'); process.exit(0); });
`;

async function startServers(
  c: Counters,
): Promise<{ ports: { httpPort: number; tlsPort: number; udpPort: number }; close: () => Promise<void> }> {
  const http: Server = createServer((_req, res) => {
    c.http++;
    res.end('pong');
  });
  http.on('connection', () => c.tcp++);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const cert = selfSignedCert();
  const tls = cert ? createTlsServer({ key: readFileSync(cert.key), cert: readFileSync(cert.cert) }, (s) => s.end('tls-pong')) : undefined;
  tls?.on('connection', () => c.tls++);
  if (tls) await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  const udp = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    c.udp++;
    // Answer DNS queries with NXDOMAIN so resolvers finish quickly.
    if (msg.length >= 12) {
      const res = Buffer.from(msg);
      res[2] = (res[2]! | 0x80) & 0xff;
      res[3] = 0x83;
      udp.send(res, rinfo.port, rinfo.address);
    }
  });
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  const addr = (s: { address(): unknown }) => (s.address() as { port: number }).port;
  return {
    ports: { httpPort: addr(http), tlsPort: tls ? addr(tls) : 0, udpPort: addr(udp) },
    close: async () => {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
      if (tls) await new Promise((r) => tls.close(r));
      await new Promise<void>((r) => udp.close(() => r()));
    },
  };
}

const isProtected = (name: string) => !name.startsWith('legit') && !name.startsWith('inherent');

export function defaultExpect(spec: AttackSpec, mode: Mode, r: RunResult, ctx: AttackCtx, c: Counters): void {
  const diag = `stdout:\n${r.stdout}\nstderr:\n${r.stderr.slice(0, 2000)}`;
  assert.ok(r.result && !r.result.fatal, `fixture did not finish: ${JSON.stringify(r.result)}\n${diag}`);
  const ops = Object.entries(r.result as Record<string, string>);
  assert.ok(ops.length > 0, 'no operations reported');
  const evs = r.events.filter((e) => e.policy === spec.policy && e.mode === mode);
  for (const [name, res] of ops) {
    if (!isProtected(name)) assert.equal(res, 'ok', `${name} must keep working in ${mode} mode\n${diag}`);
    else if (mode === 'block') assert.equal(res, BLOCKED, `${name} must be blocked\n${diag}`);
    else assert.equal(res, 'ok', `${name} must go through in ${mode} mode\n${diag}`);
  }
  if (mode === 'allow')
    assert.equal(r.events.filter((e) => e.policy === spec.policy).length, 0, `no event expected in allow mode\n${diag}`);
  else {
    assert.ok(evs.length > 0, `expected a ${spec.policy}/${mode} event line\n${diag}`);
    for (const e of evs) {
      assert.equal(e.fnguard_shield, true);
      assert.equal(typeof e.timestamp, 'string');
      assert.ok(e.details && typeof e.details === 'object');
    }
  }
  if (spec.effect) {
    const happened = spec.effect(ctx, c);
    assert.equal(happened, mode !== 'block', `side effect ${mode === 'block' ? 'happened despite block' : 'missing'}\n${diag}`);
  }
}

export function markerExists(ctx: AttackCtx): boolean {
  return existsSync(ctx.marker);
}

/** Register the tests of one technique: every binary x every mode. */
export function defineAttack(spec: AttackSpec): void {
  const { bins, missing } = nodeBinaries();
  describe(`attack #${spec.row}: ${spec.title}`, { concurrency: 3 }, () => {
    before(() => ensureBuilt());
    for (const m of missing)
      test(`node binary missing: ${m}`, { skip: `install it with npm (devDependency) to run this technique on it` }, () => {});
    for (const bin of bins) {
      const why = spec.skip?.(bin);
      for (const mode of MODES) {
        test(`${bin.name} ${mode}`, { skip: why ?? false }, async () => {
          const dir = scratch(`a${spec.row}-${bin.name}-${mode}`);
          const c: Counters = { tcp: 0, http: 0, tls: 0, udp: 0 };
          const srv = await startServers(c);
          try {
            const ctx: AttackCtx = {
              dir,
              task: join(dir, 'task'),
              tmp: join(dir, 'tmp'),
              marker: join(dir, 'pwned'),
              ...srv.ports,
              shieldIndex: `file://${join(DIST, 'index.js')}`,
              distDir: DIST,
              major: bin.major,
            };
            // test-artifacts lives inside a "type": "module" package: make the fixtures CommonJS by default
            write(join(dir, 'package.json'), '{"type":"commonjs"}\n');
            mkdirSync(ctx.task);
            mkdirSync(ctx.tmp);
            write(join(ctx.task, 'index.js'), 'exports.handler = async () => "SECRET-HANDLER-SOURCE";\n');
            spec.setup?.(ctx);
            const file = spec.esm
              ? write(join(dir, 'attack.mjs'), `${spec.imports ?? ''}\n${PRELUDE}\n${RUN(spec.code)}`)
              : write(join(dir, 'attack.cjs'), `'use strict';\n${PRELUDE}\n${RUN(spec.code)}`);
            const policy = {
              mode: 'allow',
              [spec.policy]: { mode },
              taskRoot: ctx.task,
              tmpDir: ctx.tmp,
              kernel: 'off',
              log: { rateLimit: 1000 },
              ...spec.policyExtra?.(mode, ctx),
            };
            const r = await runNode({
              bin: bin.path,
              file,
              cwd: dir,
              policy,
              nodeArgs: spec.nodeArgs ?? [],
              stdio: spec.stdio,
              env: {
                ATTACK_CTX: JSON.stringify(ctx),
                ATTACK_MARKER: ctx.marker,
                ...(spec.sealed ? { FNGUARD_SHIELD_SEALED: '1' } : {}),
                ...spec.env?.(ctx),
              },
            });
            await new Promise((res) => setTimeout(res, 30)); // let the servers count late packets
            (spec.expect ?? ((mo, rr, cx, cc) => defaultExpect(spec, mo, rr, cx, cc)))(mode, r, ctx, c);
          } finally {
            await srv.close();
          }
        });
      }
    }
  });
}
