// shield(handler, policy), the middy-compatible middleware (a hand-driven middy-shaped runner and the real
// @middy/core), sealing, kill mode and onViolation. Each scenario runs in its own process: the shield is
// process-wide by design.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { DIST, ensureBuilt, type Json, nodeBinaries, ROOT, runNode, scratch, write } from '../helpers/env.js';

before(() => ensureBuilt());

const INDEX = `file://${join(DIST, 'index.js')}`;

async function scenario(name: string, body: string, bin = process.execPath) {
  const dir = scratch(`wrap-${name}`);
  const file = write(
    join(dir, 'main.mjs'),
    `import * as s from '${INDEX}';
import { execSync } from 'node:child_process';
const r = {};
const code = (e) => (e && e.code) || String(e);
${body}
process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n');
`,
  );
  const res = await runNode({ bin, file, cwd: dir, preload: 'none', env: { FNGUARD_TEST_DIR: dir } });
  assert.ok(res.result, `${res.stdout}\n${res.stderr}`);
  return res;
}

const POLICY = `{ mode: 'allow', childProcess: { mode: 'block' }, kernel: 'off' }`;

test('shield(): code policy, blocked error propagates, requestId in events, onViolation called, sealed afterwards', async () => {
  const { result, events } = await scenario(
    'shield',
    `
const seen = [];
const h = s.shield(async (event) => { if (event.run) execSync('id'); return 'fine'; }, ${POLICY}, { onViolation: (e) => seen.push(e.policy + ':' + e.mode) });
r.ok = await h({}, { awsRequestId: 'req-1' });
r.blocked = await h({ run: true }, { awsRequestId: 'req-2' }).catch(code);
r.seen = seen;
r.status = s.status();
r.relax = await Promise.resolve().then(() => s.protect({ mode: 'allow', kernel: 'off' })).then(() => 'ok', code);
r.tighten = await Promise.resolve().then(() => s.protect({ mode: 'block', kernel: 'off' })).then(() => 'ok', code);
`,
  );
  const r = result as Json;
  assert.equal(r.ok, 'fine');
  assert.equal(r.blocked, 'ERR_FNGUARD_SHIELD_BLOCKED');
  assert.deepEqual(r.seen, ['childProcess:block']);
  assert.equal(r.status.sealed, true);
  assert.equal(r.status.source, 'code');
  assert.equal(r.relax, 'ERR_FNGUARD_SHIELD_SEALED');
  assert.equal(r.tighten, 'ok');
  const ev = events.find((e) => e.policy === 'childProcess');
  assert.equal(ev?.requestId, 'req-2');
  assert.match(String(ev?.frame?.file), /main\.mjs$/);
});

test('kill mode: a handler that swallows the block still fails its invocation; the next one runs', async () => {
  const { result } = await scenario(
    'kill',
    `
const h = s.shield(async (event) => { if (event.run) { try { execSync('id'); } catch {} } return 'swallowed'; }, { mode: 'allow', childProcess: { mode: 'block' }, kill: true, kernel: 'off' });
r.killed = await h({ run: true }, { awsRequestId: 'a' }).catch(code);
r.next = await h({}, { awsRequestId: 'b' });
`,
  );
  assert.equal((result as Json).killed, 'ERR_FNGUARD_SHIELD_BLOCKED');
  assert.equal((result as Json).next, 'swallowed');
});

// A middy-shaped runner driven by hand: before* -> handler -> after* (reverse), onError* on failure.
const RUNNER = `
async function runMiddy(handler, middlewares, event, context) {
  const request = { event, context, response: undefined, error: undefined, internal: {} };
  try {
    for (const m of middlewares) if (m.before) await m.before(request);
    request.response = await handler(request.event, request.context);
    for (const m of [...middlewares].reverse()) if (m.after) await m.after(request);
    return request.response;
  } catch (e) {
    request.error = e;
    for (const m of [...middlewares].reverse()) if (m.onError) await m.onError(request);
    throw request.error;
  }
}
`;

test('middleware with a hand-driven middy-shaped runner: block, kill, requestId', async () => {
  const { result, events } = await scenario(
    'middy-hand',
    `${RUNNER}
const mw = s.shieldMiddleware({ mode: 'allow', childProcess: { mode: 'block' }, kill: true, kernel: 'off' });
r.shape = [typeof mw.before, typeof mw.after, typeof mw.onError];
r.ok = await runMiddy(async () => 'ok', [mw], {}, { awsRequestId: 'm1' });
r.thrown = await runMiddy(async () => execSync('id'), [mw], {}, { awsRequestId: 'm2' }).catch(code);
r.swallowed = await runMiddy(async () => { try { execSync('id'); } catch {} return 'hidden'; }, [mw], {}, { awsRequestId: 'm3' }).catch(code);
r.after = await runMiddy(async () => 'ok-again', [mw], {}, { awsRequestId: 'm4' });
`,
  );
  const r = result as Json;
  assert.deepEqual(r.shape, ['function', 'function', 'function']);
  assert.equal(r.ok, 'ok');
  assert.equal(r.thrown, 'ERR_FNGUARD_SHIELD_BLOCKED');
  assert.equal(r.swallowed, 'ERR_FNGUARD_SHIELD_BLOCKED');
  assert.equal(r.after, 'ok-again');
  assert.deepEqual(
    events.filter((e) => e.policy).map((e) => e.requestId),
    ['m2', 'm3'],
  );
});

const middy = join(ROOT, 'node_modules', '@middy', 'core', 'index.js');
const n22 = nodeBinaries().bins.find((b) => b.major >= 22);
test('middleware with the real @middy/core', {
  skip: (!existsSync(middy) && '@middy/core not installed') || (!n22 && 'needs Node >= 22'),
}, async () => {
  const { result, events } = await scenario(
    'middy-real',
    `
const { default: middy } = await import('file://${middy}');
const h = middy(async (event) => { if (event.run) execSync('id'); return 'middy-ok'; }).use(s.shieldMiddleware(${POLICY}));
r.ok = await h({}, { awsRequestId: 'x1' });
r.blocked = await h({ run: true }, { awsRequestId: 'x2' }).catch(code);
r.sealed = s.status().sealed;
`,
    n22!.path,
  );
  const r = result as Json;
  assert.equal(r.ok, 'middy-ok');
  assert.equal(r.blocked, 'ERR_FNGUARD_SHIELD_BLOCKED');
  assert.equal(r.sealed, true);
  assert.equal(events.find((e) => e.policy === 'childProcess')?.requestId, 'x2');
});

test('import "@fnguard/shield/register" as a first line and --import both install from the environment', async () => {
  const dir = scratch('register-import');
  const file = write(
    join(dir, 'main.mjs'),
    `import '${`file://${join(DIST, 'register.mjs')}`}';
import { execSync } from 'node:child_process';
let res; try { execSync('id'); res = 'ran'; } catch (e) { res = e.code; }
process.stdout.write('RESULT ' + JSON.stringify(res) + '\\n');
`,
  );
  const policy = { mode: 'allow', childProcess: { mode: 'block' }, kernel: 'off' };
  const a = await runNode({ file, cwd: dir, preload: 'none', policy });
  assert.equal(a.result, 'ERR_FNGUARD_SHIELD_BLOCKED', a.stdout + a.stderr);
  const b = await runNode({ file, cwd: dir, preload: 'import', policy });
  assert.equal(b.result, 'ERR_FNGUARD_SHIELD_BLOCKED', b.stdout + b.stderr);
  assert.equal(b.events.filter((e) => e.event === 'start').length, 1, '--import plus the import line install once');
});
