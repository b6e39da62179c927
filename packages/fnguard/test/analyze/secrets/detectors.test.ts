// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the cases quote `${...}` placeholders on purpose
/**
 * The secret detectors, one text at a time: what each finds (kind, rule, the exact span), what it
 * must not find (placeholders, references, look-alikes), and that the IaC classifier agrees.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildAnchorSet, scanAnchors } from '../../../src/analyze/secrets/anchors.js';
import { scanSecretsInText } from '../../../src/analyze/secrets/scanText.js';
import { classifySecret } from '../../../src/analyze/secrets/value.js';

/** Build fake tokens at runtime from parts, so that no complete token sits in this file. */
const j = (...parts: string[]) => parts.join('');
const alnum = (n: number, seed = 7) => {
  const cs = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += cs[x % cs.length];
  }
  return s;
};
const b32 = (n: number, seed = 3) =>
  alnum(n * 3, seed)
    .toUpperCase()
    .replace(/[^A-Z2-7]/g, '')
    .slice(0, n)
    .padEnd(n, 'Q');

function scan(text: string, configLike = false) {
  return scanSecretsInText(text, { configLike, generic: true }).secrets;
}

const akid = j('AKIA', b32(16));
const gh = j('ghp_', alnum(36));
const cases: { what: string; text: string; kind: string; rule: string; value?: string; configLike?: boolean }[] = [
  { what: 'AWS key id', text: `const id = '${akid}';`, kind: 'aws-access-key-id', rule: 'CSEC-01', value: akid },
  {
    what: 'AWS secret under its name',
    text: `aws_secret_access_key = ${alnum(40, 11)}`,
    kind: 'aws-secret-access-key',
    rule: 'CSEC-02',
    configLike: true,
  },
  { what: 'GitHub token', text: `token: "${gh}"`, kind: 'github-token', rule: 'CSEC-04', value: gh },
  {
    what: 'GitHub fine-grained token',
    text: `x = '${j('github_pat_', alnum(22), '_', alnum(59))}'`,
    kind: 'github-token',
    rule: 'CSEC-04',
  },
  { what: 'GitLab token', text: `GITLAB=${j('glpat-', alnum(20))}`, kind: 'gitlab-token', rule: 'CSEC-04', configLike: true },
  {
    what: 'Slack bot token',
    text: `'${j('xoxb-', '204816330712', '-', '4093815523011', '-', alnum(24))}'`,
    kind: 'slack-token',
    rule: 'CSEC-04',
  },
  {
    what: 'Slack webhook',
    text: `url = "${j('https://hooks.slack.com/services/', 'T024BE7LD', '/', 'B024BE7LH', '/', alnum(24))}"`,
    kind: 'slack-webhook',
    rule: 'CSEC-04',
  },
  { what: 'Stripe live key', text: `stripe(${j("'sk_", 'live_', alnum(24), "'")})`, kind: 'stripe-key', rule: 'CSEC-04' },
  { what: 'Stripe restricted key', text: `k = '${j('rk_', 'live_', alnum(30))}'`, kind: 'stripe-key', rule: 'CSEC-04' },
  { what: 'SendGrid key', text: `'${j('SG.', alnum(22), '.', alnum(43))}'`, kind: 'sendgrid-key', rule: 'CSEC-04' },
  { what: 'Google API key', text: `key=${j('AIza', alnum(35))}`, kind: 'google-api-key', rule: 'CSEC-04', configLike: true },
  {
    what: 'npm token',
    text: `//registry.npmjs.org/:_authToken=${j('npm_', alnum(36))}`,
    kind: 'npm-token',
    rule: 'CSEC-04',
    configLike: true,
  },
  {
    what: 'Twilio API key near "twilio"',
    text: `const twilio = require('twilio')('${j('SK', '0f1e2d3c4b5a69788796a5b4c3d2e1f0')}', s);`,
    kind: 'twilio-api-key',
    rule: 'CSEC-04',
  },
  { what: 'Anthropic key', text: `'${j('sk-ant-', 'api03-', alnum(93), 'AA')}'`, kind: 'anthropic-key', rule: 'CSEC-04' },
  { what: 'OpenAI key', text: `'${j('sk-proj-', alnum(40), 'T3Blbk', 'FJ', alnum(40))}'`, kind: 'openai-key', rule: 'CSEC-04' },
  {
    what: 'database URL',
    text: `DATABASE_URL=postgres://app:${alnum(14)}@db.internal.acme.io:5432/app`,
    kind: 'database-url-password',
    rule: 'CSEC-05',
    configLike: true,
  },
  {
    what: 'mongodb+srv URL',
    text: `'mongodb+srv://svc:${alnum(16)}@cluster0.ab12c.mongodb.net/orders'`,
    kind: 'database-url-password',
    rule: 'CSEC-05',
  },
  {
    what: 'ADO.NET connection string',
    text: `"Server=tcp:acme.database.windows.net;User Id=app;Password=${alnum(16)};"`,
    kind: 'connection-string-password',
    rule: 'CSEC-05',
  },
  {
    what: 'Azure storage key',
    text: `"AccountName=acme;AccountKey=${alnum(86)}==;EndpointSuffix=core.windows.net"`,
    kind: 'azure-storage-key',
    rule: 'CSEC-05',
  },
  {
    what: 'jwt.sign literal',
    text: "jwt.sign({ sub: u.id, roles: [a, b] }, 'secret', { expiresIn: 60 })",
    kind: 'jwt-signing-secret',
    rule: 'CSEC-06',
    value: 'secret',
  },
  { what: 'PyJWT encode literal', text: 'jwt.encode(payload, "k3y-2024", algorithm="HS256")', kind: 'jwt-signing-secret', rule: 'CSEC-06' },
  {
    what: 'passport-jwt secretOrKey',
    text: "new JwtStrategy({ secretOrKey: 'my-jwt-key' }, verify)",
    kind: 'jwt-signing-secret',
    rule: 'CSEC-06',
  },
  { what: 'generic secret', text: `const clientSecret = '${alnum(24)}';`, kind: 'generic-secret', rule: 'CSEC-07' },
  { what: 'password in YAML', text: 'db:\n  password: Xk9#mQ2vL7pR\n', kind: 'generic-password', rule: 'CSEC-07', configLike: true },
  {
    what: 'JS env fallback',
    text: "const k = process.env.API_KEY || 'dev-key-12345';",
    kind: 'env-fallback',
    rule: 'CSEC-07',
    value: 'dev-key-12345',
  },
  {
    what: 'JS env fallback ??',
    text: "const k = process.env['SESSION_SECRET'] ?? `cookie-s3cret`;",
    kind: 'env-fallback',
    rule: 'CSEC-07',
  },
  {
    what: 'Python env default',
    text: "SECRET_KEY = os.environ.get('SECRET_KEY', 'django-insecure-8x!')",
    kind: 'env-fallback',
    rule: 'CSEC-07',
  },
  { what: 'Python getenv default', text: 'TOKEN = os.getenv("AUTH_TOKEN", "tok-998877")', kind: 'env-fallback', rule: 'CSEC-07' },
];

