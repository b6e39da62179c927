// End to end like Lambda: the layer zip is built and unpacked as /opt, the exec wrapper starts a minimal Node
// runtime (fixtures/lambda/bootstrap.mjs) against a loopback Runtime API, and a real handler is invoked.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildLayerZip } from '../../src/layer.cjs';
import { ensureBuilt, type Json, nodeBinaries, scratch } from '../helpers/env.js';
import { RuntimeApi } from '../helpers/runtime-api.js';

const FIX = fileURLToPath(new URL('../fixtures/lambda/', import.meta.url));
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

interface Sandbox {
  dir: string;
  opt: string;
  runtime: string;
  task: string;
  tmp: string;
}

function sandbox(name: string, handlerSource: string): Sandbox {
  const dir = scratch(name);
  const s = { dir, opt: join(dir, 'opt'), runtime: join(dir, 'runtime'), task: join(dir, 'task'), tmp: join(dir, 'tmp') };
  for (const d of [s.opt, s.runtime, s.task, s.tmp]) mkdirSync(d);
  const zip = join(dir, 'shield-layer.zip');
  buildLayerZip(zip);
  const r = spawnSync('unzip', ['-q', zip, '-d', s.opt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  copyFileSync(join(FIX, 'bootstrap.mjs'), join(s.runtime, 'bootstrap.mjs'));
  writeFileSync(join(s.task, 'index.mjs'), handlerSource);
  return s;
}

function start(bin: string, s: Sandbox, api: string, extraEnv: Record<string, string>, policy: unknown) {
  const env: Record<string, string> = {
    PATH: `${dirname(bin)}:${process.env.PATH}`,
    AWS_LAMBDA_RUNTIME_API: api,
    LAMBDA_TASK_ROOT: s.task,
    _HANDLER: 'index.handler',
    AWS_LAMBDA_FUNCTION_NAME: 'shield-e2e',
    NODE_OPTIONS: '--max-old-space-size=200',
    FNGUARD_SHIELD_POLICY: JSON.stringify(policy),
    ...extraEnv,
  };
  // Lambda runs AWS_LAMBDA_EXEC_WRAPPER with the runtime's command line as its arguments.
  const child = spawn('sh', [join(s.opt, 'fnguard-shield'), bin, join(s.runtime, 'bootstrap.mjs')], {
    cwd: s.task,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => {
    out.stdout += d;
  });
  child.stderr.on('data', (d) => {
    out.stderr += d;
  });
  const events = (): Json[] =>
    out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{"fnguard_shield"'))
      .map((l) => JSON.parse(l));
  return { child, out, events };
}

describe('Lambda end to end through the exec wrapper and the layer files', {
  skip: !hasUnzip && 'unzip is needed to unpack the layer',
}, () => {
  before(() => ensureBuilt());
  const { bins } = nodeBinaries();
  for (const bin of bins) {
    test(`${bin.name}: invocations served, hostile operations blocked and reported, /tmp wiped between invocations`, async () => {
      const s = sandbox(`e2e-${bin.name}`, readFileSync(join(FIX, 'handler.mjs'), 'utf8'));
      const api = new RuntimeApi();
      const other = createServer((_q, r) => r.end('should not be reached'));
      let reached = 0;
      other.on('connection', () => reached++);
      await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
      const otherPort = (other.address() as { port: number }).port;
      const chainMarker = join(s.dir, 'chained');
      const next = join(s.dir, 'next-wrapper');
      writeFileSync(next, `#!/bin/sh\necho "$NODE_OPTIONS" > "${chainMarker}"\nexec "$@"\n`, { mode: 0o755 });
      const addr = await api.listen();
      const policy = { taskRoot: s.task, tmpDir: s.tmp, tmp: { mode: 'allow' }, tmpHygiene: true, fsRead: { allow: [s.runtime, s.opt] } };
      const run = start(bin.path, s, addr, { FNGUARD_SHIELD_NEXT_WRAPPER: next }, policy);
      try {
        api.invoke('inv-1', { action: 'hello' });
        api.invoke('inv-2', { action: 'exec' });
        api.invoke('inv-3', { action: 'fetch', port: otherPort });
        api.invoke('inv-4', { action: 'readSelf' });
        api.invoke('inv-5', { action: 'writeTmp', tmp: s.tmp });
        api.invoke('inv-6', { action: 'listTmp', tmp: s.tmp });
        await api
          .until(() => api.outcomes.length >= 6)
          .catch((e) => {
            throw new Error(`${e.message}\nstdout:${run.out.stdout}\nstderr:${run.out.stderr}`);
          });
        const by = (id: string) => api.outcomes.find((o) => o.id === id)!;
        const diag = `\nstdout:${run.out.stdout}\nstderr:${run.out.stderr}`;
        const hello = by('inv-1');
        assert.equal(hello.kind, 'response', diag);
        const hb = hello.body as Json;
        assert.equal(hb.ok, true);
        assert.match(hb.nodeOptions, /--require=\S*register\.cjs/, 'the wrapper added the shield');
        assert.match(hb.nodeOptions, /--max-old-space-size=200/, "the user's NODE_OPTIONS are kept");
        assert.ok(hb.ownSourceLength > 100, 'reading its own module at start-up works');
        assert.equal(hb.version, `v${spawnSync(bin.path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()}`);
        for (const id of ['inv-2', 'inv-3', 'inv-4']) {
          assert.equal(by(id).kind, 'error', `${id}${diag}`);
          assert.equal((by(id).body as Json).code, 'ERR_FNGUARD_SHIELD_BLOCKED', `${id}${diag}`);
        }
        assert.equal(reached, 0, 'the blocked fetch never reached its server');
        assert.equal(by('inv-5').kind, 'response');
        assert.deepEqual((by('inv-6').body as Json).entries, [], '/tmp hygiene removed the file left by inv-5');
        const evs = run.events();
        assert.ok(
          evs.some((e) => e.event === 'start'),
          diag,
        );
        const expectEvent = (id: string, policyName: string) => {
          const e = evs.find((x) => x.requestId === id && x.policy === policyName);
          assert.ok(e, `no ${policyName} event for ${id}${diag}`);
          assert.equal(e.mode, 'block');
          assert.equal(e.function, 'shield-e2e');
          assert.match(String(e.frame?.file), /task\/index\.mjs$/, 'the event names the offending file');
        };
        expectEvent('inv-2', 'childProcess');
        expectEvent('inv-3', 'network');
        expectEvent('inv-4', 'readHandler');
        assert.ok(existsSync(chainMarker), 'FNGUARD_SHIELD_NEXT_WRAPPER was run');
        assert.match(readFileSync(chainMarker, 'utf8'), /register\.cjs/, 'the next wrapper saw the shield in NODE_OPTIONS');
      } finally {
        run.child.kill('SIGKILL');
        await api.close();
        other.close();
      }
    });

    test(`${bin.name}: a handler blocked at import time reports an init error`, async () => {
      const s = sandbox(
        `e2e-init-${bin.name}`,
        "import { execSync } from 'node:child_process';\nexecSync('id');\nexport const handler = async () => 1;\n",
      );
      const api = new RuntimeApi();
      const addr = await api.listen();
      const run = start(bin.path, s, addr, {}, { taskRoot: s.task, tmpDir: s.tmp, fsRead: { allow: [s.runtime, s.opt] } });
      try {
        await api.until(() => api.initErrors.length > 0);
        assert.equal((api.initErrors[0] as Json).code, 'ERR_FNGUARD_SHIELD_BLOCKED');
        assert.ok(run.events().some((e) => e.policy === 'childProcess' && e.mode === 'block'));
      } finally {
        run.child.kill('SIGKILL');
        await api.close();
      }
    });

    test(`${bin.name}: an invalid policy stops the start (fail closed)`, async () => {
      const s = sandbox(`e2e-bad-${bin.name}`, 'export const handler = async () => 1;\n');
      const api = new RuntimeApi();
      const addr = await api.listen();
      const run = start(bin.path, s, addr, {}, { netwrok: {} });
      try {
        const code = await new Promise((r) => run.child.on('exit', r));
        assert.notEqual(code, 0);
        assert.match(run.out.stderr, /unknown key "netwrok"/);
        assert.equal(api.nextCalls, 0);
      } finally {
        await api.close();
      }
    });
  }
});
