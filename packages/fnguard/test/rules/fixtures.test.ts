/**
 * The table-driven rule fixture tester: every `test/fixtures/rules/<RULE-ID>/{fail,pass}/<case>/`
 * is scanned with only that rule enabled. `fail` cases must produce at least one finding of the
 * rule, `pass` cases none; an `expected.json` pins exact `{ ruleId, line }` pairs. Every result must
 * also follow the JSON contract (test/engine/result.schema.json).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import type { Finding, Result } from '../../src/engine/types.js';
import { ruleById } from '../../src/rules/index.js';
import { checkCase, listFixtureCases, scanCase } from '../helpers/ruleFixtures.js';

const all = listFixtureCases();
const validateResult = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(new URL('../engine/result.schema.json', import.meta.url), 'utf8')),
);

for (const [ruleId, cases] of all) {
  describe(`rule ${ruleId}`, () => {
    test('is a registered rule', () => {
      assert.ok(ruleById(ruleId), `fixtures exist for ${ruleId} but no rule with that id is registered in src/rules/index.ts`);
    });
    if (!ruleById(ruleId)) return;
    for (const c of cases) {
      test(`${c.kind}/${c.name}`, async () => {
        const result = await scanCase(c);
        const problem = checkCase(c, result);
        assert.equal(problem, undefined, problem);
        assert.ok(
          validateResult(JSON.parse(JSON.stringify(result))),
          `result breaks the JSON contract: ${JSON.stringify(validateResult.errors?.slice(0, 3))}`,
        );
        const fnIds = new Set(result.functions.map((f) => f.id));
        for (const f of result.findings)
          if (f.function) assert.ok(fnIds.has(f.function), `finding ${f.ruleId} names function ${f.function}, which is not in the result`);
      });
    }
  });
}

describe('the fixture tester itself', () => {
  const finding = (ruleId: string, line: number, suppressed = false) =>
    ({ ruleId, location: { file: 'x.yml', line, column: 1 }, message: 'm', suppressed }) as unknown as Finding;
  const result = (findings: Finding[], functions = 1, diagnostics: { level: string; file: string; message: string }[] = []) =>
    ({ findings, diagnostics, summary: { functions } }) as unknown as Result;
  const base = { ruleId: 'EXPO-01', name: 'c', dir: '/nowhere' };

  test('a fail case without a finding of the rule is reported', () => {
    assert.match(checkCase({ ...base, kind: 'fail' }, result([])) ?? '', /expected at least one finding/);
    assert.match(checkCase({ ...base, kind: 'fail' }, result([finding('PERM-01', 3)])) ?? '', /expected at least one finding/);
    assert.match(checkCase({ ...base, kind: 'fail' }, result([finding('EXPO-01', 3, true)])) ?? '', /expected at least one finding/);
    assert.equal(checkCase({ ...base, kind: 'fail' }, result([finding('EXPO-01', 3)])), undefined);
  });

  test('a pass case with a finding of the rule is reported', () => {
    assert.match(checkCase({ ...base, kind: 'pass' }, result([finding('EXPO-01', 3)])) ?? '', /expected no finding/);
    assert.equal(checkCase({ ...base, kind: 'pass' }, result([finding('PERM-01', 3)])), undefined);
  });

  test('a vacuous pass case is reported: nothing loaded, or error diagnostics', () => {
    assert.match(checkCase({ ...base, kind: 'pass' }, result([], 0)) ?? '', /nothing was loaded/);
    assert.equal(checkCase({ ...base, kind: 'pass', allowEmpty: true }, result([], 0)), undefined);
    assert.match(
      checkCase({ ...base, kind: 'pass' }, result([], 1, [{ level: 'error', file: 'serverless.yml', message: 'yaml-parse' }])) ?? '',
      /error diagnostics/,
    );
  });

  test('expected.json pins exact lines', () => {
    const c = { ...base, kind: 'fail' as const, expected: [{ ruleId: 'EXPO-01', line: 3 }] };
    assert.equal(checkCase(c, result([finding('EXPO-01', 3)])), undefined);
    assert.match(checkCase(c, result([finding('EXPO-01', 4)])) ?? '', /expected EXPO-01@3, got EXPO-01@4/);
    assert.match(checkCase(c, result([finding('EXPO-01', 3), finding('EXPO-01', 9)])) ?? '', /got EXPO-01@3, EXPO-01@9/);
  });
});
