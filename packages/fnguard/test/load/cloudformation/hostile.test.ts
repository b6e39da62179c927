// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${}` syntax in plain strings
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { cloudformationAdapter, detectFormat, loadCloudFormationFile, loadTemplate } from '../../../src/load/cloudformation/index.js';
import { PositionMap } from '../../../src/load/yaml/positions.js';
import type { Diagnostic } from '../../../src/model/types.js';
import { ctxFor, FIXTURES, file, load } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'fnguard-cfn-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function loadText(name: string, text: string) {
  writeFileSync(join(tmp, name), text);
  const diagnostics: Diagnostic[] = [];
  const app = await loadCloudFormationFile(file(tmp, name), ctxFor(tmp, diagnostics));
  return { app, diagnostics };
}

describe('cloudformation adapter: hostile input', () => {
  it('reports malformed YAML and JSON with file and line', async () => {
    const y = await load('bad/malformed.yaml');
    assert.equal(y.app.functions?.length, 0);
    const ye = y.diagnostics.find((d) => d.level === 'error');
    assert.equal(ye?.file, join(FIXTURES, 'bad/malformed.yaml'));
    assert.ok((ye?.line ?? 0) >= 2);
    const j = await load('bad/malformed.json');
    const je = j.diagnostics.find((d) => d.level === 'error');
    assert.deepEqual([je?.code, je?.line], ['json-parse', 3]);
  });

  it('survives wrong types, unknown intrinsics and circular references with diagnostics', async () => {
    const { app, diagnostics } = await load('bad/wrongtypes.yaml');
    const codes = diagnostics.map((d) => `${d.code}@${d.line}`);
    assert.ok(codes.includes('invalid-template@1'), codes.join(' '));
    assert.ok(codes.includes('invalid-resource@3'), 'no Type');
    assert.ok(codes.includes('invalid-resource@7'), 'Properties: 5');
    assert.ok(codes.includes('invalid-resource@8'), 'not a mapping');
    assert.ok(codes.includes('unknown-policy-template@20'), codes.join(' '));
    assert.ok(codes.includes('invalid-property@17'), 'event without Type');
    assert.ok(codes.includes('unsupported-event@18'));
    for (const d of diagnostics) assert.equal(d.file, join(FIXTURES, 'bad/wrongtypes.yaml'));
    const weird = app.functions?.find((f) => f.name === 'WeirdFn');
    assert.ok(weird);
    assert.equal((weird.runtime as { expr: string }).expr, '!Foo [1, 2]');
    assert.equal(typeof weird.timeout, 'object', 'a list timeout is Unknown, not a number');
    assert.deepEqual(weird.env, []);
    // circular API Gateway resource parents do not hang; the method still links
    assert.equal(weird.triggers.filter((t) => t.kind === 'rest-api' && t.resourceId === 'M').length, 1);
    const bad = app.functions?.find((f) => f.name === 'BadProps');
    assert.ok(bad, 'a function with bad Properties still exists');
  });

  it('treats Resources: [] and a non-mapping document as diagnostics', async () => {
    const { app, diagnostics } = await load('bad/list.yaml');
    assert.equal(app.functions?.length, 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.line]),
      [['invalid-template', 1]],
    );
    const s = await loadText('scalar.yaml', 'just a string\n');
    assert.equal(s.diagnostics[0]?.code, 'invalid-template');
  });

  it('stops alias bombs and deep nesting', async () => {
    let bomb = 'Resources:\n  a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
    let prev = 'a';
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g']) {
      bomb += `  ${n}: &${n} [${Array(10).fill(`*${prev}`).join(',')}]\n`;
      prev = n;
    }
    const started = Date.now();
    const b = await loadText('bomb.yaml', bomb);
    assert.ok(Date.now() - started < 2000);
    assert.equal(b.diagnostics[0]?.code, 'alias-bomb');
    const d = await loadText('deep.json', `{"Resources": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
    assert.equal(d.diagnostics[0]?.code, 'too-deep');
  });

  it('loads a huge generated template quickly', async () => {
    const res: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++)
      res[`F${i}`] = {
        Type: 'AWS::Lambda::Function',
        Properties: { Runtime: 'nodejs20.x', Handler: 'i.h', Role: { 'Fn::GetAtt': ['R', 'Arn'] } },
      };
    res.R = { Type: 'AWS::IAM::Role', Properties: {} };
    const { app } = await loadText('huge.json', JSON.stringify({ Resources: res }));
    assert.equal(app.functions?.length, 2000);
    assert.equal(app.identities?.[0]?.usedBy.length, 2000);
  });

  it('never throws on random template-shaped documents (fuzz)', () => {
    const intrinsic = fc.oneof(
      fc.record({ Ref: fc.constantFrom('P', 'AWS::NoValue', 'R0', 'X', 'AWS::Region') }),
      fc.record({ 'Fn::GetAtt': fc.oneof(fc.tuple(fc.constantFrom('R0', 'R1', 'Q'), fc.constant('Arn')), fc.string()) }),
      fc.record({
        'Fn::Sub': fc.oneof(fc.constantFrom('${R0.Arn}', 'arn:${AWS::Partition}:x', '${!x}', '{{resolve:ssm-secure:x}}'), fc.anything()),
      }),
      fc.record({ 'Fn::If': fc.array(fc.anything(), { maxLength: 4 }) }),
      fc.record({ 'Fn::Join': fc.anything() }),
      fc.record({ 'Fn::FindInMap': fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }) }),
      fc.record({ 'Fn::Select': fc.anything() }),
      fc.record({ 'Fn::Foo': fc.anything() }),
    );
    const value = fc.oneof(fc.anything({ maxDepth: 3 }), intrinsic, fc.array(intrinsic, { maxLength: 3 }));
    const types = fc.constantFrom(
      'AWS::Lambda::Function',
      'AWS::Serverless::Function',
      'AWS::Serverless::Api',
      'AWS::Serverless::HttpApi',
      'AWS::IAM::Role',
      'AWS::IAM::Policy',
      'AWS::IAM::ManagedPolicy',
      'AWS::Lambda::Permission',
      'AWS::Lambda::Url',
      'AWS::Lambda::EventSourceMapping',
      'AWS::Lambda::EventInvokeConfig',
      'AWS::Lambda::LayerVersionPermission',
      'AWS::ApiGateway::Method',
      'AWS::ApiGateway::Resource',
      'AWS::ApiGateway::Stage',
      'AWS::ApiGatewayV2::Route',
      'AWS::ApiGatewayV2::Integration',
      'AWS::WAFv2::WebACLAssociation',
      'AWS::SQS::QueuePolicy',
      'AWS::S3::Bucket',
      'AWS::Events::Rule',
      'AWS::Logs::LogGroup',
      'AWS::CloudWatch::Alarm',
      'Custom::Thing',
    );
    const props = fc.dictionary(
      fc.constantFrom(
        'FunctionName',
        'Role',
        'Runtime',
        'Policies',
        'Events',
        'Environment',
        'Auth',
        'Integration',
        'Target',
        'Roles',
        'PolicyDocument',
        'Layers',
        'Code',
        'CodeUri',
        'ResourceId',
        'ParentId',
        'RestApiId',
        'ApiId',
        'Targets',
        'LogGroupName',
        'ResourceArn',
        'Queues',
        'Dimensions',
        'FunctionUrlConfig',
        'VpcConfig',
        'Tags',
      ),
      value,
      { maxKeys: 6 },
    );
    const resource = fc.oneof(
      fc.record({ Type: types, Properties: fc.oneof(props, value), Metadata: fc.anything({ maxDepth: 2 }) }, { requiredKeys: ['Type'] }),
      fc.anything({ maxDepth: 2 }),
    );
    const template = fc.record(
      {
        Transform: fc.constantFrom('AWS::Serverless-2016-10-31', 'x'),
        Parameters: fc.oneof(fc.dictionary(fc.constantFrom('P', 'Q'), fc.anything({ maxDepth: 2 })), fc.anything({ maxDepth: 1 })),
        Mappings: fc.anything({ maxDepth: 3 }),
        Globals: fc.oneof(fc.record({ Function: props, Api: props }), fc.anything({ maxDepth: 2 })),
        Resources: fc.oneof(
          fc.dictionary(fc.constantFrom('R0', 'R1', 'Q', 'X', 'F'), resource, { maxKeys: 5 }),
          fc.anything({ maxDepth: 2 }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(template, fc.anything()), (doc) => {
        const diags: Diagnostic[] = [];
        const part = loadTemplate(doc, new PositionMap('/t.yaml'), (d) => diags.push(d), { file: '/t.yaml', root: '/' });
        for (const f of part.functions ?? []) assert.equal(typeof f.id, 'string');
        for (const d of diags) assert.equal(d.file, '/t.yaml');
        JSON.stringify(part);
      }),
      { numRuns: 600 },
    );
  });

  it('never throws on random text files (fuzz)', async () => {
    const ctx = ctxFor(tmp, []);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom('a.yaml', 'a.json'), async (text, name) => {
        writeFileSync(join(tmp, name), `Resources:\n${text}`);
        await loadCloudFormationFile(file(tmp, name), ctx);
      }),
      { numRuns: 150 },
    );
  });
});

describe('cloudformation adapter: format detection', () => {
  it('detects sam, cdk and cloudformation', () => {
    assert.equal(detectFormat({ Transform: 'AWS::Serverless-2016-10-31', Resources: {} }, {}), 'sam');
    assert.equal(detectFormat({ Transform: ['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31'] }, {}), 'sam');
    assert.equal(detectFormat({ Resources: { A: { Type: 'AWS::SQS::Queue', Metadata: { 'aws:cdk:path': 'S/A' } } } }, {}), 'cdk');
    assert.equal(detectFormat({ Resources: {} }, { cdk: true }), 'cdk');
    assert.equal(detectFormat({ Resources: { A: { Type: 'AWS::SQS::Queue' } } }, {}), 'cloudformation');
    assert.equal(detectFormat({}, { format: 'serverless' }), 'serverless');
  });

  it('adapter id and selection', () => {
    assert.equal(cloudformationAdapter.id, 'cloudformation');
    assert.equal(cloudformationAdapter.select([{ ...file(FIXTURES, 'x.yaml'), kind: 'code' }]).length, 0);
  });
});
