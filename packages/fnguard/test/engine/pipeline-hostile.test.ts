/**
 * The real pipeline (every registered adapter and rule) on hostile projects: the scan must finish
 * and report problems as diagnostics naming the file (and line where there is one).
 */
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { scan } from '../../src/scan.js';
import { FIXED_NOW, rmTree, tmpTree } from '../helpers/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});

test('hostile project: binary, huge, malformed, alias bomb, deep nesting, symlink loop', { timeout: 60_000 }, async () => {
  const bomb = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  A: &a ["x","x","x","x","x","x","x","x","x","x"]',
    '  B: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    '  C: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    '  D: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    '  E: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    '  F: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  ].join('\n');
  const root = tmpTree({
    'bin/serverless.yml': new Uint8Array([0x73, 0x65, 0x00, 0x01, 0x02]),
    'huge/template.yaml': `AWSTemplateFormatVersion: "2010-09-09"\n${'#'.repeat(6 * 1024 * 1024)}\n`,
    'bad/template.yaml':
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {\n      Handler: [unclosed\n',
    'bomb/template.yaml': bomb,
    'deep/template.json': `{"AWSTemplateFormatVersion":"2010-09-09","Resources":${'['.repeat(20000)}${']'.repeat(20000)}}`,
    'ok/serverless.yml': 'service: ok\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  a:\n    handler: a.handler\n',
  });
  dirs.push(root);
  symlinkSync(root, join(root, 'ok', 'loop'));
  const r = await scan({ root, now: FIXED_NOW });
  const files = new Set(r.diagnostics.map((d) => d.file));
  assert.ok(files.has('bin/serverless.yml'), 'binary file reported');
  assert.ok(files.has('huge/template.yaml'), 'huge file reported');
  assert.ok(files.has('bad/template.yaml'), 'malformed YAML reported');
  assert.ok(files.has('ok/loop'), 'symlink loop reported');
  const bad = r.diagnostics.find((d) => d.file === 'bad/template.yaml');
  assert.ok((bad?.line ?? 0) >= 1, 'malformed YAML diagnostic has a line');
  assert.ok(
    r.diagnostics.every((d) => typeof d.file === 'string' && !d.file.startsWith('/')),
    'diagnostic paths are relative',
  );
  assert.equal(r.schemaVersion, 1);
});
