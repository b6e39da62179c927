// Builtins patched on first access instead of at cold start (child_process, worker_threads, dgram, dns,
// fs/promises, dns/promises, inspector, sqlite, wasi, ffi): every public route to them must still return the patched
// module, on every Node binary; a builtin that loads one of them, or one the shield does not know, runs the patches
// before it is handed out.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DIST, ensureBuilt, nodeBinaries, REGISTER, runNode, scratch, write } from '../helpers/env.js';

const BLOCKED = 'ERR_FNGUARD_SHIELD_BLOCKED';

// Each route runs in a fresh process so that it is the first access to the module.
const UDP = (m: string) =>
  `const s = ${m}.createSocket('udp4'); await new Promise((res, rej) => s.send('x', 53, '198.51.100.1', (e) => (s.close(), e ? rej(e) : res())))`;
const DNS_CB = (m: string) => `await new Promise((res, rej) => ${m}.resolveTxt('exfil.example.invalid', (e) => (e ? rej(e) : res())))`;
const ROUTES: Record<string, { code: string; esm?: boolean; min?: number; policy?: object }> = {
  "require('child_process').execSync": { code: `require('child_process').execSync('true')` },
  "require('node:child_process').execFileSync": { code: `require('node:child_process').execFileSync('true')` },
  'getBuiltinModule(child_process).spawnSync': {
    code: `const r = process.getBuiltinModule('child_process').spawnSync('true'); if (r.error) throw r.error`,
  },
  "Module._load('child_process')": { code: `require('module')._load('child_process').execFileSync('true')` },
  "createRequire()('child_process')": { code: `require('module').createRequire(__filename)('child_process').execSync('true')` },
  'ESM named import { execFileSync } from node:child_process': {
    esm: true,
    code: `const { execFileSync } = await import('node:child_process'); execFileSync('true')`,
  },
  'ESM default import of child_process, ChildProcess#spawn': {
    esm: true,
    code: `const cp = (await import('child_process')).default; await new Promise((res, rej) => cp.execFile('true', (e) => (e ? rej(e) : res())))`,
  },
  'child_process after cluster loaded it': { code: `require('cluster'); require('child_process').execSync('true')` },
  "require('worker_threads').Worker": { code: `new (require('worker_threads').Worker)(__filename)` },
  'getBuiltinModule(worker_threads).Worker': { code: `new (process.getBuiltinModule('worker_threads').Worker)(__filename)` },
  'ESM named import { Worker } from node:worker_threads': {
    esm: true,
    code: `const { Worker } = await import('node:worker_threads'); new Worker(new URL(import.meta.url))`,
  },
  'worker_threads after inspector loaded it': { code: `require('inspector'); new (require('worker_threads').Worker)(__filename)` },
  "require('dgram') send": { code: UDP(`require('dgram')`) },
  'ESM named import { createSocket } from node:dgram': {
    esm: true,
    code: `const { createSocket } = await import('node:dgram'); ${UDP('({ createSocket })')}`,
  },
  'dgram after child_process loaded it': { code: `require('child_process'); ${UDP(`require('dgram')`)}` },
  "require('dns').resolveTxt": { code: DNS_CB(`require('dns')`) },
  'getBuiltinModule(dns).resolveTxt': { code: DNS_CB(`process.getBuiltinModule('dns')`) },
  'ESM named import { resolveTxt } from node:dns': {
    esm: true,
    code: `const { resolveTxt } = await import('node:dns'); ${DNS_CB('({ resolveTxt })')}`,
  },
  'net connect by name under an address rule (lookup of the deferred dns)': {
    policy: { network: { mode: 'block', allow: ['10.0.0.0/8'] } },
    code: `await new Promise((res, rej) => require('net').connect(9, 'localhost').on('error', rej).on('connect', res))`,
  },
  'fs.promises getter': { code: `await require('fs').promises.readFile('/etc/passwd')` },
  "require('fs/promises')": { code: `await require('fs/promises').readFile('/etc/passwd')` },
  "require('node:fs/promises')": { code: `await require('node:fs/promises').readFile('/etc/passwd')` },
  'getBuiltinModule(fs/promises)': { code: `await process.getBuiltinModule('fs/promises').readFile('/etc/passwd')` },
  "createRequire()('fs/promises')": {
    code: `await require('module').createRequire(__filename)('fs/promises').readFile('/etc/passwd')`,
  },
  'ESM named import from node:fs/promises': {
    esm: true,
    code: `const { readFile } = await import('node:fs/promises'); await readFile('/etc/passwd')`,
  },
  'ESM default import of node:fs, .promises': {
    esm: true,
    code: `const fs = (await import('node:fs')).default; await fs.promises.readFile('/etc/passwd')`,
  },
  'ESM named import { promises } from fs': {
    esm: true,
    code: `const { promises } = await import('fs'); await promises.readFile('/etc/passwd')`,
  },
  'fs.promises FileHandle open': { code: `await (await require('fs').promises.open('/etc/passwd')).readFile()` },
  'dns.promises getter': { code: `await require('dns').promises.lookup('exfil.example.invalid')` },
  "require('dns/promises')": { code: `await require('dns/promises').resolveTxt('exfil.example.invalid')` },
  'dns/promises Resolver': { code: `await new (require('dns/promises').Resolver)().resolve4('exfil.example.invalid')` },
  "require('inspector').open": { code: `require('inspector').open(0)` },
  "require('inspector/promises') Session": { code: `new (require('inspector/promises').Session)().connect()` },
  'getBuiltinModule(inspector/promises)': { code: `new (process.getBuiltinModule('inspector/promises').Session)().connect()` },
  'ESM named import { Session } from node:inspector': {
    esm: true,
    code: `const { Session } = await import('node:inspector'); new Session().connect()`,
  },
  'ESM named import { open } from node:inspector': {
    esm: true,
    code: `const { open } = await import('node:inspector'); open(0)`,
  },
  "require('node:sqlite') outside the write grants": {
    min: 22,
    code: `new (require('node:sqlite').DatabaseSync)('/var/shield-deferred.db')`,
  },
  'ESM named import { DatabaseSync } from node:sqlite': {
    min: 22,
    esm: true,
    code: `const { DatabaseSync } = await import('node:sqlite'); new DatabaseSync('/var/shield-deferred.db')`,
  },
  "require('node:ffi').dlopen": { min: 26, code: `require('node:ffi').dlopen('libc.so.6', {})` },
  "getBuiltinModule('node:ffi').dlopen": { min: 26, code: `process.getBuiltinModule('node:ffi').dlopen('libc.so.6', {})` },
  'ESM named import { dlopen } from node:ffi': {
    min: 26,
    esm: true,
    code: `const { dlopen } = await import('node:ffi'); dlopen('libc.so.6', {})`,
  },
  "require('wasi') preopen outside the grants": {
    code: `new (require('wasi').WASI)({ version: 'preview1', preopens: { '/': '/' } })`,
  },
};

