import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import type { Result } from '../../src/engine/types.js';
import { formatResult } from '../../src/report/index.js';
import { formatJson } from '../../src/report/json.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { SECURITY_SEVERITY, toSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { sampleResult, sampleRules } from './sampleResult.js';

const schema = JSON.parse(readFileSync(new URL('./sarif-github-subset.schema.json', import.meta.url), 'utf8'));

describe('json report', () => {
  test('is the Result as is', () => {
    const r = sampleResult();
    assert.deepEqual(JSON.parse(formatJson(r)), r);
  });
});

describe('sarif report', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);

  test('validates against the GitHub-required SARIF subset', () => {
    const sarif = toSarif(sampleResult(), { rules: sampleRules });
    const ok = validate(sarif);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });

  test('the schema rejects what GitHub rejects', () => {
    const sarif = toSarif(sampleResult(), { rules: sampleRules });
    const broken = structuredClone(sarif);
    broken.runs[0].results[0].locations = [];
    assert.equal(validate(broken), false);
    const zero = structuredClone(sarif);
    zero.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(zero), false);
  });

  test('rules carry security-severity, help markdown and helpUri; results point at their rule', () => {
    const sarif = toSarif(sampleResult(), { rules: sampleRules });
    const run = sarif.runs[0];
    const rules = run.tool.driver.rules as {
      id: string;
      properties: Record<string, unknown>;
      help: { markdown: string };
      helpUri: string;
    }[];
    assert.deepEqual(
      rules.map((r) => r.id),
      ['EXPO-01', 'INJ-01'],
    );
    assert.equal(rules[0]?.properties['security-severity'], SECURITY_SEVERITY.high);
    assert.equal(rules[1]?.properties['security-severity'], '9.5');
    assert.match(rules[0]?.help.markdown ?? '', /# EXPO-01: Function URL without authentication/);
    for (const res of run.results) assert.equal(rules[res.ruleIndex]?.id, res.ruleId);
    const inj = run.results.find((r: { ruleId: string }) => r.ruleId === 'INJ-01');
    assert.equal(inj.level, 'error');
    assert.equal(inj.partialFingerprints['fnguard/v1'], 'b'.repeat(64));
    assert.equal(inj.codeFlows[0].threadFlows[0].locations.length, 2);
    assert.equal(inj.codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.region.startLine, 3);
    assert.deepEqual(inj.locations[0].logicalLocations[0], {
      name: 'api',
      fullyQualifiedName: 'serverless:serverless.yml#api',
      kind: 'function',
    });
  });

  test('suppressed findings stay, as SARIF suppressions; URIs are relative and encoded', () => {
    const sarif = toSarif(sampleResult(), { rules: sampleRules, uriPrefix: 'services/app' });
    const sup = sarif.runs[0].results.find((r: { suppressions?: unknown }) => r.suppressions);
    assert.deepEqual(sup.suppressions[0].kind, 'external');
    assert.equal(sup.suppressions[0].justification, 'demo | <b>only</b>');
    assert.equal(sup.locations[0].physicalLocation.artifactLocation.uri, 'services/app/sub%20dir/serverless.yml');
  });

  test('caps results at 25,000 (GitHub limit) keeping the worst, with a notification', () => {
    const r = sampleResult();
    const f = r.findings[1];
    assert.ok(f);
    r.findings = Array.from({ length: 25_003 }, (_, i) => ({ ...f, fingerprint: String(i) }));
    const sarif = toSarif(r, { rules: sampleRules });
    assert.equal(sarif.runs[0].results.length, 25_000);
    assert.match(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /3 lower-severity findings left out/);
  });

  test('a result with no findings is still valid', () => {
    const r = sampleResult();
    r.findings = [];
    assert.ok(validate(toSarif(r, { rules: [] })), JSON.stringify(validate.errors));
  });
});

