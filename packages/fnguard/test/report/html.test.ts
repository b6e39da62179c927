/**
 * `--format html` as a pure function: self-contained (no external resource), a CSP that allows
 * only the page's own script and style (by hash), everything from the Result escaped, and the
 * parts the issue asks for (ranking, chart, filters, snippet, flow, remediation, docs link).
 * The real-browser test is html.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Result } from '../../src/engine/types.js';
import { esc, formatHtml } from '../../src/report/html.js';
import { formatResult } from '../../src/report/index.js';
import { sampleResult, sampleRules } from './sampleResult.js';

const XSS = `"><img src=x onerror=alert(1)><script>alert(2)</script>`;

function hostile(): Result {
  const r = sampleResult();
  const f = r.findings[0];
  assert.ok(f);
  f.message = `${XSS} </script><!-- '`;
  f.location.file = `src/${XSS}.js`;
  f.title = `<svg onload=alert(3)>`;
  f.resource = `'; alert(4); '`;
  f.helpUri = 'javascript:alert(5)';
  f.snippet = { startLine: 6, lines: ['const host = event.q;', `exec("ping " + host); // ${XSS}`, '</pre></code><b>x</b>'] };
  const flow = f.flow?.[0];
  if (flow) flow.note = `<iframe src=javascript:alert(6)>`;
  const fn = r.functions[0];
  assert.ok(fn);
  fn.name = `<img src=y onerror=alert(7)>`;
  fn.id = `serverless:"><b>#x`;
  f.function = fn.id;
  const factor = fn.risk.factors[0];
  if (factor) factor.description = `<marquee>${XSS}`;
  r.diagnostics.push({ level: 'error', file: `${XSS}.yml`, line: 1, message: XSS, code: 'yaml-parse' });
  r.root = `/tmp/${XSS}`;
  return r;
}

function scripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? '');
}

describe('html report', () => {
  test('is one self-contained page: no external script, style, font, image or frame', () => {
    const html = formatHtml(sampleResult(), { rules: sampleRules });
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)=/i);
    assert.doesNotMatch(html, /@import|url\(/i);
    // the only links leaving the page are the docs links (anchors)
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    for (const h of hrefs) assert.match(h ?? '', /^https:\/\/github\.com\/fnguard\/fnguard\/blob\/main\/docs\/rules\/[A-Z]+-\d+\.md$/);
    assert.equal(scripts(html).length, 1);
  });

  test('the CSP allows exactly the inline script and style by hash, nothing else', () => {
    const html = formatHtml(sampleResult(), { rules: sampleRules });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    assert.ok(csp, 'CSP meta present');
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const script = scripts(html)[0] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const h = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');
    assert.ok(csp.includes(`script-src 'sha256-${h(script)}'`), 'script hash matches');
    assert.ok(csp.includes(`style-src 'sha256-${h(style)}'`), 'style hash matches');
    assert.doesNotMatch(html, /\sstyle="/, 'no style attributes (the CSP would block them)');
    assert.doesNotMatch(html, /\son[a-z]+="/i, 'no inline event handlers');
  });

  test('escapes every attacker-controlled string (file names, messages, names, snippets, flows)', () => {
    const html = formatHtml(hostile(), { rules: sampleRules });
    assert.equal(scripts(html).length, 1, 'no injected script element');
    assert.doesNotMatch(html, /<img|<svg onload|<iframe|<marquee|<b>x<\/b>|<b>#x/i);
    assert.doesNotMatch(html, /javascript:alert\(5\)"/, 'a non-http docs link is dropped');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the payload is shown as text');
    assert.ok(html.includes('&lt;/script&gt;&lt;!-- &#39;'));
    // every attribute value stays inside its quotes
    for (const m of html.matchAll(/data-(fn|cat|rule|search)="([^"]*)"/g)) assert.doesNotMatch(m[2] ?? '', /[<>]/);
  });

  test('ranks functions by risk with score, level, triggers and top reasons', () => {
    const html = formatHtml(sampleResult(), { rules: sampleRules });
    const rows = [...html.matchAll(/<tr class="fn-row" data-fn="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(rows, ['serverless:serverless.yml#api', 'serverless:serverless.yml#cron']);
    assert.match(html, /score-num lvl-critical">88</);
    assert.match(html, /function-url · public · none/);
    assert.match(html, /function URL with auth type NONE <span class="pts">\+35/);
  });

  test('charts unsuppressed findings by category and severity as inline SVG', () => {
    const html = formatHtml(sampleResult(), { rules: sampleRules });
    const chart = /<figure class="chart"[\s\S]*?<\/figure>/.exec(html)?.[0] ?? '';
    assert.match(chart, /data-cat="injection:command"/);
    assert.match(chart, /data-cat="unauthenticated-trigger"/);
    assert.match(chart, /<svg class="bar"[^>]*><rect class="track"[^>]*><\/rect><rect class="sev-critical"/);
    assert.match(chart, /<title>injection:command: 1 critical<\/title>/);
    // the suppressed EXPO-01 finding is not counted: one unauthenticated-trigger finding, not two
    assert.match(chart, /unauthenticated-trigger<\/span><svg[\s\S]*?<span class="chart-count">1<\/span>/);
  });

  test('offers filters by severity, category, function, rule and text', () => {
    const html = formatHtml(sampleResult(), { rules: sampleRules });
    for (const s of ['critical', 'high', 'medium', 'low', 'info']) assert.match(html, new RegExp(`name="sev" value="${s}" checked`));
    assert.match(html, /<select id="f-cat">[\s\S]*?value="injection:command"/);
    assert.match(html, /<select id="f-fn">[\s\S]*?value="serverless:serverless.yml#api">api \(2\)/);
    assert.match(html, /<select id="f-rule">[\s\S]*?value="INJ-01"/);
    assert.match(html, /<input type="search" id="f-q"/);
    assert.match(html, /id="f-supp"/);
  });

  test('each finding has message, location, snippet, flow, remediation for its format and docs link', () => {
    const r = sampleResult();
    const inj = r.findings[0];
    assert.ok(inj);
    inj.snippet = {
      startLine: 5,
      lines: ['export const handler = async (event) => {', '  const host = event.queryStringParameters.host;', '  exec("ping " + host);'],
    };
    inj.location.line = 7;
    const html = formatHtml(r, { rules: sampleRules });
    const block = /<details class="finding[^"]*" id="finding-1"[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
    assert.match(block, /event.queryStringParameters.host reaches child_process.exec/);
    assert.match(block, /<code class="loc">src\/api.js:7:3<\/code>/);
    assert.match(block, /<span class="line hit"><span class="ln">7<\/span> {2}exec\(&quot;ping &quot; \+ host\);<\/span>/);
    assert.match(block, /<span class="line"><span class="ln">5<\/span>export const handler/);
    assert.match(block, /<li class="flow-source"><span class="flow-role">source<\/span> <code class="loc">src\/api.js:3:15<\/code>/);
    assert.match(block, /<li class="flow-sink">/);
    assert.match(block, /Use execFile with an argument array/);
    assert.match(block, /href="https:\/\/github.com\/fnguard\/fnguard\/blob\/main\/docs\/rules\/INJ-01.md"/);
    // the serverless finding gets the Serverless Framework remediation as well as the general one
    const expo = /<details class="finding[^"]*" id="finding-2"[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
    assert.match(expo, /<strong>Serverless Framework.<\/strong> Set <code>url.authorizer: aws_iam<\/code>/);
  });

  test('suppressed findings are present but hidden until asked for, with their reason', () => {
    const html = formatHtml(sampleResult(), { rules: sampleRules });
    const supp = /<details class="finding[^"]*is-suppressed[^"]*"[^>]*>/.exec(html)?.[0] ?? '';
    assert.match(supp, /data-supp="1"/);
    assert.match(supp, / hidden>$/);
    assert.match(html, /ignore-file: demo \| &lt;b&gt;only&lt;\/b&gt; \(until 2099-01-01\)/);
    assert.match(html, /2 of 3 findings shown/);
  });

  test('lists stale baseline entries and input problems', () => {
    const r = sampleResult();
    r.summary.baseline = {
      entries: 2,
      matched: 1,
      stale: [{ fingerprint: 'f'.repeat(64), ruleId: 'SEC-01', file: 'old.yml', message: 'gone' }],
    };
    const html = formatHtml(r, { rules: sampleRules });
    assert.match(html, /Stale baseline entries \(1\)[\s\S]*SEC-01[\s\S]*old.yml[\s\S]*gone/);
    assert.match(html, /Input problems \(1\)[\s\S]*big.yml[\s\S]*file is too large/);
  });

  test('a result without functions or findings still renders', () => {
    const r = sampleResult();
    r.functions = [];
    r.findings = [];
    const html = formatHtml(r);
    assert.match(html, /No functions found/);
    assert.match(html, /No unsuppressed findings/);
    assert.match(html, /0 of 0 findings shown/);
  });

  test('is registered as --format html', async () => {
    const html = await formatResult('html', sampleResult(), { rules: sampleRules });
    assert.match(html, /<title>fnguard report: app<\/title>/);
  });

  test('esc() covers the five HTML-special characters and drops control characters', () => {
    assert.equal(esc(`<a href="x" title='y'>&\u0000\u001b</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