describe('deferred builtin patches', () => {
  before(() => ensureBuilt());
  for (const bin of nodeBinaries().bins)
    for (const [name, r] of Object.entries(ROUTES)) {
      test(`${bin.name}: ${name} is guarded`, { skip: r.min && bin.major < r.min ? `needs Node ${r.min}` : false }, async () => {
        const dir = scratch('deferred');
        write(join(dir, 'package.json'), '{"type":"commonjs"}');
        const body = `try { ${r.code}; console.log('RESULT ' + JSON.stringify('ok')); } catch (e) { console.log('RESULT ' + JSON.stringify(e.code ?? String(e))); }`;
        const file = r.esm ? write(join(dir, 'main.mjs'), `${body}\n`) : write(join(dir, 'main.js'), `(async () => { ${body} })();\n`);
        const res = await runNode({ bin: bin.path, file, cwd: dir, policy: { mode: 'block', taskRoot: dir, ...r.policy } });
        assert.equal(res.result, BLOCKED, `${res.stdout}\n${res.stderr}`);
        assert.ok(
          res.events.some((e) => e.mode === 'block'),
          res.stdout,
        );
      });
    }
});

// The modules the shield defers, and which builtins load them: measured on every binary, it must match what
// DEFERRED_SAFE_BUILTINS claims (none of those loads a deferred module) and the trigger ids in guards.cts.
const DEFERRED = ['child_process', 'worker_threads', 'dgram', 'dns', 'inspector', 'fs/promises', 'dns/promises', 'ffi'];
describe('what loads the deferred builtins', () => {
  before(() => ensureBuilt());
  for (const bin of nodeBinaries().bins)
    test(`${bin.name}: no builtin the shield treats as safe loads a deferred one; any other runs every patch`, async () => {
      const dir = scratch('deferred-deps');
      const file = write(
        join(dir, 'deps.cjs'),
        `const { spawnSync } = require('child_process');
const safe = [...require(${JSON.stringify(join(DIST, 'guards.cjs'))}).DEFERRED_SAFE_BUILTINS];
const deferred = ${JSON.stringify(DEFERRED)};
const probe = (id, shield) => spawnSync(process.execPath, [...(shield ? ['--require', ${JSON.stringify(REGISTER)}] : []), '-e',
  \`const before = new Set(process.moduleLoadList); process.emitWarning = () => {}; try { process.getBuiltinModule('node:' + \${JSON.stringify(id)}); } catch {}
   process.stdout.write(JSON.stringify(\${JSON.stringify(deferred)}.filter((m) => !before.has('NativeModule ' + m) && process.moduleLoadList.includes('NativeModule ' + m))))\`],
  { encoding: 'utf8', env: { PATH: process.env.PATH, FNGUARD_SHIELD_POLICY: '{"mode":"allow"}' } }).stdout.split('\\n').pop();
const r = { loads: {}, unlisted: {}, canDefer: typeof require('module').registerHooks === 'function' };
for (const id of safe) { const l = JSON.parse(probe(id, false) || '[]').filter((m) => m !== id && !m.startsWith(id + '/')); if (l.length) r.loads[id] = l; }
// under the shield an unlisted builtin runs every deferred patch (each loads its module) before it is returned
for (const id of ['test', 'repl', 'v8', 'sys']) r.unlisted[id] = JSON.parse(probe(id, true) || '[]');
console.log('RESULT ' + JSON.stringify(r));`,
      );
      const res = await runNode({ bin: bin.path, file, cwd: dir, preload: 'none', timeoutMs: 120_000 });
      assert.ok(res.result, res.stdout + res.stderr);
      assert.deepEqual(res.result.loads, {}, 'a builtin listed as safe loads a deferred module');
      if (res.result.canDefer)
        for (const [id, loaded] of Object.entries(res.result.unlisted as Record<string, string[]>))
          for (const m of ['child_process', 'worker_threads', 'dgram', 'dns'])
            assert.ok(loaded.includes(m) || id === m, `${bin.name}: ${id} did not run the ${m} patch (${loaded.join(',')})`);
    });
});

