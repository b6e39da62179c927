/**
 * Secret scanning throughput (issue 3: 150 MiB/s or more on a tree of about 20,000 files / 190 MiB;
 * a plain read of the same tree is about 400 MiB/s here).
 *
 * Generates (once, cached under bench/.generated/secrets-tree) a tree of ~20,000 files and ~190 MiB:
 * real JavaScript, TypeScript, JSON and Markdown cut from the installed node_modules, plus generated
 * YAML, .env, Terraform and Python files, with a few fake secrets planted. Then, from a warm page
 * cache, prints the plain read speed of the same files (readFileSync of each) and the speed of the
 * secrets analyzer (read + scan), best and median of 5 runs. Never fails on timing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { secretsAnalyzer } from '../packages/fnguard/src/analyze/secrets/index.js';
import type { AnalyzerInput } from '../packages/fnguard/src/analyze/types.js';
import { discover } from '../packages/fnguard/src/discover/discover.js';
import { emptyApp } from '../packages/fnguard/src/model/types.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const root = join(repo, 'bench', '.generated', 'secrets-tree');
const VERSION = 'v2';
const TARGET_FILES = 20_000;
const TARGET_BYTES = 190 * 1024 * 1024;

/** Deterministic pseudo-random numbers (xorshift). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Real text from the installed packages: the corpus the code files are cut from. */
function corpus(): string {
  const parts: string[] = [];
  let total = 0;
  const walk = (dir: string, depth: number) => {
    if (total > 60 * 1024 * 1024 || depth > 12) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        // not our own packages (linked into node_modules): their fixtures are full of fake secrets
        if (n !== 'fnguard' && n !== '@fnguard' && n !== 'fixtures') walk(p, depth + 1);
      } else if (/\.(?:js|mjs|cjs|ts|mts|md|json)$/.test(n) && st.size > 200 && st.size < 8 * 1024 * 1024) {
        const t = readFileSync(p, 'utf8');
        parts.push(t);
        total += t.length;
      }
    }
  };
  walk(join(repo, 'node_modules'), 0);
  return parts.join('\n');
}

const PLANTED = [
  // fake values in real formats (not the providers' documented examples)
  "const AWS_ACCESS_KEY_ID = 'AKIA4XQZ7N2M5RB3KW6P';\nconst AWS_SECRET_ACCESS_KEY = 'rT4bN8xK2vQ9mW5zL3cH7jP1sD6fG0aY2eU8iO4n';\n", // fnguard-ignore CSEC-*: fake, planted in the benchmark tree
  "export const githubToken = 'ghp_R7x2Kq9LmZ4vT8wN3bC6yP1dF5hJ0sA2eG7u';\n", // fnguard-ignore CSEC-*: fake, planted in the benchmark tree
  'DATABASE_URL=postgres://orders:Vq7!nR2x9LpZ@orders.cluster-c8x2.eu-west-1.rds.amazonaws.com:5432/orders\n', // fnguard-ignore CSEC-*: fake, planted in the benchmark tree
  "const slack = process.env.SLACK_TOKEN || 'xoxb-2048163307-4093815523-Zr8QxN3kT7vL2mP9wB4cY6hD';\n", // fnguard-ignore CSEC-*: fake, planted in the benchmark tree
  "API_SECRET = os.environ.get('API_SECRET', 'k9Zq2Lm7Xv4Rt8Wn3Bp6Yc1D')\n", // fnguard-ignore CSEC-*: fake, planted in the benchmark tree
];

