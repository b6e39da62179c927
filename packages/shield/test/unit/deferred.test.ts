// Builtins patched on first access instead of at cold start (fs/promises, dns/promises, inspector, sqlite,
// wasi): every public route to them must still return the patched module, on every Node binary.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ensureBuilt, nodeBinaries, runNode, scratch, write } from '../helpers/env.js';

const BLOCKED = 'ERR_FNGUARD_SHIELD_BLOCKED';

// Each route runs in a fresh process so that it is the first access to the module.
const ROUTES: Record<string, { code: string; esm?: boolean; min?: number }> = {
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
        const res = await runNode({ bin: bin.path, file, cwd: dir, policy: { mode: 'block', taskRoot: dir } });
        assert.equal(res.result, BLOCKED, `${res.stdout}\n${res.stderr}`);
        assert.ok(
          res.events.some((e) => e.mode === 'block'),
          res.stdout,
        );
      });
    }
});
