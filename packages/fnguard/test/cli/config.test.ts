import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config/index.js';

test('config: keys in both spellings, outputs paired, paths resolved against the file', () => {
  const c = parseConfig(
    [
      'format: [text, sarif]',
      'output: [null, out/r.sarif]',
      'fail-on: medium',
      'severity: low',
      'rules: [PERM-*]',
      'skipRule: LOG-01',
      'param: { domain: example.com, n: 3 }',
      'includeDev: true',
      'baseline: ../b.json',
      'no-color: true',
    ].join('\n'),
    '/repo/app/.fnguard.yml',
  );
  assert.deepEqual(c, {
    outputs: [{ format: 'text' }, { format: 'sarif', output: '/repo/app/out/r.sarif' }],
    failOn: 'medium',
    severity: 'low',
    rules: ['PERM-*'],
    skipRules: ['LOG-01'],
    params: { domain: 'example.com', n: '3' },
    includeDev: true,
    baseline: '/repo/b.json',
    noColor: true,
  });
  assert.deepEqual(parseConfig('', '/x/.fnguard.yml'), {});
  assert.deepEqual(parseConfig('# only a comment\n', '/x/.fnguard.yml'), {});
});

test('config errors name the file and line', () => {
  const bad = (text: string, re: RegExp) => {
    assert.throws(
      () => parseConfig(text, '/x/.fnguard.yml'),
      (e: unknown) => e instanceof ConfigError && re.test(e.message),
    );
  };
  bad('fail-on: high\nfial-on: low\n', /\/x\/\.fnguard\.yml:2: unknown option 'fial-on'/);
  bad('quiet: yes please\n', /:1: 'quiet' must be true or false/);
  bad('rules: { a: 1 }\n', /'rules' must be a string or a list/);
  bad('- a\n- b\n', /must be a map/);
  bad('a: [unclosed\n', /\.fnguard\.yml/);
  bad('output: x.json\n', /'output' needs 'format'/);
  bad('a: &x [*x]\n', /\.fnguard\.yml/);
});
