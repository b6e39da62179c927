// Key types and key files: Ed25519 (default) and ECDSA P-256 sign and verify; private keys are written with mode
// 0600 and never overwritten by accident; bundles made by the CLI verify with the runtime's dependency-free verifier.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { envelopeOf, parseStatement, publicKeyFrom, verifyEnvelope } from '@fnguard/shield/integrity';
import { cli, makeFunctionDir, modeOf, scratchDir } from './helpers.js';

describe('key types and key files', () => {
  for (const type of ['ed25519', 'p256'] as const) {
    test(`${type}: keygen, sign, verify with the CLI and with the runtime verifier`, async () => {
      const root = scratchDir();
      const fn = makeFunctionDir(root);
      const g = await cli(root, 'keygen', '--out', 'k', ...(type === 'p256' ? ['--type', 'p256'] : []));
      assert.equal(g.code, 0, g.err);
      assert.match(g.out, /key hint: [0-9a-f]{64}/);
      assert.equal(modeOf(join(root, 'k.key')), 0o600);
      const pub = createPublicKey(readFileSync(join(root, 'k.pub')));
      assert.equal(pub.asymmetricKeyType, type === 'ed25519' ? 'ed25519' : 'ec');
      if (type === 'p256') assert.equal(pub.asymmetricKeyDetails?.namedCurve, 'prime256v1');
      assert.equal((await cli(root, 'sign', fn, '--key', 'k.key')).code, 0);
      const v = await cli(root, 'verify', fn, '--key', 'k.pub');
      assert.equal(v.code, 0, v.err);
      const bundle = JSON.parse(readFileSync(join(fn, '.lambda-sig', 'bundle.sigstore.json'), 'utf8'));
      const { envelope } = envelopeOf(bundle);
      const { payload } = verifyEnvelope(envelope, [publicKeyFrom(readFileSync(join(root, 'k.pub')))]);
      assert.equal(parseStatement(payload).predicate.name, 'fn:orders');
    });
  }

  test('keygen refuses to overwrite a key unless --force, and keeps 0600 with --force', async () => {
    const root = scratchDir();
    assert.equal((await cli(root, 'keygen', '--out', 'k')).code, 0);
    const before = readFileSync(join(root, 'k.key'), 'utf8');
    const again = await cli(root, 'keygen', '--out', 'k');
    assert.equal(again.code, 2);
    assert.match(again.err, /exists \(use --force/);
    assert.equal(readFileSync(join(root, 'k.key'), 'utf8'), before);
    assert.equal((await cli(root, 'keygen', '--out', 'k', '--force')).code, 0);
    assert.notEqual(readFileSync(join(root, 'k.key'), 'utf8'), before);
    assert.equal(modeOf(join(root, 'k.key')), 0o600);
  });

  test('unsupported key types are usage errors, not crashes', async () => {
    const root = scratchDir();
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(root, 'rsa.pub'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(root, 'rsa.key'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const fn = makeFunctionDir(root);
    assert.equal((await cli(root, 'keygen', '--type', 'rsa')).code, 2);
    const v = await cli(root, 'verify', fn, '--key', 'rsa.pub');
    assert.equal(v.code, 2);
    assert.match(v.err, /unsupported key type rsa/);
    const s = await cli(root, 'sign', fn, '--key', 'rsa.key');
    assert.equal(s.code, 2);
    assert.match(s.err, /unsupported key type rsa/);
  });
});
