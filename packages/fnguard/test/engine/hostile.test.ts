import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { parseBaseline } from '../../src/engine/baseline.js';
import { parseIgnoreFileYaml, parseInlineSuppression } from '../../src/engine/suppress.js';

const bomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
].join('\n');

test('ignore file: alias bombs and arbitrary text become diagnostics, never exceptions', () => {
  const r = parseIgnoreFileYaml(
    `- rule: SEC-01\n  reason: ok\n  path: &p [${'"x",'.repeat(9)}"x"]\n- rule: X-01\n  reason: [*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p,*p]\n`,
    '/x/.fnguardignore.yml',
  );
  assert.ok(Array.isArray(r.entries));
  const exploded = parseIgnoreFileYaml(`ignore:\n  - rule: A-01\n    reason: r\n${bomb}\n`, '/x/i.yml');
  assert.equal(exploded.entries.length, 0);
  assert.equal(exploded.diagnostics[0]?.code, 'ignore-file');
  const top = parseIgnoreFileYaml(`ignore:\n  - rule: A-01\n    reason: r\n${bomb.replace(/^/gm, '# ')}`, '/x/i.yml');
  assert.equal(top.entries.length, 1);
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      const p = parseIgnoreFileYaml(text, '/x/i.yml');
      assert.ok(Array.isArray(p.entries) && Array.isArray(p.diagnostics));
    }),
    { numRuns: 500 },
  );
});

test('config: alias bombs and arbitrary text are ConfigErrors, never other exceptions', () => {
  assert.throws(() => parseConfig(`${bomb}\n`, '/x/.fnguard.yml'), ConfigError);
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      try {
        parseConfig(text, '/x/.fnguard.yml');
      } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
      }
    }),
    { numRuns: 500 },
  );
});

test('inline suppression parser', () => {
  assert.deepEqual(parseInlineSuppression('  # fnguard-ignore EXPO-01: public on purpose'), {
    rules: ['EXPO-01'],
    reason: 'public on purpose',
  });
  assert.deepEqual(parseInlineSuppression('x = 1 // fnguard-ignore inj-01, SEC-*'), { rules: ['INJ-01', 'SEC-*'] });
  assert.deepEqual(parseInlineSuppression('/* fnguard-ignore PERM-01: legacy */'), { rules: ['PERM-01'], reason: 'legacy' });
  assert.equal(parseInlineSuppression('const s = "fnguard-ignore EXPO-01"'), undefined, 'not in a comment');
  assert.equal(parseInlineSuppression('# fnguard-ignore'), undefined);
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (line) => void parseInlineSuppression(`# fnguard-ignore ${line}`)));
});

test('baseline parser accepts our format, a list, an earlier result; rejects junk', () => {
  assert.deepEqual(parseBaseline('["a","b"]'), [{ fingerprint: 'a' }, { fingerprint: 'b' }]);
  assert.deepEqual(parseBaseline('{"findings":[{"fingerprint":"a","ruleId":"X-01","line":3}]}'), [{ fingerprint: 'a', ruleId: 'X-01' }]);
  assert.throws(() => parseBaseline('42'));
  assert.throws(() => parseBaseline('{not json'));
  assert.deepEqual(parseBaseline('{"findings":[1,null,{"x":1}]}'), []);
});
