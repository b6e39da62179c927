import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FunctionCode } from '../../../src/analyze/code/types.js';
import { matchPackage } from '../../../src/analyze/deps/merge.js';
import { cvss3Score } from '../../../src/analyze/deps/osv/cvss.js';
import { openAdvisoryDb } from '../../../src/analyze/deps/osv/db.js';
import { packageAffected } from '../../../src/analyze/deps/osv/match.js';
import { type Advisory, reduceRecord } from '../../../src/analyze/deps/osv/record.js';
import { comparePep440 } from '../../../src/analyze/deps/osv/versions.js';
import { ZipReader } from '../../../src/analyze/deps/osv/zip.js';
import { importNamesOf, scanPythonImports } from '../../../src/analyze/deps/pythonImports.js';
import { adjustedSeverity, reachability } from '../../../src/analyze/deps/reach.js';
import type { ShippedPackage } from '../../../src/analyze/deps/types.js';
import { PKG_DIR, rmTree, tmpTree } from '../../helpers/index.js';
import { testZip } from '../../helpers/testZip.js';

const FIXTURE_DB = join(PKG_DIR, 'data', 'osv-fixture');

function osv(id: string, eco: string, name: string, events: Record<string, string>[], extra: Record<string, unknown> = {}) {
  return {
    id,
    affected: [{ package: { ecosystem: eco, name }, ranges: [{ type: eco === 'npm' ? 'SEMVER' : 'ECOSYSTEM', events }] }],
    ...extra,
  };
}
const adv = (r: unknown) => reduceRecord(r) as Advisory;
const db = (list: Advisory[]) => ({ lookup: () => list });

describe('PEP 440', () => {
  test('orders dev < pre < final < post, epochs, local, normalization', () => {
    const ordered = [
      '1.0.dev0',
      '1.0a1.dev1',
      '1.0a1',
      '1.0b2',
      '1.0rc1',
      '1.0',
      '1.0+local.1',
      '1.0.post1.dev0',
      '1.0.post1',
      '1.1',
      '2!0.1',
    ];
    for (let i = 0; i + 1 < ordered.length; i++)
      assert.equal(comparePep440(ordered[i] as string, ordered[i + 1] as string), -1, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.equal(comparePep440('1.0', '1.0.0'), 0);
    assert.equal(comparePep440('1.0-alpha-1', '1.0a1'), 0);
    assert.equal(comparePep440('1.0c1', '1.0rc1'), 0);
    assert.equal(comparePep440('1.0-1', '1.0.post1'), 0);
    assert.ok(Number.isNaN(comparePep440('not-a-version', '1.0')));
  });
});

describe('OSV events', () => {
  test('introduced/fixed pairs, last_affected, limit, versions list', () => {
    const a = adv(osv('X-1', 'npm', 'p', [{ introduced: '0' }, { fixed: '1.2.6' }, { introduced: '2.0.0' }, { fixed: '2.1.0' }]));
    const aff = (v: string, r = a) => packageAffected('npm', r.affected[0] as Advisory['affected'][number], v);
    assert.equal(aff('1.2.5'), true);
    assert.equal(aff('1.2.6'), false);
    assert.equal(aff('1.9.0'), false);
    assert.equal(aff('2.0.5'), true);
    assert.equal(aff('2.1.0'), false);
    const la = adv(osv('X-2', 'PyPI', 'p', [{ introduced: '1.0' }, { last_affected: '1.4' }]));
    assert.equal(aff('1.4', la) || packageAffected('PyPI', la.affected[0] as never, '1.4'), true);
    assert.equal(packageAffected('PyPI', la.affected[0] as never, '1.4.post1'), false);
    assert.equal(packageAffected('PyPI', la.affected[0] as never, '0.9'), false);
    const lim = adv(osv('X-3', 'PyPI', 'p', [{ introduced: '0' }, { limit: '2.0' }]));
    assert.equal(packageAffected('PyPI', lim.affected[0] as never, '1.9'), true);
    assert.equal(packageAffected('PyPI', lim.affected[0] as never, '2.0'), false);
    const list = adv({ id: 'MAL-1', affected: [{ package: { ecosystem: 'npm', name: 'c' }, versions: ['5.6.1'] }] });
    assert.equal(packageAffected('npm', list.affected[0] as never, '5.6.1'), true);
    assert.equal(packageAffected('npm', list.affected[0] as never, '5.6.2'), false);
  });

  test('withdrawn records are ignored; MAL- is critical; GHSA severity and CVSS v3 used', () => {
    assert.equal(reduceRecord({ ...osv('GHSA-w', 'npm', 'p', [{ introduced: '0' }]), withdrawn: '2023-01-01T00:00:00Z' }), undefined);
    assert.equal(adv(osv('MAL-2025-1', 'npm', 'p', [{ introduced: '0' }])).severity, 'critical');
    assert.equal(adv(osv('GHSA-a', 'npm', 'p', [{ introduced: '0' }], { database_specific: { severity: 'MODERATE' } })).severity, 'medium');
    const v = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    assert.equal(cvss3Score(v), 9.8);
    assert.equal(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), 6.1);
    assert.equal(
      adv(osv('PYSEC-1', 'PyPI', 'p', [{ introduced: '0' }], { severity: [{ type: 'CVSS_V3', score: v }] })).severity,
      'critical',
    );
  });

  test('aliases merge: one finding per vulnerability with every id, lowest fix', () => {
    const ghsa = adv(
      osv('GHSA-aaaa-bbbb-cccc', 'PyPI', 'PyYAML', [{ introduced: '0' }, { fixed: '5.4' }], {
        aliases: ['CVE-2020-1'],
        database_specific: { severity: 'HIGH' },
      }),
    );
    const pysec = adv(
      osv('PYSEC-2021-1', 'PyPI', 'pyyaml', [{ introduced: '0' }, { fixed: '5.4' }], { aliases: ['CVE-2020-1', 'GHSA-aaaa-bbbb-cccc'] }),
    );
    const other = adv(osv('GHSA-zzzz-zzzz-zzzz', 'PyPI', 'pyyaml', [{ introduced: '0' }, { fixed: '5.3.1' }]));
    const m = matchPackage(db([ghsa, pysec, other]), 'PyPI', 'pyyaml', '5.3');
    assert.equal(m.length, 2);
    const merged = m.find((x) => x.ids.includes('CVE-2020-1'));
    assert.deepEqual(merged?.ids, ['GHSA-aaaa-bbbb-cccc', 'PYSEC-2021-1', 'CVE-2020-1']);
    assert.equal(merged?.severity, 'high');
    assert.equal(merged?.fixed, '5.4');
    assert.deepEqual(matchPackage(db([ghsa, pysec, other]), 'PyPI', 'pyyaml', '5.4'), []);
  });
});

