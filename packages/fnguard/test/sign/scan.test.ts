// `fnguard scan --verify-key`: the CLI option reaches SUP-08; without it nothing is verified; a bad key is a
// diagnostic, not a crash.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULE_FIXTURES_DIR } from '../helpers/index.js';
import { cli } from './helpers.js';

const fixture = (kind: string, name: string) => join(RULE_FIXTURES_DIR, 'SUP-08', kind, name);

describe('fnguard scan --verify-key', () => {
  test('reports a tampered package (exit 1 at --fail-on high) and passes a signed one', async () => {
    const bad = fixture('fail', 'sam-changed-file');
    const r = await cli(bad, 'scan', '.', '--verify-key', 'signing.pub', '--rule', 'SUP-08', '--format', 'json');
    assert.equal(r.code, 1, r.err);
    const out = JSON.parse(r.out);
    assert.equal(out.findings.length, 1);
    assert.equal(out.findings[0].ruleId, 'SUP-08');
    assert.match(out.findings[0].message, /does not verify: changed file: lib\/util\.js/);
    const good = fixture('pass', 'sam');
    const ok = await cli(good, 'scan', '.', '--verify-key', 'signing.pub', '--rule', 'SUP-08', '--format', 'json');
    assert.equal(ok.code, 0, ok.out);
    assert.equal(JSON.parse(ok.out).findings.length, 0);
  });

  test('a trust.yml works as --verify-key', async () => {
    const bad = fixture('fail', 'sam-untrusted-key');
    const { mkdtempSync, writeFileSync, copyFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'fnguard-trust-'));
    copyFileSync(join(bad, 'signing.pub'), join(dir, 'k.pub'));
    writeFileSync(join(dir, 'trust.yml'), 'keys:\n  - id: ci\n    publicKey: k.pub\n    functions: ["*"]\n');
    const r = await cli(bad, 'scan', '.', '--verify-key', join(dir, 'trust.yml'), '--rule', 'SUP-08', '--format', 'json');
    assert.equal(r.code, 1);
    assert.match(JSON.parse(r.out).findings[0].message, /wrong key/);
  });

  test('without --verify-key nothing is verified', async () => {
    const r = await cli(fixture('fail', 'sam-changed-file'), 'scan', '.', '--rule', 'SUP-08', '--format', 'json');
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.out).findings.length, 0);
  });

  test('an unreadable key is an error diagnostic naming the file', async () => {
    const r = await cli(
      fixture('fail', 'sam-changed-file'),
      'scan',
      '.',
      '--verify-key',
      'missing.pub',
      '--rule',
      'SUP-08',
      '--format',
      'json',
    );
    const out = JSON.parse(r.out);
    assert.equal(out.findings.length, 0);
    const d = out.diagnostics.find((x: { message: string }) => /--verify-key/.test(x.message));
    assert.ok(d, r.out);
    assert.match(d.file, /missing\.pub$/);
  });
});
