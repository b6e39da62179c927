import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { run } from '../../src/cli/run.js';
import { exitCodeFor, pairOutputs } from '../../src/cli/scanCommand.js';
import type { Result } from '../../src/engine/types.js';
import { captureIo } from '../helpers/cliIo.js';
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
const scanDefaults = { adapters: [fnlistAdapter], registry: testRules(), now: FIXED_NOW };
async function cli(argv: string[], cwd: string, env: Record<string, string> = {}, tty = false) {
  const io = captureIo(cwd, env, tty);
  const code = await run(argv, io, { scanDefaults });
  return { code, out: io.out, err: io.err };
}

describe('fnguard CLI', () => {
  test('--version, --help, <cmd> --help, unknown command', async () => {
    const cwd = project({});
    const v = await cli(['--version'], cwd);
    assert.equal(v.code, 0);
    assert.match(v.out, /^\d+\.\d+\.\d+\n$/);
    const h = await cli(['--help'], cwd);
    assert.equal(h.code, 0);
    assert.match(h.out, /Usage: fnguard <command>/);
    assert.match(h.out, /scan\s+scan a project/);
    assert.match(h.out, /rules\s+list every rule/);
    const sh = await cli(['scan', '--help'], cwd);
    assert.equal(sh.code, 0);
    assert.match(sh.out, /--fail-on LEVEL/);
    const u = await cli(['frobnicate'], cwd);
    assert.equal(u.code, 2);
    assert.match(u.err, /unknown command 'frobnicate'/);
    assert.equal((await cli([], cwd)).code, 2);
  });

  test('exit codes follow --fail-on', async () => {
    const root = project({ 'a.fnlist': 'api env:SECRET=1\n' }); // one medium finding
    assert.equal((await cli(['scan', root], root)).code, 0, 'default fail-on high: a medium finding passes');
    assert.equal((await cli(['scan', root, '--fail-on', 'medium'], root)).code, 1);
    assert.equal((await cli(['scan', root, '--fail-on', 'low'], root)).code, 1);
    assert.equal((await cli(['scan', root, '--fail-on', 'none'], root)).code, 0);
    const pub = project({ 'a.fnlist': 'api public\n' }); // a high finding
    assert.equal((await cli(['scan', pub], pub)).code, 1);
    assert.equal((await cli(['scan', pub, '--skip-rule', 'EXPO-*'], pub)).code, 0);
    assert.equal((await cli(['scan', pub, '--rule', 'SEC-92'], pub)).code, 0);
  });

  test('usage errors exit 2', async () => {
    const root = project({ 'a.fnlist': 'api\n' });
    for (const argv of [
      ['scan', root, '--fail-on', 'severe'],
      ['scan', root, '--severity', 'nope'],
      ['scan', root, '--format', 'xml'],
      ['scan', root, '--bogus'],
      ['scan', join(root, 'missing')],
      ['scan', root, '--param', 'novalue'],
      ['scan', root, '--format', 'json', '--format', 'sarif'],
      ['scan', root, '--baseline', join(root, 'nope.json')],
    ]) {
      const r = await cli(argv, root);
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.err}`);
      assert.match(r.err, /^fnguard: /);
    }
  });

  test('several formats, each with its own output; json follows the contract', async () => {
    const root = project({ 'a.fnlist': 'api public env:SECRET=1\n' });
    const r = await cli(
      [
        'scan',
        '.',
        '--format',
        'json',
        '--output',
        'out/a.json',
        '--format',
        'sarif',
        '--output',
        'out/b.sarif',
        '--format',
        'markdown',
        '-o',
        'out/c.md',
        '--format',
        'text',
        '--fail-on',
        'none',
      ],
      root,
    );
    assert.equal(r.code, 0);
    const json = JSON.parse(readFileSync(join(root, 'out/a.json'), 'utf8')) as Result;
    assert.equal(json.schemaVersion, 1);
    assert.equal(json.findings.length, 2);
    const sarif = JSON.parse(readFileSync(join(root, 'out/b.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results.length, 2);
    assert.match(readFileSync(join(root, 'out/c.md'), 'utf8'), /## fnguard scan/);
    assert.match(r.out, /Functions by risk/);
    assert.match(r.err, /wrote json report/);
  });

  test('a single file can be scanned', async () => {
    const root = project({ 'a.fnlist': 'api public\n', 'b.fnlist': 'other public\n' });
    const r = await cli(['scan', 'a.fnlist', '--format', 'json'], root);
    assert.equal(r.code, 1);
    const res = JSON.parse(r.out) as Result;
    assert.equal(res.root, root);
    assert.deepEqual(
      res.findings.map((f) => f.location.file),
      ['a.fnlist'],
    );
  });

  test('several files: only those are scanned, relative to the current directory (pre-commit)', async () => {
    const root = project({ 'a.fnlist': 'api public\n', 'b.fnlist': 'other public\n', 'c.fnlist': 'third public\n' });
    const r = await cli(['scan', 'a.fnlist', 'c.fnlist', '--format', 'json'], root);
    assert.equal(r.code, 1);
    const res = JSON.parse(r.out) as Result;
    assert.deepEqual(res.findings.map((f) => f.location.file).sort(), ['a.fnlist', 'c.fnlist']);
    const dir = await cli(['scan', 'a.fnlist', '.'], root);
    assert.equal(dir.code, 2);
  });

  test('an --output alone takes its format from the extension', () => {
    assert.deepEqual(
      pairOutputs([
        { kind: 'option', name: 'output', value: 'x.sarif', index: 0 },
        { kind: 'option', name: 'format', value: 'json', index: 1 },
        { kind: 'option', name: 'format', value: 'text', index: 2 },
        { kind: 'option', name: 'output', value: 'r.txt', index: 3 },
        { kind: 'option', name: 'output', value: 'r.md', index: 4 },
      ]),
      [
        { format: 'sarif', output: 'x.sarif' },
        { format: 'json' },
        { format: 'text', output: 'r.txt' },
        { format: 'markdown', output: 'r.md' },
      ],
    );
  });

  test('colour: on for a TTY or FORCE_COLOR, off with --no-color, NO_COLOR or no TTY', async () => {
    const root = project({ 'a.fnlist': 'api public\n' });
    const esc = '\x1b[';
    assert.ok((await cli(['scan', root], root, {}, true)).out.includes(esc));
    assert.ok(!(await cli(['scan', root, '--no-color'], root, {}, true)).out.includes(esc));
    assert.ok(!(await cli(['scan', root], root, { NO_COLOR: '1' }, true)).out.includes(esc));
    assert.ok(!(await cli(['scan', root], root, {}, false)).out.includes(esc));
    assert.ok((await cli(['scan', root], root, { FORCE_COLOR: '1' }, false)).out.includes(esc), 'FORCE_COLOR without a TTY');
    assert.ok(!(await cli(['scan', root], root, { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).out.includes(esc), 'NO_COLOR wins');
  });

  test('--quiet prints findings and the summary only', async () => {
    const root = project({ 'a.fnlist': 'api public\n' });
    const r = await cli(['scan', root, '--quiet'], root);
    assert.doesNotMatch(r.out, /Functions by risk/);
    assert.match(r.out, /EXPO-91/);
    assert.match(r.out, /Summary:/);
  });

  test('.fnguard.yml is found in the scanned directory; flags override it', async () => {
    const root = project({ 'a.fnlist': 'api env:SECRET=1\n', '.fnguard.yml': 'fail-on: medium\nskip-rule: [CFG-95]\n' });
    assert.equal((await cli(['scan', root], root)).code, 1, 'config fail-on medium applies');
    assert.equal((await cli(['scan', root, '--fail-on', 'high'], root)).code, 0, 'flag overrides config');
    const bad = project({ 'a.fnlist': 'api\n', '.fnguard.yml': 'fail-on: high\nbogus: 1\n' });
    const r = await cli(['scan', bad], bad);
    assert.equal(r.code, 2);
    assert.match(r.err, /\.fnguard\.yml:2: unknown option 'bogus'/);
    const other = project({ 'cfg.yml': 'severity: high\nformat: json\n' });
    const r2 = await cli(['scan', root, '--config', join(other, 'cfg.yml'), '--fail-on', 'none'], root);
    const json = JSON.parse(r2.out) as Result;
    assert.deepEqual(
      json.findings.map((f) => f.ruleId),
      [],
      'severity high from --config drops the medium finding',
    );
  });

  test('--write-baseline then --baseline: only new findings fail', async () => {
    const root = project({ 'a.fnlist': 'api public\n' });
    const w = await cli(['scan', '.', '--write-baseline', 'fnguard-baseline.json'], root);
    assert.equal(w.code, 1);
    const base = JSON.parse(readFileSync(join(root, 'fnguard-baseline.json'), 'utf8'));
    assert.equal(base.findings.length, 1);
    const again = await cli(['scan', '.', '--baseline', 'fnguard-baseline.json', '--format', 'json'], root);
    assert.equal(again.code, 0, again.err);
    const res = JSON.parse(again.out) as Result;
    assert.equal(res.findings[0]?.suppression?.kind, 'baseline');
    const grown = project({ 'a.fnlist': 'api public\nnew public\n' });
    const r = await cli(['scan', '.', '--baseline', join(root, 'fnguard-baseline.json')], grown);
    assert.equal(r.code, 1);
  });

  test('--stage, --region and --param reach the adapters', async () => {
    const seen: Record<string, string>[] = [];
    const root = project({ 'a.fnlist': 'api\n' });
    const io = captureIo(root);
    await run(['scan', root, '--stage', 'prod', '--region', 'eu-west-1', '--param', 'domain=example.com'], io, {
      scanDefaults: {
        registry: [],
        adapters: [
          {
            id: 'spy',
            select: (f) => f.slice(0, 1),
            async load(_files, ctx) {
              seen.push(ctx.opts);
              return {};
            },
          },
        ],
      },
    });
    assert.deepEqual(seen[0], { stage: 'prod', region: 'eu-west-1', 'param:domain': 'example.com' });
  });

  test('fnguard rules lists every rule offline, text and json', async () => {
    const cwd = project({});
    const t = await cli(['rules'], cwd);
    assert.equal(t.code, 0);
    assert.match(t.out, /ID\s+SEVERITY\s+TITLE\s+DOCS/);
    const j = await cli(['rules', '--format', 'json'], cwd);
    const list = JSON.parse(j.out) as { id: string; docs: string; severity: string }[];
    const { allRules } = await import('../../src/rules/index.js');
    assert.equal(list.length, allRules.length);
    for (const r of list) assert.match(r.docs, new RegExp(`docs/rules/${r.id}\\.md$`));
    assert.equal((await cli(['rules', '--format', 'xml'], cwd)).code, 2);
    const first = allRules[0];
    if (first) {
      const one = await cli(['rules', first.meta.id.toLowerCase()], cwd);
      assert.equal(one.code, 0);
      assert.ok(one.out.startsWith(`# ${first.meta.id}: ${first.meta.title}`));
      assert.equal(JSON.parse((await cli(['rules', first.meta.id, '--format', 'json'], cwd)).out).id, first.meta.id);
    }
    assert.equal((await cli(['rules', 'NOPE-01'], cwd)).code, 2);
  });

  test('exitCodeFor ignores suppressed findings', () => {
    const res = {
      findings: [
        { severity: 'critical', suppressed: true },
        { severity: 'low', suppressed: false },
      ],
    } as unknown as Result;
    assert.equal(exitCodeFor(res, 'high'), 0);
    assert.equal(exitCodeFor(res, 'low'), 1);
    assert.equal(exitCodeFor(res, 'none'), 0);
  });
});
