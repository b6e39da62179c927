/**
 * The secrets analyzer and the CSEC rules through the real pipeline: redaction in every output
 * format, inline suppressions (`//` and `#`), no double report of IaC values the SEC rules own,
 * severity under test paths, and which function or layer a secret is tied to.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { run } from '../../../src/cli/run.js';
import type { Finding, Result } from '../../../src/engine/types.js';
import { formatNames } from '../../../src/report/index.js';
import { scan } from '../../../src/scan.js';
import { captureIo } from '../../helpers/cliIo.js';
import { FIXED_NOW, tempProjects } from '../../helpers/index.js';

const project = tempProjects();
/** Fake secrets in real formats, assembled at runtime. */
const j = (...p: string[]) => p.join('');
const SECRETS = {
  akid: j('AKIA', 'QW3R7T2Y4U6I5O3P'),
  sak: j('mK8vL2xQ9', 'zR4tW7nB3cY6hJ1pD5fG0aS2eU8iO4k'),
  github: j('ghp_', 'R7x2Kq9LmZ4vT8wN3bC6yP1dF5hJ0sA2eG7u'),
  stripe: j('sk_', 'live_', 'Hc9xKJ2eZvKYlo2C8dQn4rT7wPz3'),
  dbpw: j('Vq7!nR2x', '9LpZ'),
  generic: j('Zx8Qw2Er5Ty7', 'Ui9Op1As3Df'),
  envpw: j('Rt8#kL2q', 'Z9wX'),
  iacpw: j('Nv4!pQ7z', 'Lm2Kx9'),
};
const SLS = `service: orders
provider:
  name: aws
  runtime: nodejs20.x
  environment:
    DB_PASSWORD: ${SECRETS.iacpw}
functions:
  getOrder:
    handler: src/orders.get
  createOrder:
    handler: src/orders.create
  report:
    handler: src/report.main
`;
const HANDLER = `// orders
const AWS_ACCESS_KEY_ID = '${SECRETS.akid}';
const AWS_SECRET_ACCESS_KEY = '${SECRETS.sak}';
const github = '${SECRETS.github}';
const stripe = process.env.STRIPE_KEY || '${SECRETS.stripe}';
const db = 'postgres://orders:${SECRETS.dbpw}@orders-db.cluster-x1.eu-west-1.rds.amazonaws.com/orders';
const clientSecret = '${SECRETS.generic}';
exports.get = async () => 1;
exports.create = async () => 2;
`;

async function scanProject(dir: string): Promise<Result> {
  return scan({ root: dir, now: FIXED_NOW, rules: ['CSEC-*', 'SEC-01', 'SEC-06'] });
}
const visible = (r: Result, rule?: string) => r.findings.filter((f) => !f.suppressed && (!rule || f.ruleId === rule));

describe('secrets: redaction', () => {
  test('no raw secret appears in any output format', async () => {
    const dir = project({
      'serverless.yml': SLS,
      'src/orders.js': HANDLER,
      'src/report.js': 'exports.main = async () => 3;\n',
      '.env': `DB_PASSWORD=${SECRETS.envpw}\n`,
    });
    const formats = formatNames();
    assert.ok(
      ['text', 'json', 'sarif', 'markdown', 'github'].every((f) => formats.includes(f)),
      formats.join(','),
    );
    let sawFindings = false;
    for (const format of formats) {
      const io = captureIo(dir);
      const code = await run(['scan', dir, '--format', format, '--rule', 'CSEC-*', '--rule', 'SEC-01'], io);
      assert.equal(code, 1, `${format}: findings exit 1 (${io.err})`);
      const out = io.out;
      assert.ok(out.length > 100, `${format} output`);
      for (const [name, value] of Object.entries(SECRETS)) assert.ok(!out.includes(value), `${format} output contains the raw ${name}`);
      if (format === 'json') {
        const r = JSON.parse(out) as Result;
        sawFindings = r.findings.length >= 7;
        assert.ok(
          r.findings.some((f) => f.message.includes('ghp_****')),
          'redacted form in messages',
        );
      }
    }
    assert.ok(sawFindings, 'the JSON report has the findings');
  });
});

describe('secrets: inline suppression', () => {
  test('`// fnguard-ignore` and `# fnguard-ignore` on the line or the line above', async () => {
    const dir = project({
      'serverless.yml': SLS,
      'src/orders.js': `// fnguard-ignore CSEC-04: rotated, kept for the replay tests
const github = '${SECRETS.github}';
const stripe = '${SECRETS.stripe}'; // fnguard-ignore CSEC-04: test mode account
// fnguard-ignore CSEC-07: wrong rule, must not hide CSEC-01
const id = '${SECRETS.akid}';
exports.get = async () => 1;
`,
      'src/report.py': `# fnguard-ignore CSEC-07: local only
API_TOKEN = os.environ.get('API_TOKEN', '${SECRETS.generic}')
`,
      'config/app.yml': `db:\n  password: ${SECRETS.envpw} # fnguard-ignore CSEC-07: dev database\n`,
    });
    const r = await scanProject(dir);
    const sup = r.findings.filter((f) => f.suppressed);
    assert.deepEqual(sup.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`).sort(), [
      'CSEC-04 src/orders.js:2',
      'CSEC-04 src/orders.js:3',
      'CSEC-07 config/app.yml:2',
      'CSEC-07 src/report.py:2',
    ]);
    assert.equal(
      sup.find((f) => f.location.line === 2 && f.location.file === 'src/orders.js')?.suppression?.reason,
      'rotated, kept for the replay tests',
    );
    assert.deepEqual(
      visible(r)
        .map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`)
        .sort(),
      ['CSEC-01 src/orders.js:5', 'SEC-01 serverless.yml:6'],
    );
  });
});

