import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unknown } from '../../../src/model/types.js';
import AZ01 from '../../../src/rules/gcp/AZ-01.js';
import AZ02 from '../../../src/rules/gcp/AZ-02.js';
import AZ03 from '../../../src/rules/gcp/AZ-03.js';
import GCP01 from '../../../src/rules/gcp/GCP-01.js';
import GCP02 from '../../../src/rules/gcp/GCP-02.js';
import GCP03 from '../../../src/rules/gcp/GCP-03.js';
import { app, check, fn, role, summary, trigger } from '../lib/cfgBuild.js';

describe('GCP-01 default service account', () => {
  test('default and default-looking emails flagged; dedicated, Unknown and AWS not', () => {
    const sa = (id: string, serviceAccount: string | ReturnType<typeof unknown>) => role(id, [], { provider: 'gcp', serviceAccount });
    const a = app({
      identities: [
        sa('d', 'default'),
        sa('c', '123456789-compute@developer.gserviceaccount.com'),
        sa('ae', 'my-proj@appspot.gserviceaccount.com'),
        sa('own', 'orders@my-proj.iam.gserviceaccount.com'),
        sa('u', unknown('google_service_account.x.email')),
        role('aws', [], { serviceAccount: 'default' }),
      ],
      functions: [
        fn('gen1', { provider: 'gcp', format: 'terraform', identity: 'd' }),
        fn('gen2', { provider: 'gcp', format: 'terraform', identity: 'c' }),
        fn('appengine', { provider: 'gcp', format: 'terraform', identity: 'ae' }),
        fn('dedicated', { provider: 'gcp', format: 'terraform', identity: 'own' }),
        fn('unk', { provider: 'gcp', format: 'terraform', identity: 'u' }),
        fn('lambda', { identity: 'aws' }),
      ],
    });
    const f = check(GCP01, a);
    assert.deepEqual(summary(f), ['gen1:high', 'gen2:high', 'appengine:high']);
    assert.match(f[0]?.message ?? '', /default compute service account/);
  });
});

describe('GCP-02 public invoker', () => {
  test('allUsers and allAuthenticatedUsers', () => {
    const a = app({
      functions: [
        fn('pub', { provider: 'gcp', cloud: { invokers: ['allUsers'] } }),
        fn('authd', { provider: 'gcp', cloud: { invokers: ['allAuthenticatedUsers', 'serviceAccount:x@p.iam.gserviceaccount.com'] } }),
        fn('private', { provider: 'gcp', cloud: { invokers: ['serviceAccount:caller@p.iam.gserviceaccount.com', unknown('var.member')] } }),
        fn('none', { provider: 'gcp' }),
      ],
    });
    const f = check(GCP02, a);
    assert.deepEqual(summary(f), ['pub:high', 'authd:high']);
    assert.match(f[0]?.message ?? '', /without authentication/);
  });
});

describe('GCP-03 plain HTTP', () => {
  test('httpsOnly false only', () => {
    const a = app({
      functions: [
        fn('opt', { provider: 'gcp', cloud: { httpsOnly: false } }),
        fn('always', { provider: 'gcp', cloud: { httpsOnly: true } }),
        fn('unset', { provider: 'gcp' }),
      ],
    });
    assert.deepEqual(summary(check(GCP03, a)), ['opt:medium']);
  });
});

describe('Azure function apps', () => {
  const az = (name: string, cloud = {}, extra = {}) => fn(name, { provider: 'azure', format: 'terraform', cloud, ...extra });
  test('AZ-01 authentication', () => {
    const a = app({
      functions: [
        az('noAuth'),
        az('anon', { authEnabled: false }, { triggers: [trigger('http', { auth: { type: 'none' } })] }),
        az('keys', {}, { triggers: [trigger('http', { auth: { type: 'function-key' } })] }),
        az('auth', { authEnabled: true }),
        az('unk', { authEnabled: unknown('var.auth') }),
      ],
    });
    assert.deepEqual(summary(check(AZ01, a)), ['noAuth:medium', 'anon:high', 'keys:medium']);
  });
  test('AZ-02 https only and FTP', () => {
    const a = app({
      functions: [
        az('unset'),
        az('off', { httpsOnly: false }),
        az('on', { httpsOnly: true }),
        az('ftp', { httpsOnly: true, settings: { ftps_state: 'AllAllowed' } }),
        az('ftps', { httpsOnly: true, settings: { ftpsState: 'FtpsOnly' } }),
      ],
    });
    const f = check(AZ02, a);
    assert.deepEqual(summary(f), ['unset:medium', 'off:medium', 'ftp:medium']);
    assert.match(f[0]?.message ?? '', /default false/);
  });
  test('AZ-03 TLS version', () => {
    const a = app({
      functions: [
        az('old', { settings: { minTlsVersion: '1.0' } }),
        az('scm', { settings: { scm_minimum_tls_version: '1.1', minimum_tls_version: '1.2' } }),
        az('ok', { settings: { minTlsVersion: '1.3' } }),
        az('unset'),
        az('unk', { settings: { minTlsVersion: unknown('var.tls') } }),
      ],
    });
    assert.deepEqual(summary(check(AZ03, a)), ['old:medium', 'scm:medium']);
  });
});