// Installed after the modules were obtained: the static imports of the file that imports the register module on
// its first line (ESM links them all before running any), or a policy installed from code after a require.
const LATE: Record<string, string> = {
  'first-line register import, static named imports below it': `import '${join(DIST, 'register.mjs')}';
import { execSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { resolveTxt } from 'node:dns';
import { open } from 'node:inspector';
import { readFile } from 'node:fs/promises';
`,
  'protect() after the modules were imported': `import { execSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { resolveTxt } from 'node:dns';
import { open } from 'node:inspector';
import { readFile } from 'node:fs/promises';
const s = await import('${join(DIST, 'index.js')}');
s.protect({ mode: 'block', kernel: 'off', taskRoot: process.cwd() });
`,
};
describe('deferred patches when the shield is installed late', () => {
  before(() => ensureBuilt());
  for (const bin of nodeBinaries().bins)
    for (const [name, head] of Object.entries(LATE))
      test(`${bin.name}: ${name}`, async () => {
        const dir = scratch('deferred-late');
        const file = write(
          join(dir, 'main.mjs'),
          `${head}
const r = {};
const code = async (f) => { try { await f(); return 'ran'; } catch (e) { return e.code ?? String(e); } };
r.exec = await code(() => execSync('true'));
r.worker = await code(() => new Worker(new URL(import.meta.url)));
r.dns = await code(() => new Promise((res, rej) => resolveTxt('exfil.example.invalid', (e) => (e ? rej(e) : res()))));
r.inspector = await code(() => open(0));
r.fsp = await code(() => readFile('/etc/passwd'));
console.log('RESULT ' + JSON.stringify(r));
`,
        );
        const policy = name.startsWith('first-line') ? { mode: 'block', kernel: 'off', taskRoot: dir } : undefined;
        const res = await runNode({ bin: bin.path, file, cwd: dir, preload: 'none', policy });
        assert.ok(res.result, `${res.stdout}\n${res.stderr}`);
        assert.deepEqual(res.result, { exec: BLOCKED, worker: BLOCKED, dns: BLOCKED, inspector: BLOCKED, fsp: BLOCKED }, res.stdout);
      });
});
