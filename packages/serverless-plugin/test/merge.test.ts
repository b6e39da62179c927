/**
 * The plugin's pure parts: which compiled-template findings are new (not already reported for
 * the sources), and the merged result its reports are written from. Real scans of a real
 * service and its compiled template (the Framework run is in plugin.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scan } from 'fnguard';
import { mergeResults, newInCompiled } from '../src/index.js';

const SERVICE = 'service: s\nprovider:\n  name: aws\n  runtime: nodejs22.x\nfunctions:\n  api:\n    handler: a.h\n    url: true\n';
/** What the Framework compiles it to, plus a resource another plugin added (a bucket without encryption settings). */
const COMPILED = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    ApiLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs22.x',
        Handler: 'a.h',
        FunctionName: 's-dev-api',
        Role: 'arn:aws:iam::123456789012:role/r',
        Code: { S3Bucket: 'b', S3Key: 'k' },
      },
    },
    ApiLambdaFunctionUrl: {
      Type: 'AWS::Lambda::Url',
      Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': ['ApiLambdaFunction', 'Arn'] } },
    },
    ExtraLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs22.x', Handler: 'x.h', Role: 'arn:aws:iam::123456789012:role/r', Code: { S3Bucket: 'b', S3Key: 'k' } },
    },
    ExtraLambdaFunctionUrl: {
      Type: 'AWS::Lambda::Url',
      Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': ['ExtraLambdaFunction', 'Arn'] } },
    },
  },
};

test('compiled findings already reported for the sources are not repeated; new ones are kept and merged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fnguard-sls-merge-'));
  try {
    writeFileSync(join(dir, 'serverless.yml'), SERVICE);
    const compiledDir = join(dir, '.serverless');
    mkdirSync(compiledDir);
    writeFileSync(join(compiledDir, 'cloudformation-template-update-stack.json'), JSON.stringify(COMPILED, null, 2));
    const source = await scan({ root: dir, rules: ['EXPO-01'] });
    const compiled = await scan({ root: join(compiledDir, 'cloudformation-template-update-stack.json'), rules: ['EXPO-01'] });
    assert.equal(source.findings.length, 1);
    assert.equal(compiled.findings.length, 2);
    const fresh = newInCompiled(source, compiled, {
      getLambdaLogicalId: (n) => `${n[0]?.toUpperCase()}${n.slice(1)}LambdaFunction`,
      getRoleLogicalId: () => 'IamRoleLambdaExecution',
    });
    assert.deepEqual(
      fresh.map((f) => f.function?.replace(/^.*#/, '')),
      ['ExtraLambdaFunction'],
    );
    // without the Framework's naming object the default naming gives the same answer
    assert.equal(newInCompiled(source, compiled).length, 1);
    const merged = mergeResults(source, fresh, compiled);
    assert.equal(merged.findings.length, 2);
    assert.equal(merged.summary.findings, 2);
    assert.equal(merged.summary.bySeverity.high, source.summary.bySeverity.high + 1);
    assert.deepEqual(merged.summary.compiledTemplate, { findings: 2, new: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
