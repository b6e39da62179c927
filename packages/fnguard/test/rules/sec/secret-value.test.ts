import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifySecret, isSecretName, redact, shannonEntropy } from '../../../src/analyze/secrets/value.js';

// Test tokens are assembled at run time so this file itself does not look like it holds secrets.
const j = (...parts: string[]) => parts.join('');

describe('classifySecret: vendor formats (true positives)', () => {
  const cases: [string | undefined, string, string][] = [
    ['KEY', j('AKIA', 'Z3Q7WXYV2LMN4PRT'), 'aws-access-key-id'],
    [undefined, j('ASIA', 'Q2W3E4R5T6Y7U2I3'), 'aws-access-key-id'],
    ['AWS_SECRET_ACCESS_KEY', j('k9Fz2Lq8', 'Vb3Nw7Xc1Md5Rt6Yh0Pj4Gs2Ae8Ku9Io'), 'aws-secret-access-key'],
    [
      'TLS_KEY',
      j(
        '-----BEGIN RSA ',
        `PRIVATE KEY-----\n${'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0'.repeat(2)}\n-----END RSA PRIVATE KEY-----`,
      ),
      'private-key',
    ],
    [
      'X',
      j(
        '-----BEGIN ',
        `OPENSSH PRIVATE KEY-----\n${'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW'.repeat(2)}\n-----END OPENSSH PRIVATE KEY-----`,
      ),
      'private-key',
    ],
    ['GH', j('ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'), 'github-token'],
    ['GITLAB', j('glpat-', 'Ab3dEf9hIj2lMn5pQr8t'), 'gitlab-token'],
    ['SLACK', j('xoxb-', '123456789012-abcdefABCDEF12'), 'slack-token'],
    ['HOOK', j('https://hooks.slack.com/services/', 'T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx'), 'slack-webhook'],
    ['STRIPE', j('sk_live_', '4eC39HqLyjWDarjtT1zdp7dc'), 'stripe-key'],
    ['STRIPE', j('rk_live_', '4eC39HqLyjWDarjtT1zdp7dc'), 'stripe-key'],
    ['SG', j('SG.', 'abcdefghijklmnopqrstuv', '.', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq'), 'sendgrid-key'],
    ['TW', j('SK', '0123456789abcdef0123456789abcdef'), 'twilio-api-key'],
    ['TWILIO_AUTH_TOKEN', '9f8e7d6c5b4a39281706f5e4d3c2b1a0', 'twilio-auth-token'],
    ['MAPS', j('AIza', 'SyB2x8Qm4Lk7Pw1Zr9Tv3Yn6Hc5Jd0Gf-eU'), 'google-api-key'],
    ['NPM', j('npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'), 'npm-token'],
    ['AUTH', j('eyJhbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', '.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'), 'jwt'],
    ['DATABASE_URL', j('postgres://app:', 'S3cr3tPassw0rd', '@db.internal:5432/orders'), 'database-url-password'],
    ['MONGO', j('mongodb+srv://svc:', 'q8Lz2NvX', '@cluster0.mongodb.net/x'), 'database-url-password'],
    ['UPSTREAM', j('https://bot:', 'Zx9Qw2Lk8Mn', '@api.partner.io/v1'), 'url-with-password'],
  ];
  for (const [name, value, kind] of cases) {
    test(`${kind} (${name ?? 'no name'})`, () => {
      const r = classifySecret(name, value);
      assert.ok(r, `expected a ${kind}`);
      assert.equal(r.kind, kind);
    });
  }
  test('vendor tokens are found whatever the name', () => {
    assert.equal(classifySecret('FOO', j('ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'))?.confidence, 'high');
  });
  test('a 40-char base64 string is only an AWS secret key under an AWS-secret-like name', () => {
    const v = j('k9Fz2Lq8', 'Vb3Nw7Xc1Md5Rt6Yh0Pj4Gs2Ae8Ku9Io');
    assert.equal(classifySecret('CHECKSUM', v), null);
  });
});

describe('classifySecret: generic secrets by name', () => {
  test('a password with enough entropy', () => {
    assert.deepEqual(classifySecret('DB_PASSWORD', 'Tr0ub4dor&3x!'), { kind: 'generic-password', confidence: 'medium' });
  });
  test('a long random token is high confidence', () => {
    assert.equal(classifySecret('API_TOKEN', 'f7G2kLp9Qz4Xw8Vn1Mb6Rt3Yh5Jd0Sa2')?.confidence, 'high');
  });
  test('client secret', () => {
    assert.equal(classifySecret('clientSecret', 'Qm8#xT2v!Lp4Nz7w')?.kind, 'generic-secret');
  });
});

describe('classifySecret: false positives stay silent', () => {
  const negatives: [string | undefined, string][] = [
    ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['DB_PASSWORD', ''],
    ['DB_PASSWORD', 'changeme'],
    ['DB_PASSWORD', 'xxxxxxxx'],
    ['DB_PASSWORD', '<your password here>'],
    ['DB_PASSWORD', '${DB_PASSWORD}'],
    ['DB_PASSWORD', '{{resolve:secretsmanager:db:SecretString:password}}'],
    ['DB_PASSWORD', 'example-password-1234'],
    ['API_TOKEN', 'true'],
    ['TOKEN_TTL', '3600'],
    ['API_KEY', '12345678'],
    ['DB_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf'],
    ['SECRET_NAME', 'prod/orders/db-Credentials-9xQ'],
    ['TOKEN_URL', 'https://auth.example.org/oauth2/token'],
    ['AUTH_ENDPOINT', 'https://login.partner.io/v2/authorize'],
    ['PRIVATE_KEY_PATH', '/var/task/keys/signing.pem'],
    ['PRIVATE_KEY', './certs/key.pem'],
    ['SECRET', 'orders-db-secret'],
    ['PASSWORD_POLICY', 'min 12 chars with symbols'],
    ['LOG_LEVEL', 'Xk29fLq8Zm3Nv7Wp'],
    ['TABLE_NAME', 'orders-prod-table'],
    ['DATABASE_URL', 'postgres://db.internal:5432/orders'],
    ['DATABASE_URL', 'postgres://app:${DB_PASS}@db.internal:5432/orders'],
    ['DATABASE_URL', 'postgres://app:changeme@localhost:5432/orders'],
    ['STRIPE_KEY', j('pk_live_', '4eC39HqLyjWDarjtT1zdp7dc')],
    ['SECRET', 'aaaaaaaaaaaaaaaa'],
    [undefined, 'just some text'],
  ];
  for (const [name, value] of negatives) {
    test(`${name ?? '(no name)'} = ${JSON.stringify(value).slice(0, 40)}`, () => {
      assert.equal(classifySecret(name, value), null);
    });
  }
  test('realistic configuration next to secrets is not a secret', () => {
    const env: Record<string, string> = {
      GITHUB_TOKEN_SCOPE: 'repo,read:org',
      TOKEN_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf',
      TOKEN_AUDIENCE: 'api://orders',
      PASSWORD_MIN_LENGTH: '12',
      PASSWORD_HASH_ROUNDS: '10',
      AUTH_TOKEN_HEADER: 'x-api-token',
      SECRET_PROVIDER: 'SecretsManager',
      ENCRYPTION_KEY_ALIAS: 'alias/orders-key-2024',
      SESSION_SECRET_TTL: '3600',
      API_KEY_SECRET_NAME: 'orders/prod/partner-api-key',
      JWT_ALGORITHM: 'HS256',
      SECRETS_EXTENSION_HTTP_PORT: '2773',
      WEBHOOK_SIGNING_SECRET_PARAM: '/orders/prod/webhook',
      DB_USER: 'orders_app',
      OAUTH_TOKEN_URL: 'https://auth.partner.io/oauth/token',
      COGNITO_CLIENT_SECRET: '',
    };
    for (const [name, value] of Object.entries(env)) assert.equal(classifySecret(name, value), null, name);
  });
  test('huge values are not classified (bounded work)', () => {
    assert.equal(classifySecret('TOKEN', 'a'.repeat(20_000)), null);
  });
  test('pathological input finishes quickly', () => {
    const t0 = Date.now();
    classifySecret('PASSWORD', `postgres://${':'.repeat(5000)}@`);
    classifySecret('PASSWORD', `${'-----BEGIN '.repeat(800)}`);
    assert.ok(Date.now() - t0 < 500);
  });
});

describe('helpers', () => {
  test('redact keeps only the ends', () => {
    assert.equal(redact('AKIAIOSFODNN7EXAMPLE'), 'AKIA****MPLE');
    assert.equal(redact('short'), '****');
    assert.ok(!redact('Tr0ub4dor&3x!verylong').includes('ub4dor'));
  });
  test('entropy', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
  });
  test('secret names and reference names', () => {
    assert.ok(isSecretName('DB_PASSWORD'));
    assert.ok(isSecretName('stripeApiKey'));
    assert.ok(!isSecretName('DB_PASSWORD_ARN'));
    assert.ok(!isSecretName('SECRET_ID'));
    assert.ok(!isSecretName('TABLE'));
    assert.ok(!isSecretName(undefined));
  });
});
