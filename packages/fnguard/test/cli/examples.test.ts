/**
 * Acceptance (issue 2, item 8): every example app under examples/vulnerable fails the default
 * `fnguard scan` (exit 1, high or critical findings), and its twin under examples/fixed passes
 * (exit 0, nothing at high or above), through the real CLI, adapters and rules.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../src/cli/run.js';
import type { Result } from '../../src/engine/types.js';
import { captureIo } from '../helpers/cliIo.js';
import { REPO_DIR } from '../helpers/index.js';

const vulnerable = join(REPO_DIR, 'examples', 'vulnerable');

/** The code flaws (medium and above) written into each vulnerable app's handlers. */
const EXPECTED_CODE_FINDINGS: Record<string, string[]> = {
  'serverless-app': ['INJ-01 src/orders.js:14', 'INJ-04 src/orders.js:22', 'OTH-03 src/orders.js:20'],
  'sam-app': ['INJ-01 src/orders.js:13', 'INJ-03 src/orders.js:20', 'INJ-06 src/orders.js:27'],
  'terraform-app': ['INJ-03 src/orders.js:11', 'INJ-01 src/orders.js:26', 'INJ-06 src/orders.js:25', 'OTH-02 src/orders.js:25'],
  'cdk-app': ['INJ-07 src/orders.js:5', 'INJ-08 src/orders.js:8', 'OTH-01 src/orders.js:24'],
};
const apps = existsSync(vulnerable) ? readdirSync(vulnerable).filter((n) => statSync(join(vulnerable, n)).isDirectory()) : [];

test('there are example apps', () => {
  assert.ok(apps.length > 0);
});

for (const app of apps) {
  test(`examples/vulnerable/${app} fails and examples/fixed/${app} passes`, async () => {
    const io = captureIo(REPO_DIR);
    const bad = await run(['scan', join('examples', 'vulnerable', app), '--format', 'json'], io);
    const badResult = JSON.parse(io.out) as Result;
    assert.equal(bad, 1, `vulnerable ${app} should exit 1`);
    assert.ok(badResult.summary.bySeverity.critical + badResult.summary.bySeverity.high > 0);
    assert.ok(badResult.functions.length > 0 && (badResult.functions[0]?.risk.score ?? 0) >= 60, 'its riskiest function is at least high');
    assert.equal(badResult.diagnostics.filter((d) => d.level === 'error').length, 0, JSON.stringify(badResult.diagnostics));
    // the handler code has injection flaws we wrote on purpose (issue 3), found with their flows
    const expectedCode = EXPECTED_CODE_FINDINGS[app] ?? [];
    const code = badResult.findings
      .filter((f) => /^(INJ|OTH)-/.test(f.ruleId) && f.severity !== 'low')
      .map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`);
    assert.deepEqual(code.sort(), [...expectedCode].sort(), `code findings of vulnerable ${app}`);
    for (const f of badResult.findings.filter((x) => x.ruleId.startsWith('INJ-')))
      assert.ok((f.flow?.length ?? 0) >= 2 && f.flow?.[0]?.note.startsWith('source:'), `${f.ruleId} carries its flow from the source`);

    const fixedDir = join(REPO_DIR, 'examples', 'fixed', app);
    assert.ok(existsSync(fixedDir), `examples/fixed/${app} (the fixed twin) is missing`);
    const io2 = captureIo(REPO_DIR);
    const good = await run(['scan', join('examples', 'fixed', app), '--format', 'json'], io2);
    const goodResult = JSON.parse(io2.out) as Result;
    const high = goodResult.findings.filter((f) => !f.suppressed && (f.severity === 'high' || f.severity === 'critical'));
    assert.deepEqual(
      high.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`),
      [],
      `fixed ${app} should report nothing at high or above`,
    );
    assert.deepEqual(
      goodResult.findings
        .filter((f) => /^(INJ|OTH)-/.test(f.ruleId) && !f.suppressed)
        .map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`),
      [],
      `fixed ${app} has no code findings`,
    );
    assert.equal(good, 0);
    assert.ok(goodResult.functions.length > 0, 'the fixed twin still has functions');
  });
}
