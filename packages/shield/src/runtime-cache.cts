// `node dist/runtime-cache.cjs [--all-flags]`: writes the V8 code cache of dist/runtime.cjs for the Node binary
// that runs it and its V8 flags (with --all-flags: one per entry of FLAG_VARIANTS, each made by a child Node
// started with those flags) to dist/runtime-cache/ (see runtime-loader.cts). Run by the build, by the package's install script and before
// a layer is zipped; the shield works without it. The cache is taken after a default install of the shield, so
// it also holds the functions the install runs. Prints the file written, or why there is none.
import cp = require('node:child_process');
import crypto = require('node:crypto');
import fs = require('node:fs');
import path = require('node:path');

import { CACHE_DIR, cacheFileName, FLAG_VARIANTS, runRuntime } from './runtime-loader.cjs';

/** The key register.cjs looks the cache up by: a sha256 prefix of runtime.cjs. */
export function runtimeKey(src: string): string {
  return crypto.createHash('sha256').update(src).digest('hex').slice(0, 16);
}

function main(): void {
  const file = path.join(__dirname, 'runtime.cjs');
  if (!fs.existsSync(file)) {
    process.stdout.write('no dist/runtime.cjs (not bundled): no code cache\n');
    return;
  }
  const src = fs.readFileSync(file, 'utf8');
  const dir = path.join(__dirname, CACHE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, cacheFileName(runtimeKey(src)));
  // The installed shield guards fs by path: the file is written with the originals, captured before.
  const { openSync, writeSync, closeSync, renameSync } = fs;
  const tmp = `${out}.${process.pid}`;
  const { exports, script } = runRuntime(file, src, undefined, module, require);
  warmPolicyPath(exports as unknown as Parameters<typeof warmPolicyPath>[0]);
  const policy = exports.policyFromEnv({}) ?? exports.normalizeInput(undefined);
  exports.install(policy, 'default');
  const data = script.createCachedData();
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, out);
  process.stdout.write(`${out} (${data.length} bytes)\n`);
}

/**
 * V8 puts in the cache the functions that have been compiled when it is made. The install above runs with the
 * default policy; a function run from FNGUARD_SHIELD_POLICY also parses and checks a policy document, and its first
 * connection compiles the network allow-list. Both are run here once, on a document that uses every field, so that
 * their functions are in the cache too (they were compiled lazily at each cold start before: ~0.4 M instructions).
 * Nothing is installed by this: the policy is only parsed and the matcher only queried.
 */
function warmPolicyPath(rt: typeof import('./core.cjs') & typeof import('./netmatch.cjs')): void {
  const doc = {
    mode: 'block',
    network: {
      mode: 'block',
      allow: ['example.com', 'api.example.com:443', '*.example.org', '10.0.0.0/8', '127.0.0.1', '[::1]:80', 'fd00::1', 'unix:/tmp/s'],
      aws: true,
    },
    childProcess: { mode: 'alert' },
    tmp: 'allow',
    fsRead: { allow: ['/srv/data'] },
    fsWrite: { mode: 'block', allow: ['/srv/out'] },
    readHandler: { mode: 'alert' },
    addons: { allow: ['/opt/native'] },
    workers: { mode: 'block' },
    codeGeneration: { mode: 'block' },
    ffi: { mode: 'block' },
    inspector: { mode: 'block' },
    log: { rateLimit: 20, emf: true },
    kill: false,
    tmpHygiene: true,
    tmpDir: '/tmp',
    taskRoot: '/var/task',
    kernel: 'auto',
  };
  const policy = rt.policyFromEnv({ FNGUARD_SHIELD_POLICY: JSON.stringify(doc) });
  if (!policy) return;
  const m = rt.compileNetAllow([...policy.network.allow, ...rt.AWS_ENDPOINTS, '127.0.0.1:9001']);
  m.host('api.example.com', 443);
  m.host('s3.eu-west-1.amazonaws.com', 443);
  m.host('10.1.2.3', 5432);
  m.ip('127.0.0.1', 9001);
  m.ip('::1', 80);
  m.unix('/tmp/s');
}

function allFlags(): void {
  for (const flags of FLAG_VARIANTS) {
    const r = cp.spawnSync(process.execPath, [...flags, __filename], { stdio: 'inherit', env: { PATH: process.env.PATH ?? '' } });
    if (r.status !== 0) process.exitCode = 1;
  }
}

if (require.main === module) {
  if (process.argv.includes('--all-flags')) allFlags();
  else main();
}
