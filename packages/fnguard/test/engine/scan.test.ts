import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createBaseline } from '../../src/engine/baseline.js';
import { defineRule } from '../../src/rules/defineRule.js';
import { scan } from '../../src/scan.js';
import { fnlistAdapter, testRules } from '../helpers/fakes.js';
import { FIXED_NOW, rmTree, tmpTree } from '../helpers/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmTree(d);
});
function project(files: Record<string, string>): string {
  const d = tmpTree(files);
  dirs.push(d);
  return d;
}
const base = { adapters: [fnlistAdapter], registry: testRules(), now: FIXED_NOW };

describe('scan()', () => {
  test('runs the pipeline and produces the JSON contract', async () => {
    const root = project({ 'app/a.fnlist': 'api public env:SECRET=x\nworker\n' });
    const r = await scan({ ...base, root });
    assert.equal(r.schemaVersion, 1);
    assert.deepEqual(r.tool, { name: 'fnguard', version: r.tool.version });
    assert.equal(r.root, root);
    assert.equal(r.functions.length, 2);
    const ids = r.findings.map((f) => f.ruleId).sort();
    assert.deepEqual(ids, ['EXPO-91', 'SEC-92']);
    const expo = r.findings.find((f) => f.ruleId === 'EXPO-91');
    assert.ok(expo);
    assert.deepEqual(expo.location, { file: 'app/a.fnlist', line: 1, column: 1 });
    assert.equal(expo.function, 'serverless:app/a.fnlist#api');
    assert.equal(expo.title, 'test rule EXPO-91');
    assert.equal(expo.category, 'insecure-config');
    assert.deepEqual(expo.cwe, ['CWE-16']);
    assert.equal(expo.sas, 'SAS-3');
    assert.match(expo.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(expo.suppressed, false);
    assert.match(expo.helpUri ?? '', /docs\/rules\/EXPO-91\.md$/);
    // findings sorted by severity
    assert.equal(r.findings[0]?.severity, 'high');
    assert.equal(r.summary.findings, 2);
    assert.equal(r.summary.bySeverity.high, 1);
    assert.equal(r.summary.bySeverity.medium, 1);
    assert.equal(r.summary.functions, 2);
    assert.equal(r.summary.filesScanned, 1);
    assert.equal(typeof r.summary.durationMs, 'number');
    // functions ranked by risk
    assert.equal(r.functions[0]?.name, 'api');
    assert.ok((r.functions[0]?.risk.score ?? 0) > (r.functions[1]?.risk.score ?? 0));
    assert.deepEqual(r.functions[0]?.triggers, [{ kind: 'http-api', public: true, auth: 'none' }]);
  });

  test('a throwing rule and a throwing adapter become diagnostics', async () => {
    const root = project({ 'a.fnlist': 'api public\n', 'b/bad.fnlist': 'x\nexplode\n' });
    const r = await scan({ ...base, root });
    const rd = r.diagnostics.find((d) => d.code === 'rule-error');
    assert.ok(rd);
    assert.match(rd.message, /CFG-93 failed: rule bug/);
    const ad = r.diagnostics.find((d) => d.code === 'adapter-error');
    assert.ok(ad);
    assert.match(ad.message, /boom at line 2/);
  });

  test('rule selection: ids, globs, skip, opt-in, unknown patterns', async () => {
    const root = project({ 'a.fnlist': 'api public env:SECRET=1\nresource:Q\n' });
    const ids = async (o: object) => (await scan({ ...base, root, ...o })).findings.map((f) => f.ruleId).sort();
    assert.deepEqual(await ids({}), ['CFG-95', 'EXPO-91', 'SEC-92']);
    assert.deepEqual(await ids({ rules: ['EXPO-91'] }), ['EXPO-91']);
    assert.deepEqual(await ids({ rules: ['cfg-*'] }), ['CFG-95']);
    assert.deepEqual(await ids({ skipRules: ['EXPO-*', 'SEC-92'] }), ['CFG-95']);
    assert.deepEqual(await ids({ rules: ['CFG-94'] }), ['CFG-94']);
    const r = await scan({ ...base, root, rules: ['NOPE-01'] });
    assert.ok(r.diagnostics.some((d) => d.code === 'unknown-rule' && d.message.includes('NOPE-01')));
  });

  test('severity filter keeps findings at or above the minimum', async () => {
    const root = project({ 'a.fnlist': 'api public env:SECRET=1\nresource:Q\n' });
    const r = await scan({ ...base, root, severity: 'medium' });
    assert.deepEqual(r.findings.map((f) => f.ruleId).sort(), ['EXPO-91', 'SEC-92']);
  });

  test('fingerprints are content-stable: moving lines keeps them', async () => {
    const a = await scan({ ...base, root: project({ 'a.fnlist': 'api public\n' }) });
    const b = await scan({ ...base, root: project({ 'a.fnlist': '\n\n# moved\n\napi public\n' }) });
    assert.equal(a.findings[0]?.fingerprint, b.findings[0]?.fingerprint);
    assert.notEqual(a.findings[0]?.location.line, b.findings[0]?.location.line);
    const c = await scan({ ...base, root: project({ 'a.fnlist': 'other public\n' }) });
    assert.notEqual(a.findings[0]?.fingerprint, c.findings[0]?.fingerprint);
  });

  test('inline suppression on the line or the line above', async () => {
    const root = project({
      'a.fnlist': [
        '# fnguard-ignore EXPO-91: internal tool behind VPN',
        'api public',
        'web public # fnguard-ignore SEC-92',
        'open public',
      ].join('\n'),
    });
    const r = await scan({ ...base, root });
    const byFn = (n: string) => r.findings.find((f) => f.function?.endsWith(`#${n}`));
    assert.equal(byFn('api')?.suppressed, true);
    assert.deepEqual(byFn('api')?.suppression, { kind: 'inline', reason: 'internal tool behind VPN' });
    assert.equal(byFn('web')?.suppressed, false, 'a comment for another rule does not suppress');
    assert.equal(byFn('open')?.suppressed, false);
    assert.equal(r.summary.suppressed, 1);
    assert.equal(r.summary.findings, 2);
  });

  test('inline suppression on the declaration of the function or resource covers its findings', async () => {
    const seen: string[] = [];
    const blockRule = defineRule({
      meta: { ...testRules()[1]!.meta, id: 'CFG-96' },
      check(ctx) {
        for (const fn of ctx.app.functions) {
          seen.push(fn.name);
          ctx.report({ fn, where: { ...fn.where, line: fn.where.line + 2 }, message: `deep in ${fn.name}`, key: fn.name });
        }
      },
    });
    const root = project({ 'a.fnlist': ['# fnguard-ignore CFG-96: whole block', 'api', '', '', 'web', '', ''].join('\n') });
    const r = await scan({ ...base, registry: [blockRule], root });
    assert.deepEqual(seen, ['api', 'web']);
    assert.equal(r.findings.find((f) => f.message === 'deep in api')?.suppression?.kind, 'inline');
    assert.equal(r.findings.find((f) => f.message === 'deep in web')?.suppressed, false);
  });

  test('Model suppressions (CloudFormation Metadata) on functions and resources', async () => {
    const root = project({ 'a.fnlist': 'api env:SECRET=1 suppressed\nresource:Q suppressed\nresource:R\n' });
    const r = await scan({ ...base, root });
    assert.deepEqual(r.findings.find((f) => f.ruleId === 'SEC-92')?.suppression, { kind: 'metadata', reason: 'metadata' });
    assert.equal(r.findings.find((f) => f.resource === 'Q')?.suppression?.kind, 'metadata');
    assert.equal(r.findings.find((f) => f.resource === 'R')?.suppressed, false);
    const viaRole = await scan({ ...base, root: project({ 'a.fnlist': 'api admin role-suppressed env:SECRET=1\n' }) });
    assert.deepEqual(viaRole.findings.find((f) => f.ruleId === 'SEC-92')?.suppression, { kind: 'metadata', reason: 'on the role' });
  });

  test('ignore file: rule, path, function, reason, expiry', async () => {
    const root = project({
      'svc/a.fnlist': 'api public env:SECRET=1\nweb public\n',
      '.fnguardignore.yml': [
        '- rule: SEC-92',
        '  path: svc/**',
        '  reason: test data only',
        '  expires: 2099-01-01',
        '- rule: EXPO-91',
        '  function: web',
        '  reason: public on purpose',
        '- rule: EXPO-91',
        '  function: api',
        '  reason: was fine',
        '  expires: 2020-01-01',
      ].join('\n'),
    });
    const r = await scan({ ...base, root });
    const sec = r.findings.find((f) => f.ruleId === 'SEC-92');
    assert.deepEqual(sec?.suppression, { kind: 'ignore-file', reason: 'test data only', expires: '2099-01-01' });
    const web = r.findings.find((f) => f.ruleId === 'EXPO-91' && f.function?.endsWith('#web'));
    assert.equal(web?.suppressed, true);
    const api = r.findings.find((f) => f.ruleId === 'EXPO-91' && f.function?.endsWith('#api'));
    assert.equal(api?.suppressed, false, 'an expired entry does not suppress');
    const exp = r.diagnostics.find((d) => d.code === 'ignore-expired');
    assert.ok(exp);
    assert.equal(exp.file, '.fnguardignore.yml');
    assert.equal(exp.line, 8);
  });

  test('an explicit ignore file may live outside the root; a missing one is an error diagnostic', async () => {
    const shared = project({ 'team-ignore.yml': '- rule: EXPO-91\n  reason: shared policy\n' });
    const root = project({ 'a.fnlist': 'api public\n' });
    const r = await scan({ ...base, root, ignoreFile: join(shared, 'team-ignore.yml') });
    assert.deepEqual(r.findings[0]?.suppression, { kind: 'ignore-file', reason: 'shared policy' });
    const missing = await scan({ ...base, root, ignoreFile: join(shared, 'nope.yml') });
    assert.ok(missing.diagnostics.some((d) => d.code === 'ignore-file' && d.level === 'error'));
    assert.equal(missing.findings[0]?.suppressed, false);
  });

  test('a broken ignore file is a diagnostic, not a crash', async () => {
    const root = project({ 'a.fnlist': 'api public\n', '.fnguardignore.yml': '- rule: [unclosed\n' });
    const r = await scan({ ...base, root });
    assert.ok(r.diagnostics.some((d) => d.code === 'ignore-file' && d.file === '.fnguardignore.yml'));
    assert.equal(r.findings.length, 1);
  });

  test('baseline: known findings suppressed, new ones not, stale entries listed', async () => {
    const root1 = project({ 'a.fnlist': 'api public\nold public\n' });
    const first = await scan({ ...base, root: root1 });
    const baseline = createBaseline(first, FIXED_NOW);
    assert.equal(baseline.findings.length, 2);
    const file = join(root1, 'baseline.json');
    writeFileSync(file, JSON.stringify(baseline));
    const root2 = project({ 'a.fnlist': '\napi public\nnew public\n' });
    const second = await scan({ ...base, root: root2, baseline: file });
    const api = second.findings.find((f) => f.function?.endsWith('#api'));
    assert.deepEqual(api?.suppression, { kind: 'baseline' });
    assert.equal(second.findings.find((f) => f.function?.endsWith('#new'))?.suppressed, false);
    const bs = second.summary.baseline as { matched: number; stale: { fingerprint: string }[] };
    assert.equal(bs.matched, 1);
    assert.equal(bs.stale.length, 1);
    assert.equal(bs.stale[0]?.fingerprint, first.findings.find((f) => f.function?.endsWith('#old'))?.fingerprint);
  });

  test('risk: public unauthenticated admin function with findings is critical', async () => {
    const root = project({ 'a.fnlist': 'api public admin env:SECRET=1\ninternal\n' });
    const r = await scan({ ...base, root });
    const api = r.functions[0];
    assert.equal(api?.name, 'api');
    assert.equal(api?.risk.level, 'critical');
    const ids = api?.risk.factors.map((f) => f.id) ?? [];
    assert.ok(ids.includes('exposure:public-unauthenticated'));
    assert.ok(ids.includes('privilege:admin'));
    assert.ok(ids.includes('finding:EXPO-91'));
    assert.equal(r.functions[1]?.risk.score, 0);
    assert.equal(r.functions[1]?.risk.level, 'none');
  });

  test('a function URL appears among the summary triggers', async () => {
    const r = await scan({ ...base, root: project({ 'a.fnlist': 'open url\nsigned url=iam\n' }) });
    const t = (n: string) => r.functions.find((f) => f.name === n)?.triggers;
    assert.deepEqual(t('open'), [{ kind: 'function-url', public: true, auth: 'none' }]);
    assert.deepEqual(t('signed'), [{ kind: 'function-url', public: false, auth: 'iam' }]);
    assert.equal(r.functions[0]?.name, 'open', 'the open URL ranks first');
  });

  test('a missing root is a diagnostic', async () => {
    const r = await scan({ ...base, root: '/nonexistent/fnguard/dir' });
    assert.equal(r.findings.length, 0);
    assert.ok(r.diagnostics.some((d) => d.level === 'error'));
  });
});