describe('text report', () => {
  test('ranks functions, groups findings by function, lists diagnostics and a summary', () => {
    const out = formatText(sampleResult(), { color: false });
    const iTable = out.indexOf('Functions by risk');
    const iApi = out.indexOf('api', iTable);
    const iCron = out.indexOf('cron', iTable);
    assert.ok(iTable >= 0 && iApi < iCron, 'api (88) ranked above cron (0)');
    assert.match(out, /88\s+critical\s+api\s+function-url \(public, none\)\s+function URL with auth type NONE \(\+35\)/);
    assert.match(out, /Findings\n\s+▸ api/);
    assert.match(out, /CRITICAL\s+INJ-01\s+OS command injection\s+src\/api\.js:7:3/);
    assert.match(out, /flow: src\/api\.js:3 event\.queryStringParameters\.host → … → src\/api\.js:7/);
    assert.doesNotMatch(out, /demo \| <b>only/, 'suppressed findings are hidden by default');
    assert.match(out, /Diagnostics \(0 errors, 1 warnings, 1 info\)/);
    assert.match(out, /Summary: 2 findings \(1 critical, 1 high\), 1 suppressed/);
    assert.ok(!out.includes('\x1b['), 'no colour');
  });

  test('colours by severity when asked; strips terminal escapes from input', () => {
    const r = sampleResult();
    const f = r.findings[0];
    if (f) f.message = 'evil \x1b[2J\x07 message';
    const out = formatText(r, { color: true });
    assert.ok(out.includes('\x1b[1m\x1b[91mCRITICAL'));
    assert.ok(!out.includes('\x1b[2J'));
    assert.ok(out.includes('evil [2J message'));
    const g = r.findings[1];
    if (g) g.location.file = 'x\x1b]0;pwned\x07.yml';
    assert.ok(!formatText(r, {}).includes('\x1b]0;'), 'hostile file names are sanitized too');
  });

  test('quiet: no table, no diagnostics', () => {
    const out = formatText(sampleResult(), { quiet: true });
    assert.doesNotMatch(out, /Functions by risk|Diagnostics/);
    assert.match(out, /INJ-01/);
  });
});

describe('markdown report', () => {
  test('summary, risk table and findings, escaped', () => {
    const r = sampleResult();
    const f = r.findings[1];
    if (f) f.message = 'pipe | and <script>alert(1)</script>';
    const md = formatMarkdown(r);
    assert.match(md, /## fnguard scan/);
    assert.match(md, /\| 88 \| 🟥 critical \| `api` \|/);
    assert.match(md, /\[INJ-01\]\(https:\/\/github\.com\/fnguard\/fnguard\/blob\/main\/docs\/rules\/INJ-01\.md\)/);
    assert.ok(md.includes('pipe \\| and &lt;script&gt;'));
    assert.ok(!md.includes('<script>'));
  });

  test('mentions stale baseline entries', () => {
    const r = sampleResult();
    r.summary.baseline = { entries: 3, matched: 1, stale: [{ fingerprint: 'x' }, { fingerprint: 'y' }] };
    assert.match(formatMarkdown(r), /2 baseline entries match no finding any more/);
    assert.match(formatText(r), /2 stale baseline entries/);
  });

  test('stays under the size budget, with a truncation note', () => {
    const r: Result = sampleResult();
    const template = r.findings[1];
    assert.ok(template);
    r.findings = Array.from({ length: 5000 }, (_, i) => ({
      ...template,
      fingerprint: String(i),
      message: `finding number ${i} ${'x'.repeat(60)}`,
    }));
    const md = formatMarkdown(r);
    assert.ok(md.length <= 65_000, `${md.length} chars`);
    assert.match(md, /Truncated: \d+ more findings not shown/);
    const small = formatMarkdown(r, { maxChars: 5000 });
    assert.ok(small.length <= 5000);
  });
});

describe('formatResult', () => {
  test('dispatches by name', async () => {
    const r = sampleResult();
    assert.equal(await formatResult('json', r), formatJson(r));
    assert.match(await formatResult('markdown', r), /## fnguard scan/);
    assert.match(await formatResult('text', r), /Summary:/);
    assert.equal(JSON.parse(await formatResult('sarif', r, { rules: sampleRules })).version, '2.1.0');
  });
});

describe('github annotations', () => {
  test('the worst unsuppressed findings as workflow commands, escaped, capped', async () => {
    const { formatGithub, escapeData, escapeProperty } = await import('../../src/report/github.js');
    const r = sampleResult();
    const out = formatGithub(r, { uriPrefix: 'services/app' });
    const lines = out.trim().split('\n');
    assert.equal(
      lines[0],
      `::error file=services/app/src/api.js,line=7,col=3,title=INJ-01 OS command injection (critical)::event.queryStringParameters.host reaches child_process.exec%0Ahttps://github.com/fnguard/fnguard/blob/main/docs/rules/INJ-01.md`,
    );
    assert.match(lines[1] ?? '', /^::error file=services\/app\/serverless\.yml,line=12,col=5,title=EXPO-01/);
    assert.equal(lines.length, 3, 'the suppressed finding is not annotated');
    assert.equal(escapeData('50%\r\nx'), '50%25%0D%0Ax');
    assert.equal(escapeProperty('a:b,c'), 'a%3Ab%2Cc');
    const f = r.findings[1];
    assert.ok(f);
    r.findings = Array.from({ length: 15 }, () => ({ ...f, message: 'evil\n::error::injected' }));
    const capped = formatGithub(r).trim().split('\n');
    assert.equal(capped.filter((l) => l.startsWith('::')).length, 10);
    assert.ok(capped.every((l) => !l.includes('\n::error::injected')));
    assert.match(capped.join('\n'), /5 more findings not annotated/);
  });
});