describe('advisory database', () => {
  test('the bundled fixture database: real records, matched', () => {
    const d = openAdvisoryDb(FIXTURE_DB);
    assert.ok(d.info.records >= 10);
    const lodash = matchPackage(d, 'npm', 'lodash', '4.17.11').map((m) => m.id);
    assert.deepEqual(lodash.sort(), ['GHSA-jf85-cpcp-j695', 'GHSA-p6mc-m468-83gw']);
    assert.deepEqual(matchPackage(d, 'npm', 'lodash', '4.17.21'), []);
    assert.equal(matchPackage(d, 'npm', 'chalk', '5.6.1')[0]?.malicious, true);
    assert.equal(matchPackage(d, 'PyPI', 'pyyaml', '5.3.1')[0]?.id, 'GHSA-8q59-q68h-6hv4');
    d.close();
  });

  test('zip archives (ZIP64 too) and JSON at any depth; the index is cached and reused; corrupt input becomes diagnostics', () => {
    const dir = tmpTree({});
    const cache = tmpTree({});
    try {
      const records = Array.from({ length: 3000 }, (_, i) => ({
        name: `r${i}.json`,
        data: JSON.stringify(osv(`GHSA-${i}`, 'npm', `pkg${i % 100}`, [{ introduced: '0' }, { fixed: '2.0.0' }])),
      }));
      writeFileSync(join(dir, 'npm-all.zip'), testZip(records, { zip64: true }));
      mkdirSync(join(dir, 'a', 'b'), { recursive: true });
      writeFileSync(join(dir, 'a', 'b', 'PYSEC-1.json'), JSON.stringify(osv('PYSEC-1', 'PyPI', 'Foo_Bar', [{ introduced: '0' }])));
      writeFileSync(join(dir, 'a', 'broken.json'), '{');
      const diags: string[] = [];
      const first = openAdvisoryDb(dir, { cacheDir: cache, indexThreshold: 0, diagnostic: (d) => diags.push(d.message) });
      assert.equal(first.info.records, 3001);
      assert.equal(first.info.cachedIndex, false);
      assert.equal(matchPackage(first, 'npm', 'pkg7', '1.0.0').length, 30);
      first.close();
      assert.ok(diags.some((m) => /invalid JSON/.test(m)));
      const second = openAdvisoryDb(dir, { cacheDir: cache, indexThreshold: 0 });
      assert.equal(second.info.cachedIndex, true);
      assert.equal(matchPackage(second, 'npm', 'pkg7', '1.0.0').length, 30);
      assert.equal(matchPackage(second, 'PyPI', 'foo-bar', '1.0').length, 1);
      second.close();
      // a corrupt archive: an error diagnostic, the rest still loads
      const bad = testZip([{ name: 'x.json', data: '{"id":"GHSA-x"}' }]);
      bad[40] = bad[40] === 0 ? 1 : 0; // flip a byte of the deflated data
      writeFileSync(join(dir, 'bad.zip'), bad);
      const diags2: string[] = [];
      const third = openAdvisoryDb(dir, { cacheDir: cache, indexThreshold: 0, diagnostic: (d) => diags2.push(d.message) });
      assert.equal(third.info.cachedIndex, false, 'sources changed: rebuilt');
      assert.ok(
        diags2.some((m) => /archive not usable/.test(m)),
        diags2.join('\n'),
      );
      third.close();
    } finally {
      rmTree(dir);
      rmTree(cache);
    }
  });

  test('the zip reader refuses zip slip names and bombs', () => {
    const dir = tmpTree({});
    try {
      writeFileSync(join(dir, 'slip.zip'), testZip([{ name: '../../etc/x.json', data: '{}' }]));
      assert.throws(() => new ZipReader(join(dir, 'slip.zip')).entries(), /zip slip/);
      writeFileSync(join(dir, 'bomb.zip'), testZip([{ name: 'b.json', data: Buffer.alloc(40 * 1024 * 1024) }]));
      assert.throws(() => new ZipReader(join(dir, 'bomb.zip')).entries(), /too large|zip bomb/);
      writeFileSync(join(dir, 'junk.zip'), 'not a zip at all');
      assert.throws(() => new ZipReader(join(dir, 'junk.zip')).entries(), /not a zip/);
    } finally {
      rmTree(dir);
    }
  });
});

