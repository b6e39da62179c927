// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTemplate } from '../../../src/load/cloudformation/index.js';
import { bool, condition, exprOf, list, num, str, type Tpl } from '../../../src/load/cloudformation/intrinsics.js';
import { parseYaml } from '../../../src/load/yaml/index.js';
import { isUnknown, type Unknown } from '../../../src/model/types.js';

const tpl = (extra: Partial<Tpl> = {}): Tpl => {
  const r = parseYaml('a: 1', '/t.yaml');
  return {
    file: '/t.yaml',
    rel: 't.yaml',
    dir: '/',
    format: 'cloudformation',
    pos: r.positions,
    parameters: { Stage: { Type: 'String', Default: 'dev' } },
    mappings: { M: { dev: { size: 256, name: 'small' } } },
    conditions: {},
    resources: {},
    diag: () => {},
    ...extra,
  };
};
const u = (v: unknown): Pick<Unknown, 'expr' | 'hint' | 'target'> => {
  assert.ok(isUnknown(v), `expected Unknown, got ${JSON.stringify(v)}`);
  return { expr: v.expr, hint: v.hint, ...(v.target ? { target: v.target } : {}) };
};

describe('CloudFormation intrinsics', () => {
  const t = tpl();
  it('keeps literals and stringifies scalars', () => {
    assert.equal(str(t, 'x'), 'x');
    assert.equal(str(t, 5), '5');
    assert.equal(str(t, true), 'true');
    assert.equal(str(t, undefined), undefined);
    assert.equal(str(t, { Ref: 'AWS::NoValue' }), undefined);
    assert.equal(num(t, '30'), 30);
    assert.equal(bool(t, 'false'), false);
    assert.deepEqual(list(t, ['a', { Ref: 'AWS::NoValue' }, 'b']), ['a', 'b']);
    assert.deepEqual(list(t, 'single'), ['single']);
  });

  it('keeps references Unknown with hints', () => {
    assert.deepEqual(u(str(t, { Ref: 'Stage' })), { expr: '!Ref Stage', hint: 'parameter', target: 'Stage' });
    assert.deepEqual(u(str(t, { Ref: 'Queue' })), { expr: '!Ref Queue', hint: 'ref', target: 'Queue' });
    assert.deepEqual(u(str(t, { Ref: 'AWS::Region' })), { expr: '!Ref AWS::Region', hint: 'other' });
    assert.deepEqual(u(str(t, { 'Fn::GetAtt': 'Role.Arn' })), { expr: '!GetAtt Role.Arn', hint: 'ref', target: 'Role' });
    assert.deepEqual(u(str(t, { 'Fn::ImportValue': 'shared-vpc' })), { expr: '!ImportValue shared-vpc', hint: 'ref' });
    assert.deepEqual(u(str(t, { 'Fn::Foo': [1] })), { expr: '!Foo [1]', hint: 'other' });
  });

  it('computes Sub, Join, Select, Split, FindInMap and If when static', () => {
    assert.equal(str(t, { 'Fn::Sub': 'plain' }), 'plain');
    assert.equal(str(t, { 'Fn::Sub': 'cost-${!Literal}' }), 'cost-${Literal}');
    assert.equal(str(t, { 'Fn::Sub': ['${A}-${B}', { A: 'x', B: { 'Fn::Join': ['', ['y', 'z']] } }] }), 'x-yz');
    assert.deepEqual(u(str(t, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b' })), {
      expr: '!Sub arn:${AWS::Partition}:s3:::b',
      hint: 'other',
    });
    assert.deepEqual(u(str(t, { 'Fn::Sub': '${Stage}-x' })), { expr: '!Sub ${Stage}-x', hint: 'parameter', target: 'Stage' });
    assert.deepEqual(u(str(t, { 'Fn::Sub': '${Bucket.Arn}/*' })), { expr: '!Sub ${Bucket.Arn}/*', hint: 'ref', target: 'Bucket' });
    assert.equal(str(t, { 'Fn::Join': [',', ['a', 1, true]] }), 'a,1,true');
    assert.deepEqual(u(str(t, { 'Fn::Join': [',', ['a', { Ref: 'Stage' }]] })).hint, 'parameter');
    assert.equal(str(t, { 'Fn::Select': [1, ['a', 'b']] }), 'b');
    assert.equal(str(t, { 'Fn::Select': ['0', { 'Fn::Split': [',', 'x,y'] }] }), 'x');
    assert.ok(isUnknown(str(t, { 'Fn::Select': [5, ['a']] })));
    assert.deepEqual(list(t, { 'Fn::Split': [',', 'a,b,c'] }), ['a', 'b', 'c']);
    assert.equal(num(t, { 'Fn::FindInMap': ['M', 'dev', 'size'] }), 256);
    assert.ok(isUnknown(str(t, { 'Fn::FindInMap': ['M', 'prod', 'size'] })));
    assert.ok(isUnknown(str(t, { 'Fn::FindInMap': ['M', { Ref: 'Stage' }, 'size'] })));
    assert.equal(str(t, { 'Fn::If': ['C', 'same', 'same'] }), 'same');
    assert.ok(isUnknown(str(t, { 'Fn::If': ['C', 'a', 'b'] })));
  });

  it('marks dynamic references', () => {
    assert.deepEqual(u(str(t, '{{resolve:secretsmanager:db:SecretString:pw}}')).hint, 'secret-reference');
    assert.deepEqual(u(str(t, 'x-{{resolve:ssm-secure:/p}}')).hint, 'secret-reference');
    assert.deepEqual(u(str(t, '{{resolve:ssm:/plain}}')).hint, 'other');
    assert.deepEqual(u(str(t, { 'Fn::Sub': '{{resolve:secretsmanager:${Name}}}' })).hint, 'secret-reference');
    assert.deepEqual(u(str(t, { 'Fn::Sub': '{{resolve:secretsmanager:${Stage}:SecretString:username}}' })).hint, 'secret-reference');
  });

  it('bounds deep intrinsic nesting', () => {
    let v: unknown = 'x';
    for (let i = 0; i < 200; i++) v = { 'Fn::Join': ['', [v]] };
    assert.ok(isUnknown(str(t, v)));
    assert.equal(exprOf(v).length < 5000, true);
  });

  it('merges Globals.Function.Layers before the function layers', () => {
    const r = parseYaml(
      'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Layers: [arn:aws:lambda:us-east-1:1:layer:g:1]\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n      Layers: [arn:aws:lambda:us-east-1:1:layer:f:1]\n',
      '/p/t.yaml',
    );
    const part = loadTemplate(r.value, r.positions, () => {}, { file: '/p/t.yaml', root: '/p' });
    assert.deepEqual(
      part.functions?.[0]?.layers.map((l) => [l.arn, l.where.line, l.where.path]),
      [
        ['arn:aws:lambda:us-east-1:1:layer:g:1', 4, 'Globals.Function.Layers[0]'],
        ['arn:aws:lambda:us-east-1:1:layer:f:1', 10, 'Resources.F.Properties.Layers[0]'],
      ],
    );
  });
});

describe('SAM Policies referencing a customer-managed policy of the template', () => {
  it('expands its document into the generated role', () => {
    const r = parseYaml(
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Shared:',
        '    Type: AWS::IAM::ManagedPolicy',
        '    Properties:',
        '      PolicyDocument:',
        '        Statement: [{ Effect: Allow, Action: "secretsmanager:GetSecretValue", Resource: "*" }]',
        '  F:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      InlineCode: x',
        '      Policies: [!Ref Shared]',
      ].join('\n'),
      '/p/t.yaml',
    );
    const part = loadTemplate(r.value, r.positions, () => {}, { file: '/p/t.yaml', root: '/p' });
    const role = part.identities?.find((i) => i.id === part.functions?.[0]?.identity);
    assert.deepEqual(
      role?.managedPolicies.map((m) => [m.name, m.awsManaged]),
      [
        ['AWSLambdaBasicExecutionRole', true],
        ['Shared', false],
      ],
    );
    const st = role?.statements.find((s) => s.origin?.kind === 'customer-managed');
    assert.deepEqual([st?.actions, st?.resources, st?.where.line], [['secretsmanager:GetSecretValue'], ['*'], 7]);
  });
});