describe('secrets: IaC values are reported once', () => {
  test('an env var secret is SEC-01, a parameter default SEC-06; the same value in code is CSEC', async () => {
    const dir = project({
      'serverless.yml': SLS,
      'src/orders.js': `const pw = process.env.DB_PASSWORD || '${SECRETS.iacpw}';\nexports.get = async () => pw;\n`,
      'src/report.js': 'exports.main = async () => 3;\n',
      'infra/template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
    Default: ${SECRETS.generic}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: { ZipFile: 'exports.handler = async () => 1' }
      Environment:
        Variables:
          API_TOKEN: ${SECRETS.github}
`,
    });
    const r = await scanProject(dir);
    const got = visible(r).map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`);
    assert.deepEqual(got.sort(), [
      'CSEC-07 src/orders.js:1',
      'SEC-01 infra/template.yaml:17',
      'SEC-01 serverless.yml:6',
      'SEC-06 infra/template.yaml:6',
    ]);
  });
});

describe('secrets: severity and ownership', () => {
  test('test and example paths are low; pairs are critical; the owning function and layer are named', async () => {
    const dir = project({
      'serverless.yml': `${SLS}layers:\n  common:\n    path: layers/common\n`,
      'src/orders.js': HANDLER,
      'src/report.js': `const k = '${SECRETS.github}';\nexports.main = async () => k;\n`,
      'src/lib/shared.js': `module.exports = '${SECRETS.stripe}';\n`,
      'test/fixtures/event.js': `module.exports = { token: '${SECRETS.github}' };\n`,
      'layers/common/nodejs/config.js': `module.exports = { db: 'postgres://app:${SECRETS.dbpw}@db.acme.io/app' };\n`,
    });
    const r = await scanProject(dir);
    const by = (file: string, rule: string): Finding | undefined => r.findings.find((f) => f.location.file === file && f.ruleId === rule);
    const fnId = (name: string) => r.functions.find((f) => f.name === name)?.id;
    assert.equal(by('src/orders.js', 'CSEC-01')?.severity, 'critical');
    assert.match(by('src/orders.js', 'CSEC-01')?.message ?? '', /secret access key is on line 3/);
    assert.equal(by('src/orders.js', 'CSEC-02')?.severity, 'critical');
    // src/orders.js is the handler module of getOrder and createOrder: shared, no single function
    assert.equal(by('src/orders.js', 'CSEC-04')?.function, null);
    assert.deepEqual(
      (by('src/orders.js', 'CSEC-04')?.details as { functions?: string[] })?.functions?.sort(),
      [fnId('createOrder'), fnId('getOrder')].sort(),
    );
    assert.equal(by('src/report.js', 'CSEC-04')?.function, fnId('report'));
    assert.equal(by('test/fixtures/event.js', 'CSEC-04')?.severity, 'low');
    const layer = by('layers/common/nodejs/config.js', 'CSEC-05');
    assert.ok(layer?.resource, 'tied to the layer');
    assert.match(layer?.message ?? '', /packaged in layer/);
    // fingerprints do not depend on line numbers
    const moved = project({ 'serverless.yml': SLS, 'src/orders.js': `\n\n${HANDLER}`, 'src/report.js': 'exports.main = async () => 3;\n' });
    const r2 = await scanProject(moved);
    const fp = (res: Result, rule: string) =>
      res.findings.find((f) => f.ruleId === rule && f.location.file === 'src/orders.js')?.fingerprint;
    assert.equal(fp(r2, 'CSEC-04'), fp(r, 'CSEC-04'));
  });

  test('a credential file is reported once as a file (CSEC-08), its secrets by their own rules', async () => {
    const dir = project({
      'serverless.yml': SLS,
      'src/orders.js': 'exports.get = async () => 1;\n',
      '.env': `PORT=3000\nSTRIPE_SECRET_KEY=${SECRETS.stripe}\nDB_PASSWORD=${SECRETS.envpw}\n`,
      '.env.example': `STRIPE_SECRET_KEY=${SECRETS.stripe}\n`,
    });
    const r = await scanProject(dir);
    const files = visible(r, 'CSEC-08');
    assert.equal(files.length, 1);
    assert.equal(files[0]?.location.file, '.env');
    assert.equal(files[0]?.location.line, 2);
    assert.match(files[0]?.message ?? '', /2 credentials/);
    assert.ok(visible(r, 'CSEC-04').some((f) => f.location.file === '.env'));
  });
});