describe('secret detectors: true positives', () => {
  for (const c of cases)
    test(c.what, () => {
      const found = scan(c.text, c.configLike);
      assert.equal(found.length, 1, `${c.text}\n-> ${JSON.stringify(found.map((f) => f.kind))}`);
      const f = found[0];
      assert.equal(f?.kind, c.kind);
      assert.equal(f?.rule, c.rule);
      if (c.value) assert.equal(f?.value, c.value);
      assert.equal(c.text.slice(f?.start, f?.end), f?.value, 'the span is the secret');
    });
});

const negatives: { what: string; text: string; configLike?: boolean }[] = [
  { what: "AWS's documented example keys", text: "id = 'AKIAIOSFODNN7EXAMPLE'\nsecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'" },
  { what: 'placeholders', text: "password = 'changeme'\ntoken = 'xxxxxxxxxxxxxxxx'\napi_key = '<your-api-key>'\nsecret = '${SECRET}'" },
  {
    what: 'references and settings',
    text: "const secretName = 'orders/prod/db';\nconst tokenUrl = 'https://auth.acme.io/oauth/token';\nconst passwordMinLength = '12';",
  },
  { what: 'code, not values', text: 'const token = getToken();\nconst password = req.body.password;\nif (token === expected) {}' },
  { what: 'unquoted code values', text: 'password = os.environ["DB_PASSWORD"]\ntoken = fetch_token(user)' },
  {
    what: 'identifier-like values',
    text: "const tokenType = 'bearer';\nconst secret = 'orders-db-secret';\nconst passwordField = 'userPassword';",
  },
  { what: 'tokenizer words', text: "const tokenizer = 'a8Kz3mQ9xL2vR7wP4nT6';" },
  { what: 'publishable Stripe key', text: `'${j('pk_', 'live_', alnum(24))}'` },
  { what: 'URL without credentials', text: "fetch('https://api.acme.io/v1/orders?token=abc')\ngit+ssh://git@github.com/acme/x.git" },
  {
    what: 'URL with a placeholder password',
    text: "'postgres://user:${DB_PASSWORD}@db/x'\n'mysql://root:password@localhost/x'\n'redis://:<password>@cache:6379'",
  },
  { what: 'a header check, not a key', text: "if (pem.startsWith('-----BEGIN PRIVATE KEY-----')) return true;" },
  {
    what: 'env fallback to a non-secret',
    text: "const table = process.env.TABLE_NAME || 'orders';\nconst region = os.environ.get('AWS_REGION', 'eu-west-1')",
  },
  { what: 'env fallback to a placeholder', text: "const k = process.env.API_KEY || 'changeme';\nconst t = process.env.TOKEN || '';" },
  { what: 'jwt.sign with a variable key', text: 'jwt.sign(payload, key, opts); jwt.verify(token, `${secret}`);' },
  {
    what: 'YAML tags and variables',
    text: 'password: !Ref DbPassword\ntoken: ${ssm:/app/token}\nsecret: "{{resolve:secretsmanager:app}}"\n',
    configLike: true,
  },
  {
    what: 'service names with a secret word',
    text: "'secretsmanager:GetSecretValue'\n#  'secretsmanager:PutSecretValue',",
    configLike: true,
  },
  { what: 'TypeScript types in a config-looking file', text: '  password: BinaryLike,\n  token: string;\n', configLike: true },
];

