/**
 * Dependency matching at scale (issue 5): a 3,000-package package-lock.json against 200,000 OSV
 * records in an all.zip. Prints: index build (first load), DB load with the cached index,
 * lockfile parse and match time. Targets: load < 2 s with the index, match < 1 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { shippedPackages } from '../packages/fnguard/src/analyze/deps/graph.js';
import { parseLockfile } from '../packages/fnguard/src/analyze/deps/lockfiles/index.js';
import { matchPackage } from '../packages/fnguard/src/analyze/deps/merge.js';
import { openAdvisoryDb } from '../packages/fnguard/src/analyze/deps/osv/db.js';
import { testZip } from '../packages/fnguard/test/helpers/testZip.js';

const PACKAGES = 3000;
const RECORDS = 200_000;
const NAMES = 60_000; // distinct package names in the database (the lockfile uses 3,000 of them)

const dir = mkdtempSync(join(tmpdir(), 'fnguard-deps-bench-'));
const cache = mkdtempSync(join(tmpdir(), 'fnguard-deps-cache-'));
try {
  let t = performance.now();
  const entries = [];
  for (let i = 0; i < RECORDS; i++) {
    const name = `pkg-${i % NAMES}`;
    const rec = {
      schema_version: '1.6.0',
      id: `GHSA-bench-${i}`,
      aliases: [`CVE-2099-${i}`],
      summary: `Synthetic advisory ${i} for ${name}`,
      modified: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: `${1 + (i % 5)}.${i % 10}.0` }] }],
          database_specific: { severity: ['LOW', 'MODERATE', 'HIGH', 'CRITICAL'][i % 4] },
        },
      ],
      references: [{ type: 'ADVISORY', url: `https://github.com/advisories/GHSA-bench-${i}` }],
    };
    entries.push({ name: `${rec.id}.json`, data: JSON.stringify(rec) });
  }
  writeFileSync(join(dir, 'npm-all.zip'), testZip(entries));
  console.log(`generated ${RECORDS} records (zip) in ${Math.round(performance.now() - t)} ms`);

  const packages: Record<string, unknown> = {
    '': { name: 'bench', dependencies: Object.fromEntries(Array.from({ length: PACKAGES }, (_, i) => [`pkg-${i * 20}`, '*'])) },
  };
  for (let i = 0; i < PACKAGES; i++) {
    const name = `pkg-${i * 20}`;
    const deps = i % 10 === 0 ? Object.fromEntries(Array.from({ length: 9 }, (_, k) => [`pkg-${(i + k + 1) * 20}`, '*'])) : undefined;
    packages[`node_modules/${name}`] = {
      version: `${i % 4}.${i % 7}.${i % 3}`,
      resolved: `https://registry.npmjs.org/${name}/-/${name}-1.0.0.tgz`,
      ...(deps ? { dependencies: deps } : {}),
    };
  }
  const lockText = JSON.stringify({ name: 'bench', lockfileVersion: 3, packages }, null, 2);

  t = performance.now();
  const first = openAdvisoryDb(dir, { cacheDir: cache });
  first.close();
  console.log(
    `first load (reads the zip, builds and caches the index): ${Math.round(performance.now() - t)} ms, ${first.info.records} records, ${first.info.packages} packages`,
  );

  t = performance.now();
  const db = openAdvisoryDb(dir, { cacheDir: cache });
  const loadMs = performance.now() - t;
  console.log(`DB load with the cached index: ${Math.round(loadMs)} ms (target < 2000 ms; cached=${db.info.cachedIndex})`);

  t = performance.now();
  const { graph } = parseLockfile('package-lock', lockText, join(dir, 'package-lock.json'), { root: dir, maxFileSize: 1e9 });
  const shipped = shippedPackages(graph, '', false);
  const parseMs = performance.now() - t;
  t = performance.now();
  let vulns = 0;
  for (const p of shipped) vulns += matchPackage(db, p.ecosystem, p.name, p.version).length;
  const matchMs = performance.now() - t;
  db.close();
  console.log(`lockfile parse (${shipped.length} packages): ${Math.round(parseMs)} ms`);
  console.log(`match ${shipped.length} packages: ${Math.round(matchMs)} ms, ${vulns} vulnerabilities (target < 1000 ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
}
