/**
 * The HTML report in a real browser (issue 8, item 1): Playwright (`playwright-core`) drives
 * Debian's chromium (`npm run test:setup` installs it). Opens the report of the example app
 * offline, checks the ranking, uses the filters, checks that an XSS payload in a file name,
 * a function name and a message stays text, and keeps screenshots in test-artifacts/.
 * Without chromium the test is skipped with the reason, except on CI (CI=1), where it fails.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { run } from '../../src/cli/run.js';
import type { Result } from '../../src/engine/types.js';
import { captureIo } from '../helpers/cliIo.js';
import { REPO_DIR, rmTree, tmpTree } from '../helpers/index.js';

const CHROMIUM = process.env.FNGUARD_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(REPO_DIR, 'test-artifacts');
const EXAMPLE = join('examples', 'vulnerable', 'serverless-app');

const missing = existsSync(CHROMIUM) ? undefined : `chromium not found at ${CHROMIUM} (run \`npm run test:setup\`)`;
if (missing && process.env.CI) throw new Error(`${missing}: the browser test cannot be skipped on CI`);

async function report(dir: string, out: string): Promise<Result> {
  const io = captureIo(REPO_DIR);
  const code = await run(['scan', dir, '--format', 'html', '--output', out, '--format', 'json', '--fail-on', 'none'], io);
  assert.equal(code, 0, io.err);
  return JSON.parse(io.out) as Result;
}

describe('html report in chromium', { skip: missing }, () => {
  let browser: Browser;
  const tmp: string[] = [];
  before(async () => {
    const { chromium } = await import('playwright-core');
    // --no-sandbox: CI and the dev machines run as root, where chromium's sandbox cannot start
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    for (const d of tmp) rmTree(d);
  });

  /** Open a file:// page; every request other than the page itself fails the test (offline). */
  async function open(file: string, viewport = { width: 1366, height: 900 }): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: viewport.width < 600 ? 2 : 1 });
    const page = await context.newPage();
    const problems: string[] = [];
    const url = pathToFileURL(file).href;
    await context.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      problems.push(`request: ${route.request().url()}`);
      return route.abort();
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(url);
    return { page, problems };
  }

  test('the example app: ranking, chart, filters, offline, no CSP violation; screenshots', async () => {
    const file = join(ARTIFACTS, 'report-serverless-app.html');
    const result = await report(EXAMPLE, file);
    assert.ok(result.functions.length >= 3 && result.findings.length >= 10, 'the example has functions and findings');
    const { page, problems } = await open(file);

    // ranking: the rows in the order of the result, scores not increasing, the top one at least high
    const rows = await page.$$eval('#ranking tbody tr', (trs) =>
      trs.map((tr) => ({
        fn: (tr as HTMLElement).dataset.fn ?? '',
        score: Number(tr.querySelector('.score-num')?.textContent),
        name: tr.querySelector('.fn-name strong')?.textContent ?? '',
      })),
    );
    assert.deepEqual(
      rows.map((r) => r.fn),
      result.functions.map((f) => f.id),
    );
    for (let i = 1; i < rows.length; i++) assert.ok((rows[i - 1]?.score ?? 0) >= (rows[i]?.score ?? 0), 'scores descend');
    assert.equal(rows[0]?.score, result.functions[0]?.risk.score);
    assert.ok((rows[0]?.score ?? 0) >= 60);

    // the chart has one row per category of unsuppressed findings
    const open1 = result.findings.filter((f) => !f.suppressed);
    const cats = new Set(open1.map((f) => f.category));
    assert.equal(await page.locator('.chart-row').count(), cats.size);
    const total = open1.length;
    const countText = () => page.locator('#f-count').textContent();
    assert.equal(await countText(), `${total} of ${result.findings.length} findings shown`);
    await page.screenshot({ path: join(ARTIFACTS, 'report-desktop.png'), fullPage: false });

    // severity filter: only critical
    for (const s of ['high', 'medium', 'low', 'info']) await page.uncheck(`input[name="sev"][value="${s}"]`);
    const critical = open1.filter((f) => f.severity === 'critical').length;
    assert.equal(await countText(), `${critical} of ${result.findings.length} findings shown`);
    assert.equal(await page.locator('details.finding:visible').count(), critical);
    await page.click('#f-reset');
    assert.equal(await countText(), `${total} of ${result.findings.length} findings shown`);

    // the ranking's "N findings" button filters by that function
    const top = result.functions[0];
    assert.ok(top);
    await page.click(`#ranking tbody tr:first-child .show-fn`);
    const ofTop = open1.filter((f) => f.function === top.id).length;
    assert.equal(await page.locator('#f-fn').inputValue(), top.id);
    assert.equal(await countText(), `${ofTop} of ${result.findings.length} findings shown`);
    await page.click('#f-reset');

    // rule + text search
    const rule = open1[0]?.ruleId ?? '';
    await page.selectOption('#f-rule', rule);
    assert.equal(await countText(), `${open1.filter((f) => f.ruleId === rule).length} of ${result.findings.length} findings shown`);
    await page.click('#f-reset');
    await page.fill('#f-q', 'nodejs16');
    const bySearch = open1.filter((f) =>
      [f.ruleId, f.title, f.message, f.location.file, f.resource ?? '', f.category].join(' ').toLowerCase().includes('nodejs16'),
    ).length;
    assert.ok(bySearch > 0);
    assert.equal(await countText(), `${bySearch} of ${result.findings.length} findings shown`);
    await page.fill('#f-q', 'no such text anywhere');
    assert.equal(await page.locator('#f-none').isVisible(), true);
    await page.click('#f-reset');

    // a category from the chart; open a finding: snippet with the reported line highlighted, docs link
    const firstCat = await page.locator('.chart-row').first().getAttribute('data-cat');
    await page.locator('.chart-row').first().click();
    assert.equal(await page.locator('#f-cat').inputValue(), firstCat);
    const first = page.locator('details.finding:visible').first();
    await first.locator('summary').click();
    assert.equal(await first.locator('.snippet .line.hit').first().isVisible(), true);
    assert.match(
      (await first.locator('a.docs').getAttribute('href')) ?? '',
      /^https:\/\/github\.com\/fnguard\/fnguard\/blob\/main\/docs\/rules\//,
    );
    assert.equal(await first.locator('.remediation p').first().isVisible(), true);
    await first.screenshot({ path: join(ARTIFACTS, 'report-finding.png') });
    await page.click('#f-reset');

    // phone: the ranking becomes cards, nothing overflows sideways
    const phone = await open(file, { width: 390, height: 844 });
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    assert.equal(await phone.page.locator('#ranking thead').isVisible(), false);
    await phone.page.screenshot({ path: join(ARTIFACTS, 'report-phone.png'), fullPage: false });
    await phone.page.locator('#findings').scrollIntoViewIfNeeded();
    await phone.page.screenshot({ path: join(ARTIFACTS, 'report-phone-findings.png'), fullPage: false });

    assert.deepEqual([...problems, ...phone.problems], [], 'no network request, console error or CSP violation');
    await page.context().close();
    await phone.page.context().close();
  });

  test('an XSS payload in a file name, a function name and a message stays text', async () => {
    const payload = `"><img src=x onerror="window.__xss=1">`;
    const dir = tmpTree({
      [`${payload}/serverless.yml`]: [
        'service: xss',
        'provider:',
        '  name: aws',
        '  runtime: nodejs20.x',
        '  environment:',
        `    "<script>window.__xss=2</script>": "<svg onload=window.__xss=3>"`,
        'functions:',
        `  "<img src=y onerror=window.__xss=4>":`,
        `    handler: "<script>window.__xss=5</script>.handler"`,
        '    url: true',
        '',
      ].join('\n'),
    });
    tmp.push(dir);
    const file = join(dir, 'report.html');
    const result = await report(dir, file);
    assert.ok(
      result.findings.some((f) => f.location.file.includes('<img')),
      'the payload is in a finding location',
    );
    assert.ok(
      result.functions.some((f) => f.name.includes('<img')),
      'the payload is a function name',
    );
    const html = readFileSync(file, 'utf8');
    assert.ok(html.includes('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;'));
    const { page, problems } = await open(file);
    await page.click('#f-expand');
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'no injected script ran');
    assert.equal(await page.locator('main img, main iframe, main script, #finding-list svg[onload]').count(), 0);
    assert.equal(await page.locator('script').count(), 1);
    // the name shows as text
    assert.ok(((await page.locator('#ranking .fn-name strong').first().textContent()) ?? '').includes('<img src=y'));
    assert.deepEqual(problems, []);
    await page.screenshot({ path: join(ARTIFACTS, 'report-xss.png') });
    await page.context().close();
  });
});
