import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRules } from '../src/engine/runRules.js';
import { emptyApp, isKnown, isUnknown, unknown } from '../src/model/types.js';
import { defineRule } from '../src/rules/defineRule.js';

test('Unknown values are explicit and recognised', () => {
  const u = unknown('!Ref DbPassword', { hint: 'ref', target: 'DbPassword' });
  assert.equal(isUnknown(u), true);
  assert.equal(isKnown(u), false);
  assert.equal(isKnown('x'), true);
  assert.equal(isKnown(undefined), false);
  assert.equal(isUnknown({ kind: 'unknown' }), false);
});

test('runRules collects reports with the function location by default', () => {
  const app = emptyApp('/p');
  const where = { file: '/p/serverless.yml', line: 3, column: 5 };
  app.functions.push({
    id: 'serverless:serverless.yml#a',
    name: 'a',
    provider: 'aws',
    format: 'serverless',
    env: [],
    layers: [],
    triggers: [],
    permissions: [],
    where,
  });
  const rule = defineRule({
    meta: {
      id: 'CFG-99',
      title: 't',
      severity: 'low',
      category: 'insecure-config',
      cwe: ['CWE-1'],
      sas: 'SAS-3',
      description: 'd',
      remediation: { general: 'g' },
      formats: ['serverless'],
    },
    check(ctx) {
      for (const fn of ctx.app.functions) ctx.report({ fn, message: `fn ${fn.name}` });
    },
  });
  const found = runRules(app, [rule], { options: { root: '/p', now: new Date('2026-11-23') } });
  assert.equal(found.length, 1);
  assert.deepEqual(found[0]?.where, where);
  assert.equal(found[0]?.severity, 'low');
  assert.throws(() => defineRule({ ...rule, meta: { ...rule.meta, id: 'bad' } }));
});
