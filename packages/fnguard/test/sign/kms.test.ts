// KMS-backed signing: the real AWS SDK client, pointed with --kms-endpoint at a loopback fake of the KMS JSON API
// (GetPublicKey, Sign). The fake holds a P-256 key and signs the pre-hashed digest with openssl, as KMS does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cli, makeFunctionDir, scratchDir } from './helpers.js';

const KEY_ID = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

interface Call {
  target: string;
  body: Record<string, string>;
}

describe('KMS signing against a loopback KMS', { skip: !hasOpenssl && 'openssl CLI needed by the fake KMS' }, () => {
  let server: Server;
  let endpoint: string;
  let root: string;
  const calls: Call[] = [];
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const saved = { ...process.env };

  before(async () => {
    root = scratchDir();
    const keyFile = join(root, 'kms-private.pem');
    writeFileSync(keyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => {
        raw += d;
      });
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const body = JSON.parse(raw || '{}') as Record<string, string>;
        calls.push({ target, body });
        const send = (status: number, obj: unknown) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(obj));
        };
        if (body.KeyId !== KEY_ID) return send(400, { __type: 'NotFoundException', message: `Key '${body.KeyId}' does not exist` });
        if (target === 'TrentService.GetPublicKey')
          return send(200, {
            KeyId: KEY_ID,
            KeySpec: 'ECC_NIST_P256',
            KeyUsage: 'SIGN_VERIFY',
            SigningAlgorithms: ['ECDSA_SHA_256'],
            PublicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
          });
        if (target === 'TrentService.Sign') {
          const digest = Buffer.from(body.Message ?? '', 'base64');
          if (body.MessageType !== 'DIGEST' || digest.length !== 32 || body.SigningAlgorithm !== 'ECDSA_SHA_256')
            return send(400, { __type: 'ValidationException', message: 'expected a 32-byte DIGEST with ECDSA_SHA_256' });
          const r = spawnSync('openssl', ['pkeyutl', '-sign', '-inkey', keyFile], { input: digest });
          if (r.status !== 0) return send(500, { __type: 'KMSInternalException', message: String(r.stderr) });
          return send(200, { KeyId: KEY_ID, Signature: r.stdout.toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' });
        }
        send(400, { __type: 'UnknownOperationException', message: target });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // static test credentials: the SDK signs requests; nothing leaves the loopback interface
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDLOOPBACKTEST',
      AWS_SECRET_ACCESS_KEY: 'loopback-test-secret',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN']) delete process.env[k];
  });
  after(async () => {
    process.env = saved;
    await new Promise((r) => server.close(r));
  });

  test('keygen --kms-key exports the public key; sign --kms-key makes a bundle that verifies offline', async () => {
    const fn = makeFunctionDir(root);
    const g = await cli(root, 'keygen', '--kms-key', KEY_ID, '--kms-endpoint', endpoint, '--out', 'kms');
    assert.equal(g.code, 0, g.err);
    assert.equal(readFileSync(join(root, 'kms.pub'), 'utf8'), pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const s = await cli(root, 'sign', fn, '--kms-key', KEY_ID, '--kms-endpoint', endpoint, '--name', 'fn:orders');
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /with KMS key arn:aws:kms/);
    const sign = calls.filter((c) => c.target === 'TrentService.Sign');
    assert.equal(sign.length, 1);
    assert.equal(sign[0]?.body.MessageType, 'DIGEST');
    const v = await cli(root, 'verify', fn, '--key', 'kms.pub');
    assert.equal(v.code, 0, v.err);
  });

  test('an unknown KMS key is reported, nothing is written', async () => {
    const fn = makeFunctionDir(scratchDir());
    const s = await cli(root, 'sign', fn, '--kms-key', 'alias/nope', '--kms-endpoint', endpoint);
    assert.equal(s.code, 2);
    assert.match(s.err, /does not exist/);
    assert.equal(existsSync(join(fn, '.lambda-sig')), false);
  });
});