describe('template-level transforms', () => {
  it('reports Fn::ForEach / Fn::Transform entries in Resources as not expanded', () => {
    const r = parseYaml(
      'Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Topics:\n    - T\n    - [a, b]\n    - Topic${T}: { Type: AWS::SNS::Topic }\n  Q:\n    Type: AWS::SQS::Queue\n',
      '/p/t.yaml',
    );
    const diags: { code?: string; line?: number }[] = [];
    const part = loadTemplate(r.value, r.positions, (d) => diags.push(d), { file: '/p/t.yaml', root: '/p' });
    assert.deepEqual(
      diags.map((d) => [d.code, d.line]),
      [['unsupported-transform', 3]],
    );
    assert.deepEqual(
      part.resources?.map((x) => x.id),
      ['Q'],
    );
  });
});

describe('Conditions', () => {
  const yaml = [
    'Parameters:',
    '  Stage: { Type: String, Default: prod }',
    'Mappings:',
    '  Cfg: { us: { debug: "false" } }',
    'Conditions:',
    '  IsProd: !Equals [!Ref Stage, prod]',
    '  Debug: !Equals [!FindInMap [Cfg, us, debug], "true"]',
    '  NoDebug: !Not [!Condition Debug]',
    '  Both: !And [!Condition NoDebug, !Condition IsProd]',
    '  Either: !Or [!Condition NoDebug, !Condition IsProd]',
    '  Loop: !Not [!Condition Loop]',
    'Resources:',
    '  DebugFn:',
    '    Type: AWS::Lambda::Function',
    '    Condition: Debug',
    '    Properties: { Runtime: nodejs22.x, Handler: i.h, Role: arn:aws:iam::1:role/r, Code: { ZipFile: x } }',
    '  Fn:',
    '    Type: AWS::Lambda::Function',
    '    Properties:',
    '      Runtime: nodejs22.x',
    '      Handler: i.h',
    '      Role: !GetAtt R.Arn',
    '      Code: { ZipFile: x }',
    '      Timeout: !If [NoDebug, 10, 900]',
    '      MemorySize: !If [IsProd, 1024, 128]',
    '  R:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      Policies:',
    '        - PolicyName: p',
    '          PolicyDocument:',
    '            Statement:',
    '              - !If [Debug, { Effect: Allow, Action: "*", Resource: "*" }, !Ref AWS::NoValue]',
    '              - !If [IsProd, { Effect: Allow, Action: "s3:GetObject", Resource: "*" }, !Ref AWS::NoValue]',
  ].join('\n');

  it('decides conditions the template alone decides and keeps parameter-dependent ones Unknown', () => {
    const r = parseYaml(yaml, '/p/t.yaml');
    const diags: { code?: string }[] = [];
    const part = loadTemplate(r.value, r.positions, (d) => diags.push(d), { file: '/p/t.yaml', root: '/p' });
    assert.deepEqual(
      part.functions?.map((f) => f.name),
      ['Fn'],
      'DebugFn has a false condition',
    );
    assert.deepEqual(
      diags.map((d) => d.code),
      ['condition-false'],
    );
    const fn = part.functions?.[0];
    assert.equal(fn?.timeout, 10, 'NoDebug is true');
    assert.ok(isUnknown(fn?.memory), 'IsProd depends on a parameter');
    const role = part.identities?.[0];
    assert.deepEqual(
      role?.statements.map((s) => s.actions),
      [['s3:GetObject']],
      'the Debug-only admin statement is dropped, the IsProd one kept',
    );
  });

  it('evaluates And/Or/Not and survives self-referencing conditions', () => {
    const r = parseYaml(yaml, '/p/t.yaml');
    const doc = r.value as { Conditions: Record<string, unknown>; Parameters: Record<string, unknown>; Mappings: Record<string, unknown> };
    const t = tpl({ conditions: doc.Conditions, parameters: doc.Parameters, mappings: doc.Mappings });
    assert.deepEqual(
      ['IsProd', 'Debug', 'NoDebug', 'Both', 'Either', 'Loop', 'Missing'].map((c) => condition(t, c)),
      [undefined, false, true, undefined, true, undefined, undefined],
    );
  });
});