describe('reachability', () => {
  const pkg = (name: string, path: string[], dev = false): ShippedPackage => ({
    ecosystem: 'npm',
    name,
    version: '1.0.0',
    source: 'registry',
    dev,
    direct: path.length === 1,
    path,
    where: { file: '/r/package-lock.json', line: 3, column: 1 },
  });
  const code = (names: string[]): FunctionCode => ({
    fnId: 'f',
    entryFile: '/r/h.js',
    files: ['/r/h.js'],
    packages: names.map((n, i) => ({ name: n, specifier: n, kind: 'require', where: { file: '/r/h.js', line: i + 1, column: 1 } })),
    unresolved: [],
  });
  test('direct import, transitive through an imported direct dependency, not imported, unknown', () => {
    assert.deepEqual(reachability(pkg('lodash', ['lodash']), code(['lodash'])), {
      kind: 'imported',
      where: { file: '/r/h.js', line: 1, column: 1 },
      via: 'lodash',
    });
    const t = reachability(pkg('qs', ['express', 'qs']), code(['aws-sdk', 'express']));
    assert.equal(t.kind === 'imported' && t.via, 'express');
    assert.equal(reachability(pkg('axios', ['axios']), code(['lodash'])).kind, 'not-imported');
    assert.equal(reachability(pkg('axios', ['axios']), undefined).kind, 'unknown');
    assert.equal(
      reachability(pkg('axios', ['axios']), { ...code([]), entryFile: undefined, missingReason: 'no file' } as FunctionCode).kind,
      'unknown',
    );
  });
  test('not imported or dev ranks one level lower; malicious never', () => {
    assert.equal(adjustedSeverity('critical', { kind: 'not-imported' }, false, false), 'high');
    assert.equal(adjustedSeverity('high', { kind: 'imported', where: { file: 'x', line: 1, column: 1 }, via: 'x' }, false, false), 'high');
    assert.equal(adjustedSeverity('high', { kind: 'unknown', reason: '' }, true, false), 'medium');
    assert.equal(adjustedSeverity('critical', { kind: 'not-imported' }, true, true), 'critical');
  });
});

describe('Python imports (reachability)', () => {
  test('import and from-import, comments and relative imports skipped; distribution names mapped', () => {
    const src = [
      'import os, yaml as y',
      'from bs4 import BeautifulSoup',
      'from . import local',
      '# import requests',
      '  from dateutil.parser import parse',
    ].join('\n');
    assert.deepEqual(
      scanPythonImports(src, '/r/app.py').map((i) => `${i.module}@${i.where.line}`),
      ['os@1', 'yaml@1', 'bs4@2', 'dateutil@5'],
    );
    assert.deepEqual(importNamesOf('PyYAML'), ['yaml']);
    assert.deepEqual(importNamesOf('aws_xray-sdk'), ['aws_xray_sdk']);
  });

  test('only "imported" is claimed for Python; absence stays unknown', () => {
    const py: ShippedPackage = {
      ecosystem: 'PyPI',
      name: 'urllib3',
      version: '1.23',
      source: 'registry',
      dev: false,
      direct: false,
      path: ['requests', 'urllib3'],
      where: { file: '/r/requirements.txt', line: 1, column: 1 },
    };
    const imports = scanPythonImports('import requests\n', '/r/app.py');
    const r = reachability(py, undefined, imports);
    assert.equal(r.kind === 'imported' && r.via, 'requests');
    assert.equal(reachability({ ...py, path: ['urllib3'] }, undefined, imports).kind, 'unknown');
  });
});
