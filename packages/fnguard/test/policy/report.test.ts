/** `fnguard policy` end to end on small projects: JSON shape, formats, missing/excess, partial analyses, CLI. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { run } from '../../src/cli/run.js';
import { runPolicy } from '../../src/policy/report.js';
import { captureIo } from '../helpers/cliIo.js';
import { rmTree, tmpTree } from '../helpers/index.js';

async function runCli(argv: string[]): Promise<{ code: number; stdout: string }> {
  const io = captureIo(process.cwd());
  const code = await run(argv, io);
  return { code, stdout: io.out };
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});

const TEMPLATE = (policies: string, extra = '') => `Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: app.handler
      CodeUri: src/
      Tracing: Active
${extra}      Environment:
        Variables:
          BUCKET: !Ref Data
          FN: !Ref Other
      Policies:
${policies}
  Other:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: other.handler, CodeUri: src/ }
  Data:
    Type: AWS::S3::Bucket
`;
const CODE = `import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
export const handler = async (e) => {
  await new S3Client({}).send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: \`in/\${e.key}\` }));
  await new LambdaClient({}).send(new InvokeCommand({ FunctionName: process.env.FN }));
};
`;

function project(policies: string, extra = ''): string {
  const d = tmpTree({
    'template.yaml': TEMPLATE(policies, extra),
    'src/app.mjs': CODE,
    'src/other.mjs': 'export const handler = async () => 1;\n',
  });
  dirs.push(d);
  return d;
}

describe('fnguard policy', () => {
  test('JSON report: calls, policy, excess, missing, unresolved in the documented shape', async () => {
    const dir = project(`        - Statement:
            - { Effect: Allow, Action: 's3:*', Resource: !Sub '\${Data.Arn}/*' }`);
    const out = await runPolicy({ root: dir, format: 'json', functions: ['Worker'] });
    const r = JSON.parse(out.text) as { functions: Record<string, unknown>[] };
    assert.equal(r.functions.length, 1);
    const f = r.functions[0] as Record<string, never>;
    for (const k of ['function', 'calls', 'policy', 'excess', 'missing', 'unresolved']) assert.ok(k in f, k);
    assert.equal(f.function, 'Worker');
    const calls = f.calls as { action: string; resource: string; file: string; line: number }[];
    assert.ok(
      calls.some((c) => c.action === 's3:GetObject' && c.resource === '${Data.Arn}/in/*' && c.file === 'src/app.mjs' && c.line === 4),
    );
    const missing = f.missing as { action: string; resource: string }[];
    // lambda:InvokeFunction is not granted; X-Ray is added by SAM itself and never reported missing
    assert.deepEqual(
      missing.map((m) => m.action),
      ['lambda:InvokeFunction'],
    );
    assert.equal(missing[0]?.resource, '${Other.Arn}');
    const excess = f.excess as { grant: string; count: number }[];
    assert.ok(excess.some((e) => e.grant === 's3:*' && e.count > 100));
    assert.equal(out.missing, 1);
    const policy = f.policy as { Version: string; Statement: { Action: string | string[] }[] };
    assert.equal(policy.Version, '2012-10-17');
    assert.ok(policy.Statement.some((s) => s.Action === 'lambda:InvokeFunction'));
  });

  test('policy formats render references as intrinsics', async () => {
    const dir = project('        - AWSLambdaBasicExecutionRole');
    const sam = (await runPolicy({ root: dir, format: 'sam', functions: ['Worker'] })).text;
    assert.match(sam, /!Sub "\$\{Data\.Arn\}\/in\/\*"/);
    assert.match(sam, /!GetAtt Other\.Arn/);
    const cfn = (await runPolicy({ root: dir, format: 'cloudformation', functions: ['Worker'] })).text;
    assert.match(cfn, /PolicyDocument:/);
    const sls = (await runPolicy({ root: dir, format: 'serverless', functions: ['Worker'] })).text;
    assert.match(sls, /^statements:\n {2}- Effect: Allow/m);
    const json = (
      await runPolicy({ root: dir, format: 'json', functions: ['Worker'], render: { region: 'eu-west-1', account: '123456789012' } })
    ).text;
    assert.match(json, /arn:aws:logs:eu-west-1:123456789012:log-group:\/aws\/lambda\//);
  });

  test('layers make the analysis partial (extensions act with the role)', async () => {
    const dir = project('        - AWSLambdaBasicExecutionRole', '      Layers: [arn:aws:lambda:us-east-1:123456789012:layer:ext:1]\n');
    const r = JSON.parse((await runPolicy({ root: dir, format: 'json', functions: ['Worker'] })).text) as {
      functions: { status: string; reasons: string[] }[];
    };
    assert.equal(r.functions[0]?.status, 'partial');
    assert.match(r.functions[0]?.reasons.join(' ') ?? '', /layers/);
  });

  test('CLI: --function, unknown names, --fail-on-missing, formats', async () => {
    const dir = project(`        - Statement:
            - { Effect: Allow, Action: 's3:GetObject', Resource: !Sub '\${Data.Arn}/*' }`);
    const ok = await runCli(['policy', dir, '--function', 'Worker', '-f', 'terraform']);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /data "aws_iam_policy_document" "Worker_least_privilege"/);
    const fail = await runCli(['policy', dir, '--function', 'Worker', '--fail-on-missing']);
    assert.equal(fail.code, 1);
    assert.match(fail.stdout, /MISSING: lambda:InvokeFunction/);
    const bad = await runCli(['policy', dir, '--function', 'Nope']);
    assert.equal(bad.code, 2);
    const badFormat = await runCli(['policy', dir, '-f', 'xml']);
    assert.equal(badFormat.code, 2);
  });
});

test('hostile code and templates: every function still gets a report', async () => {
  const dir = tmpTree({
    'template.yaml': TEMPLATE('        - Statement: !If [C, x, y]'),
    'src/app.mjs': `import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\n${'('.repeat(2000)}\nnew GetObjectCommand({ Bucket: { ...x, [k]: 1 }, Key: \`\${\`\${a}\`}\` });`,
    'src/other.mjs': '\u0000\u0001binary',
  });
  dirs.push(dir);
  const r = JSON.parse((await runPolicy({ root: dir, format: 'json', functions: [] })).text) as {
    functions: { function: string; status: string }[];
  };
  assert.deepEqual(r.functions.map((f) => f.function).sort(), ['Other', 'Worker']);
});
