/**
 * Meta-tests over every registered rule: id, metadata against the contract, one file per rule
 * named after its id, an up-to-date docs page, and fixtures that must fire and must not.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CATEGORIES, SEVERITIES } from '../../src/engine/types.js';
import { renderRuleDoc } from '../../src/report/ruleDoc.js';
import { isValidRuleId } from '../../src/rules/defineRule.js';
import { allRules } from '../../src/rules/index.js';
import { PKG_DIR, REPO_DIR, RULE_FIXTURES_DIR } from '../helpers/index.js';

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const ruleFiles = walk(join(PKG_DIR, 'src', 'rules')).filter((f) => /\/[A-Z]+-\d{2}\.ts$/.test(f));

const IAC_FORMATS = new Set(['serverless', 'cloudformation', 'sam', 'cdk', 'terraform']);
const RULE_FORMATS = new Set([...IAC_FORMATS, 'code', 'any', 'lockfile']);

function caseNames(ruleId: string, kind: 'fail' | 'pass'): string[] {
  const d = join(RULE_FIXTURES_DIR, ruleId, kind);
  if (!existsSync(d)) return [];
  return readdirSync(d).filter((n) => statSync(join(d, n)).isDirectory());
}

function caseCount(ruleId: string, kind: 'fail' | 'pass'): number {
  return caseNames(ruleId, kind).length;
}

test('rule ids are unique', () => {
  const ids = allRules.map((r) => r.meta.id);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(dupes, []);
});

for (const rule of allRules) {
  const m = rule.meta;
  describe(`rule ${m.id}`, () => {
    test('metadata follows the contract', () => {
      assert.ok(isValidRuleId(m.id), `invalid id ${m.id}`);
      assert.ok(m.title.trim().length > 0 && m.title.length <= 120, 'title');
      assert.ok(SEVERITIES.includes(m.severity), `severity ${m.severity}`);
      assert.ok(CATEGORIES.includes(m.category), `category ${m.category}`);
      assert.ok(m.cwe.length > 0, 'at least one CWE');
      for (const c of m.cwe) assert.match(c, /^CWE-\d+$/);
      assert.match(m.sas, /^SAS-(10|[1-9])$/);
      assert.ok(m.description.trim().length > 20, 'description');
      assert.ok(m.remediation.general.trim().length > 10, 'remediation.general');
      assert.ok(m.formats.length > 0, 'formats');
    });

    test('lives in a file named after its id', () => {
      const file = ruleFiles.find((f) => f.endsWith(`/${m.id}.ts`));
      assert.ok(file, `src/rules/<family>/${m.id}.ts not found`);
      assert.ok(readFileSync(file, 'utf8').includes(`'${m.id}'`), `${file} does not declare id '${m.id}'`);
    });

    test('has an up-to-date docs page (npm run docs:rules)', () => {
      const page = join(REPO_DIR, 'docs', 'rules', `${m.id}.md`);
      assert.ok(existsSync(page), `docs/rules/${m.id}.md missing: run npm run docs:rules`);
      assert.equal(readFileSync(page, 'utf8'), renderRuleDoc(m), `docs/rules/${m.id}.md is out of date: run npm run docs:rules`);
    });

    test('has fail and pass fixtures', () => {
      assert.ok(caseCount(m.id, 'fail') >= 1, `no test/fixtures/rules/${m.id}/fail/<case>/`);
      assert.ok(caseCount(m.id, 'pass') >= 1, `no test/fixtures/rules/${m.id}/pass/<case>/`);
    });

    test('has a fail and a pass case for every IaC format it applies to (case names start with the format)', () => {
      const missing: string[] = [];
      for (const format of m.formats.filter((f) => IAC_FORMATS.has(f))) {
        for (const kind of ['fail', 'pass'] as const)
          if (!caseNames(m.id, kind).some((n) => n === format || n.startsWith(`${format}-`))) missing.push(`${kind}/${format}-*`);
      }
      assert.deepEqual(missing, [], `test/fixtures/rules/${m.id}: missing cases`);
    });

    test('declares only known formats', () => {
      for (const f of m.formats) assert.ok(RULE_FORMATS.has(f), `unknown format '${f}'`);
    });
  });
}

test('every rule file is registered', () => {
  const registered = new Set(allRules.map((r) => r.meta.id));
  const orphans = ruleFiles.map((f) => /([A-Z]+-\d{2})\.ts$/.exec(f)?.[1]).filter((id): id is string => !!id && !registered.has(id));
  assert.deepEqual(orphans, [], 'rule files not registered in their family index.ts');
});