describe('secret detectors: what they must not report', () => {
  for (const c of negatives)
    test(c.what, () => {
      const found = scan(c.text, c.configLike);
      assert.deepEqual(
        found.map((f) => `${f.kind}@${f.line}`),
        [],
      );
    });
});

describe('secret detectors: context', () => {
  test('an AWS key id and its secret close together are a pair (both ways)', () => {
    const text = `[default]\naws_access_key_id = ${akid}\naws_secret_access_key = ${alnum(40, 5)}\n`;
    const found = scan(text, true);
    const id = found.find((f) => f.kind === 'aws-access-key-id');
    const secret = found.find((f) => f.kind === 'aws-secret-access-key');
    assert.equal(id?.pairedLine, 3);
    assert.equal(secret?.pairedLine, 2);
  });

  test('an unnamed 40-character key next to a key id is its secret', () => {
    const found = scan(`aws configure set creds ${akid},${j('Zx8', alnum(34, 9), 'q7Y')}\n`);
    assert.deepEqual(
      found.map((f) => f.kind),
      ['aws-access-key-id', 'aws-secret-access-key'],
    );
  });

  test('a vendor token assigned to a name keeps the vendor kind and the name', () => {
    const found = scan(`const GITHUB_TOKEN = process.env.GITHUB_TOKEN || '${gh}';`);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.kind, 'github-token');
    assert.equal(found[0]?.name, 'GITHUB_TOKEN');
    assert.match(found[0]?.context ?? '', /fallback of process\.env\.GITHUB_TOKEN/);
  });

  test('a private key in a JSON string with \\n escapes, and in a Google service account file', () => {
    const body = Array.from({ length: 4 }, (_, i) => alnum(64, i + 1)).join('\\n');
    const pem = `-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n`;
    assert.equal(scan(`{ "key": "${pem}" }`)[0]?.kind, 'private-key');
    const sa = scan(`{\n  "type": "service_account",\n  "private_key_id": "abc",\n  "private_key": "${pem}"\n}`);
    assert.equal(sa.length, 1);
    assert.equal(sa[0]?.kind, 'gcp-service-account-key');
    assert.equal(sa[0]?.rule, 'CSEC-04');
    assert.equal(sa[0]?.line, 4);
  });

  test('columns count characters, not bytes, on non-ASCII lines', () => {
    const text = `// ünïcödé ✓\nconst label = 'größe ✓'; const id = '${akid}';\n`;
    const found = scan(text);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.line, 2);
    const lineText = text.split('\n')[1] ?? '';
    assert.equal(found[0]?.column, lineText.indexOf(akid) + 1);
    assert.equal(found[0]?.value, akid);
  });

  test('a local development database URL is a weak match', () => {
    const found = scan("const url = 'postgres://app:Ld9xQ2mW7z@localhost:5432/app';");
    assert.equal(found[0]?.confidence, 'low');
  });
});

describe('one engine for files and IaC values', () => {
  test('classifySecret recognizes what the file scanner recognizes', () => {
    for (const c of cases.filter((x) => x.value && x.rule !== 'CSEC-06' && x.kind !== 'env-fallback'))
      assert.ok(classifySecret('VALUE', c.value as string), `${c.what}: ${c.value}`);
    assert.equal(classifySecret('DB_PASSWORD', 'Xk9#mQ2vL7pR')?.kind, 'generic-password');
    assert.equal(classifySecret('DB_PASSWORD_ARN', 'Xk9#mQ2vL7pR'), null);
    assert.equal(classifySecret('dbPasswordParamName', 'Xk9#mQ2vL7pR'), null);
    assert.equal(classifySecret('TOKEN', 'AKIAIOSFODNN7EXAMPLE'), null);
  });
});

describe('anchor automaton', () => {
  test('finds every occurrence, case-insensitively, overlapping anchors included', () => {
    const set = buildAnchorSet(['pass', 'password', 'ssw', 'AKIA']);
    const bytes = Buffer.from('xPassWord akia PASS');
    const hits: string[] = [];
    scanAnchors(set, bytes, bytes.length, (id, end) => {
      hits.push(`${set.anchors[id]}@${end}`);
      return true;
    });
    assert.deepEqual(hits.sort(), ['akia@14', 'pass@19', 'pass@5', 'password@9', 'ssw@6'].sort());
  });
});