function generate(): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const text = corpus();
  const rand = rng(20260);
  const kinds = [
    ['js', 40],
    ['ts', 20],
    ['json', 10],
    ['md', 8],
    ['yml', 8],
    ['py', 8],
    ['tf', 3],
    ['env', 1],
    ['txt', 2],
  ] as const;
  const totalWeight = kinds.reduce((n, [, w]) => n + w, 0);
  const pick = () => {
    let r = rand() * totalWeight;
    for (const [k, w] of kinds) {
      r -= w;
      if (r < 0) return k;
    }
    return 'js';
  };
  const avg = TARGET_BYTES / TARGET_FILES;
  let bytes = 0;
  let planted = 0;
  for (let i = 0; i < TARGET_FILES; i++) {
    const ext = pick();
    const dir = join(root, `service-${i % 40}`, ext === 'md' ? 'docs' : 'src', `mod-${Math.floor(i / 40) % 25}`);
    mkdirSync(dir, { recursive: true });
    const len = Math.max(300, Math.round(avg * (0.2 + rand() * 1.6)));
    const at = Math.floor(rand() * Math.max(1, text.length - len));
    let body: string;
    if (ext === 'yml')
      body = `service: svc-${i}\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n    TABLE_NAME: orders-${i}\n    LOG_LEVEL: info\n${'# '.repeat(1)}${text.slice(at, at + len).replace(/\n/g, '\n# ')}\n`;
    else if (ext === 'py')
      body = `import os\n\nTABLE = os.environ.get('TABLE_NAME', 'orders')\n\n\ndef handler(event, context):\n    return {'statusCode': 200}\n\n"""\n${text.slice(at, at + len).replace(/"""/g, '')}\n"""\n`;
    else if (ext === 'tf')
      body = `resource "aws_lambda_function" "f${i}" {\n  function_name = "f${i}"\n  runtime = "nodejs20.x"\n  handler = "index.handler"\n}\n/*\n${text.slice(at, at + len).replace(/\*\//g, '')}\n*/\n`;
    else if (ext === 'env') body = `PORT=3000\nLOG_LEVEL=debug\nTABLE_NAME=orders\nREGION=eu-west-1\n`;
    else body = text.slice(at, at + len);
    if (i % 997 === 0) {
      body += `\n${PLANTED[planted % PLANTED.length]}`;
      planted++;
    }
    const name = ext === 'env' ? `.env.${i}` : `file-${i}.${ext}`;
    writeFileSync(join(dir, name), body);
    bytes += Buffer.byteLength(body);
  }
  writeFileSync(join(root, '.version'), `${VERSION} ${TARGET_FILES} ${bytes} ${planted}\n`);
}

const versionFile = join(root, '.version');
if (!existsSync(versionFile) || !readFileSync(versionFile, 'utf8').startsWith(`${VERSION} `)) {
  const t = performance.now();
  generate();
  console.log(`generated ${root} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const found = await discover(root);
const files = found.files;
const totalBytes = files.reduce((n, f) => n + f.size, 0);
const mib = totalBytes / 1024 / 1024;
console.log(`tree: ${files.length} files, ${mib.toFixed(1)} MiB (${root})`);

function measure(label: string, fn: () => unknown, runs = 5): number {
  fn(); // warm the page cache and the JIT
  const times: number[] = [];
  let result: unknown;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const best = times[0] as number;
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(
    `${label.padEnd(30)} best ${(mib / (best / 1000)).toFixed(0).padStart(4)} MiB/s (${best.toFixed(0)} ms), median ${(mib / (median / 1000)).toFixed(0).padStart(4)} MiB/s${result !== undefined ? `  ${String(result)}` : ''}`,
  );
  return best;
}

const readBest = measure('plain read (readFileSync each)', () => {
  let n = 0;
  for (const f of files) n += readFileSync(f.path).length;
  return `${n} bytes`;
});

const input: AnalyzerInput = {
  app: emptyApp(root),
  files,
  options: { root, now: new Date() },
  diagnostic: () => {},
  fact: () => Promise.reject(new Error('no facts')),
};
let last: Awaited<ReturnType<typeof secretsAnalyzer.run>> | undefined;
const scanBest = measure('secrets scan (read + scan)', () => {
  last = secretsAnalyzer.run(input) as Awaited<ReturnType<typeof secretsAnalyzer.run>>;
  return `${last.findings.length} secrets in ${last.byFile.size} files`;
});
console.log(
  `scan / plain read: ${((100 * readBest) / scanBest).toFixed(0)}% of the plain read speed (load average ${loadavg()[0]?.toFixed(1)})`,
);
if (last) {
  const byRule = new Map<string, number>();
  for (const s of last.findings) byRule.set(s.rule, (byRule.get(s.rule) ?? 0) + 1);
  console.log(`secrets by rule: ${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  console.log(`scanned ${last.filesScanned} files, ${(last.bytesScanned / 1024 / 1024).toFixed(1)} MiB`);
}
console.log(`peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
