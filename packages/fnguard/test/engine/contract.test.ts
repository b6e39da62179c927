/**
 * The JSON result contract (docs/json-contract.md), checked with ajv against result.schema.json on
 * the real pipeline: every example app, and a pipeline run with suppressions and a baseline.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { createBaseline } from '../../src/engine/baseline.js';
import type { Result } from '../../src/engine/types.js';
import { toSarif } from '../../src/report/sarif.js';
import { allRules } from '../../src/rules/index.js';
import { scan } from '../../src/scan.js';
import { fnlistAdapter, testRules } from '../helpers/fakes.js';
import { FIXED_NOW, REPO_DIR, rmTree, tmpTree } from '../helpers/index.js';

const schema = JSON.parse(readFileSync(new URL('./result.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function check(r: Result, what: string) {
  const ok = validate(JSON.parse(JSON.stringify(r)));
  assert.ok(ok, `${what}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
  const s = r.summary;
  assert.equal(s.findings + s.suppressed, r.findings.length, `${what}: summary counts`);
  assert.equal(
    Object.values(s.bySeverity).reduce((a, b) => a + b, 0),
    s.findings,
    `${what}: bySeverity counts unsuppressed findings`,
  );
  assert.equal(s.functions, r.functions.length);
  for (let i = 1; i < r.functions.length; i++)
    assert.ok((r.functions[i - 1]?.risk.score ?? 0) >= (r.functions[i]?.risk.score ?? 0), `${what}: functions ranked by risk`);
  const fnIds = new Set(r.functions.map((f) => f.id));
  for (const f of r.findings)
    if (f.function) assert.ok(fnIds.has(f.function), `${what}: finding ${f.ruleId} points at unknown function ${f.function}`);
}

test('every example app yields a Result that follows the contract, and valid SARIF', async () => {
  const examples = join(REPO_DIR, 'examples');
  const apps: string[] = [];
  if (existsSync(examples))
    for (const group of readdirSync(examples)) {
      const g = join(examples, group);
      if (!statSync(g).isDirectory()) continue;
      for (const app of readdirSync(g)) if (statSync(join(g, app)).isDirectory()) apps.push(join(g, app));
    }
  assert.ok(apps.length > 0, 'no example apps found');
  const sarifSchema = JSON.parse(readFileSync(new URL('../report/sarif-github-subset.schema.json', import.meta.url), 'utf8'));
  const validateSarif = new Ajv({ allErrors: true, strict: false }).compile(sarifSchema);
  for (const app of apps) {
    const r = await scan({ root: app, now: FIXED_NOW });
    check(r, app);
    const sarif = toSarif(r, { rules: allRules.map((x) => x.meta) });
    assert.equal(sarif.runs[0].results.length, r.findings.length);
    assert.ok(validateSarif(sarif), `${app} SARIF: ${JSON.stringify(validateSarif.errors?.slice(0, 3))}`);
  }
});

test('a run with suppressions and a baseline follows the contract', async () => {
  const root = tmpTree({ 'a.fnlist': '# fnguard-ignore EXPO-91: ok\napi public env:SECRET=1\nold public\nresource:Q suppressed\n' });
  try {
    const first = await scan({ root, adapters: [fnlistAdapter], registry: testRules(), now: FIXED_NOW });
    check(first, 'first');
    const second = await scan({
      root,
      adapters: [fnlistAdapter],
      registry: testRules(),
      now: FIXED_NOW,
      baseline: createBaseline(first).findings,
    });
    check(second, 'second');
    assert.ok(second.findings.some((f) => f.suppression?.kind === 'baseline'));
    assert.ok(second.findings.some((f) => f.suppression?.kind === 'inline'));
    assert.ok(second.findings.some((f) => f.suppression?.kind === 'metadata'));
  } finally {
    rmTree(root);
  }
});
