/**
 * Code-signing timings (issue 7). Generates 20 MB of function code in two shapes (2,000 files of 10 KB, like a
 * node_modules tree; 40 files of 500 KB, like a bundled function), then prints:
 * - cold-start verification in-process (@fnguard/shield coldStart: hash the tree, verify the DSSE envelope),
 *   first run and median of 7 (warm page cache), against the 50 ms budget;
 * - the same inside a fresh `node --require register` process, as reported by its integrity line, on every Node
 *   binary available (the system one and node22/24/26 from the devDependencies: the Lambda runtimes differ);
 * - `fnguard sign` and `fnguard verify` library times for the directory and for its zip.
 * Never fails on timing. A 128 MB Lambda has a fraction of a core: expect several times these figures there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coldStartConfig, verifyTask } from '@fnguard/shield/coldstart';
import { sha256Hex } from '@fnguard/shield/integrity';
import { readPackage } from '../packages/fnguard/src/sign/package.js';
import { defaultBundlePath, signPackage } from '../packages/fnguard/src/sign/sign.js';
import { fileSigner, generateKeyPair } from '../packages/fnguard/src/sign/signers.js';
import { anySubjectPolicy } from '../packages/fnguard/src/sign/trust.js';
import { verifyPackage } from '../packages/fnguard/src/sign/verify.js';
import { type ZipEntry, zip } from '../packages/shield/src/zip.cjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const register = join(repo, 'packages/shield/dist/register.cjs');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ms = (t0: number) => performance.now() - t0;
const f1 = (x: number) => x.toFixed(1);
const nodes = [{ name: `node${process.versions.node.split('.')[0]}`, path: process.execPath }];
for (const v of [22, 24, 26]) {
  const p = join(repo, 'node_modules', `node${v}`, 'bin', 'node');
  if (existsSync(p)) nodes.push({ name: `node${v}`, path: p });
}
const FRESH_RUNS = 9;
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (2 cores: figures are only meaningful near 0)`,
);

function makeTree(dir: string, files: number, size: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  for (let i = 0; i < files; i++) {
    const rel = `node_modules/pkg${i % 50}/lib/file${i}.js`;
    const data = Buffer.alloc(size);
    for (let j = 0; j < size; j += 4) data.writeUInt32LE((i * 2654435761 + j * 40503) >>> 0, j);
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), data);
    entries.push({ name: rel, data });
  }
  return entries;
}

const work = mkdtempSync(join(tmpdir(), 'fnguard-sign-bench-'));
try {
  const pair = generateKeyPair('ed25519');
  const keyFile = join(work, 'k.pub');
  writeFileSync(keyFile, pair.publicPem);
  const signer = fileSigner(pair.privatePem);
  const policy = anySubjectPolicy([{ id: 'bench', key: signer.publicKey }]);
  for (const [files, size] of [
    [2000, 10 * 1024],
    [40, 500 * 1024],
  ] as const) {
    const label = `${files} files x ${size / 1024} KB (${f1((files * size) / 2 ** 20)} MiB)`;
    const dir = join(work, `task-${files}`);
    mkdirSync(dir);
    const entries = makeTree(dir, files, size);
    const zipFile = join(work, `task-${files}.zip`);
    writeFileSync(zipFile, zip(entries));

    let t0 = performance.now();
    const pkg = await readPackage(dir);
    const signed = await signPackage(pkg, signer, { name: 'fn:bench' });
    const signDir = ms(t0);
    mkdirSync(join(dir, '.lambda-sig'));
    writeFileSync(defaultBundlePath(pkg), JSON.stringify(signed.bundle));
    t0 = performance.now();
    const zpkg = await readPackage(zipFile);
    const zsigned = await signPackage(zpkg, signer, { name: 'fn:bench' });
    const signZip = ms(t0);
    writeFileSync(defaultBundlePath(zpkg), JSON.stringify(zsigned.bundle));
    t0 = performance.now();
    const vd = await verifyPackage(dir, { policy });
    const verifyDir = ms(t0);
    t0 = performance.now();
    const vz = await verifyPackage(zipFile, { policy });
    const verifyZip = ms(t0);
    if (!vd.ok || !vz.ok) throw new Error(`bench packages do not verify: ${vd.message} / ${vz.message}`);

    const env = { FNGUARD_VERIFY: 'task', FNGUARD_VERIFY_KEY: keyFile, LAMBDA_TASK_ROOT: dir };
    const runs: number[] = [];
    const cfg = coldStartConfig(env);
    if (!cfg) throw new Error('cold-start check not enabled');
    for (let i = 0; i < 8; i++) {
      t0 = performance.now();
      verifyTask(cfg); // throws when the tree does not match
      runs.push(ms(t0));
    }
    // the floor: sha256 of the same number of bytes in one buffer
    const blob = Buffer.alloc(files * size, 7);
    const hashOnly: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      sha256Hex(blob);
      hashOnly.push(ms(t0));
    }
    const fresh: string[] = [];
    for (const node of nodes) {
      const proc: number[] = [];
      for (let i = 0; i < FRESH_RUNS; i++) {
        const r = spawnSync(node.path, ['--require', register, '-e', '0'], { env: { ...process.env, ...env }, encoding: 'utf8' });
        const line = r.stdout.split('\n').find((l) => l.includes('"event":"integrity"'));
        if (line) proc.push(JSON.parse(line).ms);
      }
      if (proc.length) fresh.push(`${node.name} ${f1(median(proc))} (min ${f1(Math.min(...proc))})`);
    }
    console.log(`\n${label}`);
    console.log(
      `  cold-start verify (in-process): first ${f1(runs[0] as number)} ms, median ${f1(median(runs.slice(1)))} ms (budget 50 ms)`,
    );
    console.log(`  sha256 of ${f1((files * size) / 2 ** 20)} MiB in one buffer (floor): median ${f1(median(hashOnly))} ms`);
    console.log(`  cold-start verify (fresh node --require register, median of ${FRESH_RUNS}): ${fresh.join(', ')} ms (budget 50 ms)`);
    console.log(`  fnguard sign:   directory ${f1(signDir)} ms, zip ${f1(signZip)} ms`);
    console.log(`  fnguard verify: directory ${f1(verifyDir)} ms, zip ${f1(verifyZip)} ms`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
