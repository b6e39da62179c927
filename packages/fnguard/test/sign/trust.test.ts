// Trust policies: which key may sign which function or layer; matches, refusals, revocation, expiry, --name binding.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cli, copyDir, makeFunctionDir, scratchDir } from './helpers.js';

describe('trust policy', () => {
  let root: string;
  let fn: string;
  let appHint: string;
  before(async () => {
    root = scratchDir();
    fn = makeFunctionDir(root);
    appHint = /key hint: ([0-9a-f]{64})/.exec((await cli(root, 'keygen', '--out', 'app')).out)?.[1] as string;
    await cli(root, 'keygen', '--out', 'platform', '--type', 'p256');
    await cli(root, 'keygen', '--out', 'stranger');
    writeFileSync(
      join(root, 'trust.yml'),
      `keys:
  - id: app-ci
    publicKey: app.pub
    functions: [orders, 'pay-*']
  - id: platform-ci
    publicKey: platform.pub
    layers: [shared]
`,
    );
  });

  const signAs = async (key: string, name: string) => {
    const d = copyDir(fn, join(scratchDir(), 'pkg'));
    const s = await cli(root, 'sign', d, '--key', `${key}.key`, '--name', name);
    assert.equal(s.code, 0, s.err);
    return d;
  };
  const verify = (d: string, ...extra: string[]) => cli(root, 'verify', d, '--policy', 'trust.yml', ...extra);

  test('a key verifies the functions it may sign (exact names and globs)', async () => {
    assert.equal((await verify(await signAs('app', 'fn:orders'))).code, 0);
    assert.equal((await verify(await signAs('app', 'fn:pay-eu'))).code, 0);
    assert.equal((await verify(await signAs('platform', 'layer:shared'))).code, 0);
  });

  test('a trusted key signing what it may not is refused, naming the key and subject', async () => {
    let r = await verify(await signAs('app', 'fn:admin'));
    assert.equal(r.code, 1);
    assert.match(r.err, /key 'app-ci' may not sign 'fn:admin'/);
    r = await verify(await signAs('app', 'layer:shared'));
    assert.equal(r.code, 1);
    assert.match(r.err, /may not sign 'layer:shared'/);
    r = await verify(await signAs('platform', 'fn:orders'));
    assert.equal(r.code, 1);
    assert.match(r.err, /key 'platform-ci' may not sign 'fn:orders'/);
  });

  test('a key that is not in the policy is a wrong key', async () => {
    const r = await verify(await signAs('stranger', 'fn:orders'));
    assert.equal(r.code, 1);
    assert.match(r.err, /wrong key/);
  });

  test('--name binds the package to the function being deployed', async () => {
    const d = await signAs('app', 'fn:pay-eu');
    assert.equal((await verify(d, '--name', 'fn:pay-eu')).code, 0);
    const r = await verify(d, '--name', 'fn:pay-us');
    assert.equal(r.code, 1);
    assert.match(r.err, /signed for 'fn:pay-eu', not for 'fn:pay-us'/);
  });

  test('--key with --policy trusts only those keys of the policy', async () => {
    const d = await signAs('app', 'fn:orders');
    assert.equal((await verify(d, '--key', 'app.pub')).code, 0);
    const r = await verify(d, '--key', 'platform.pub');
    assert.equal(r.code, 1);
    assert.match(r.err, /wrong key/);
  });

  test('revoked and expired keys are refused', async () => {
    const d = await signAs('app', 'fn:orders');
    const base = readFileSync(join(root, 'trust.yml'), 'utf8');
    writeFileSync(join(root, 'revoked.yml'), `${base}revoked: [${appHint}]\n`);
    let r = await cli(root, 'verify', d, '--policy', 'revoked.yml');
    assert.equal(r.code, 1);
    assert.match(r.err, /is revoked/);
    writeFileSync(join(root, 'expired.yml'), base.replace("functions: [orders, 'pay-*']", 'functions: [orders]\n    expires: 2020-01-01'));
    r = await cli(root, 'verify', d, '--policy', 'expired.yml');
    assert.equal(r.code, 1);
    assert.match(r.err, /expired on 2020-01-01/);
  });

  test('a broken policy is a usage error', async () => {
    writeFileSync(join(root, 'bad.yml'), 'keys:\n  - id: x\n    publicKey: app.pub\n');
    const r = await cli(root, 'verify', fn, '--policy', 'bad.yml');
    assert.equal(r.code, 2);
    assert.match(r.err, /list the functions, layers or subjects/);
  });
});
