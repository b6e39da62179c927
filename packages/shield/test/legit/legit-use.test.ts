// Legitimate use that must keep working with every policy on block: AWS SDK v3-style HTTPS calls to an allowed
// endpoint (loopback HTTPS, self-signed certificate), fetch to allowed hosts, reading its own modules at start-up,
// writing /tmp when allowed, the Lambda Runtime API always reachable.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, type Json, nodeBinaries, runNode, scratch, selfSignedCert, write } from '../helpers/env.js';

const cert = selfSignedCert();

describe('legitimate use under a blocking policy', { skip: !cert && 'openssl is needed for the HTTPS server' }, () => {
  let httpsPort = 0;
  let httpPort = 0;
  let apiPort = 0;
  const seen: string[] = [];
  const servers: { close(): void; closeAllConnections(): void }[] = [];
  before(async () => {
    ensureBuilt();
    const s = createServer({ key: readFileSync(cert!.key), cert: readFileSync(cert!.cert) }, (req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        seen.push(`${req.method} ${req.headers.host} ${req.headers['x-amz-target'] ?? ''} ${body}`);
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(JSON.stringify({ Account: '123456789012' }));
      });
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    httpsPort = (s.address() as { port: number }).port;
    const h = createHttpServer((_q, r) => r.end('fetched'));
    await new Promise<void>((r) => h.listen(0, '127.0.0.1', r));
    httpPort = (h.address() as { port: number }).port;
    const api = createHttpServer((_q, r) => r.end('{}'));
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiPort = (api.address() as { port: number }).port;
    servers.push(s, h, api);
  });
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  const { bins } = nodeBinaries();
  for (const bin of bins) {
    test(`${bin.name}: SDK-style HTTPS, fetch, own modules, /tmp, Runtime API`, async () => {
      const dir = scratch(`legit-${bin.name}`);
      const task = join(dir, 'task');
      const tmp = join(dir, 'tmp');
      write(join(dir, 'package.json'), '{"type":"commonjs"}');
      mkdirSync(task);
      mkdirSync(tmp);
      write(join(task, 'util.js'), 'module.exports = { answer: 42 };\n');
      write(join(task, 'config.json'), '{"region":"us-east-1"}\n');
      const file = write(
        join(task, 'index.js'),
        `
const https = require('https');
const fs = require('fs');
const util = require('./util.js');            // own modules at start-up
const config = JSON.parse(fs.readFileSync(__dirname + '/config.json', 'utf8'));
const ca = fs.readFileSync(process.env.CA_FILE);
// AWS SDK v3 style: keep-alive agent, POST with a JSON body to https://sts.<region>.amazonaws.com
// (resolved to loopback by a custom lookup, so the test never leaves the machine).
function sdkCall() {
  return new Promise((resolve, reject) => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 50, ca });
    const req = https.request({
      protocol: 'https:', hostname: 'sts.' + config.region + '.amazonaws.com', port: Number(process.env.HTTPS_PORT), path: '/', method: 'POST',
      servername: 'localhost', agent,
      lookup: (h, o, cb) => (o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)),
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSSecurityTokenServiceV20110615.GetCallerIdentity' },
    }, (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => { agent.destroy(); resolve(JSON.parse(b)); }); });
    req.on('error', reject);
    req.end('{}');
  });
}
(async () => {
  const r = {};
  r.util = util.answer;
  r.sdk = (await sdkCall()).Account;
  r.fetch = await (await fetch('http://127.0.0.1:' + process.env.HTTP_PORT + '/')).text();
  r.fetchByName = await (await fetch('http://localhost:' + process.env.HTTP_PORT + '/')).text();
  r.otherPort = await fetch('http://127.0.0.1:' + process.env.HTTPS_PORT + '/').then(() => 'reached', (e) => (e.cause || e).code);
  fs.writeFileSync(process.env.TMP + '/scratch.json', '{}');
  r.tmp = fs.readFileSync(process.env.TMP + '/scratch.json', 'utf8');
  r.runtimeApi = await (await fetch('http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/next')).text();
  process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n');
})().catch((e) => { process.stdout.write('RESULT ' + JSON.stringify({ fatal: String(e.stack), cause: e.cause && String(e.cause) }) + '\\n'); });
`,
      );
      const r = await runNode({
        bin: bin.path,
        file,
        cwd: task,
        policy: {
          mode: 'block',
          network: { mode: 'block', aws: true, allow: [`127.0.0.1:${httpPort}`] },
          tmp: { mode: 'allow' },
          taskRoot: task,
          tmpDir: tmp,
          fsRead: { allow: [dir, dirname(cert!.cert)] },
        },
        env: {
          CA_FILE: cert!.cert,
          HTTPS_PORT: String(httpsPort),
          HTTP_PORT: String(httpPort),
          TMP: tmp,
          AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${apiPort}`,
        },
      });
      const res = r.result as Json;
      assert.ok(res && !res.fatal, `${JSON.stringify(res)}\n${r.stdout}\n${r.stderr}`);
      assert.equal(res.util, 42);
      assert.equal(res.sdk, '123456789012');
      assert.equal(res.fetch, 'fetched');
      assert.equal(res.fetchByName, 'fetched', 'a name that resolves to an allowed address is allowed');
      assert.equal(res.otherPort, 'ERR_FNGUARD_SHIELD_BLOCKED', 'another port on the same address is not');
      assert.equal(res.tmp, '{}');
      assert.equal(res.runtimeApi, '{}');
      assert.ok(seen.some((s) => s.includes('GetCallerIdentity')));
      const blocks = r.events.filter((e) => e.mode === 'block');
      assert.equal(blocks.length, 1, `only the other port is blocked: ${JSON.stringify(blocks)}`);
    });
  }
});
