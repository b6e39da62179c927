// biome-ignore-all lint/suspicious/noTemplateCurlyInString: generated JavaScript source in strings
/**
 * Code analysis throughput (issue 3): parse (oxc-parser) + lower to the taint IR + taint, in MiB/s
 * of JavaScript, on two corpora: (1) generated Lambda handler projects (~4 MiB: handlers with
 * helper modules, SDK calls, loops, callbacks and real injection flows) and (2) the real library
 * JavaScript installed in node_modules (yaml, ajv, semver... whatever is there, up to ~4 MiB),
 * each module analysed as an entry whose every exported function is invoked with a tainted event.
 * Target: >= 20 MiB/s on this 2-core machine. Prints figures; never fails on timing. The load
 * average of a shared machine multiplies the wall times: it is printed, and so is the CPU-time rate.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { codeAnalyzer } from '../packages/fnguard/src/analyze/code/index.js';
import { parseModule } from '../packages/fnguard/src/analyze/code/parse.js';
import { TaintEngine } from '../packages/fnguard/src/analyze/code/taint/engine.js';
import { taintAnalyzer } from '../packages/fnguard/src/analyze/code/taint/index.js';
import type { ModuleIR } from '../packages/fnguard/src/analyze/code/taint/ir.js';
import { lowerJs } from '../packages/fnguard/src/analyze/code/taint/lowerJs.js';
import { sourceSpecFor } from '../packages/fnguard/src/analyze/code/taint/sources.js';
import type { CodeFacts, ParsedModule } from '../packages/fnguard/src/analyze/code/types.js';
import type { AnalyzerInput } from '../packages/fnguard/src/analyze/types.js';
import { discover } from '../packages/fnguard/src/discover/discover.js';
import { loadApp } from '../packages/fnguard/src/load/index.js';
import { irAccess } from './lib/irAccess.js';

/** DUMP_FINDINGS=PREFIX writes every invocation's findings and flows to PREFIX.<corpus>.json, to diff before/after a change. */
const dumpTo = process.env.DUMP_FINDINGS;
/** PROFILE_PHASE=parse|lower|taint writes a CPU profile of that phase of each corpus to PROFILE_DIR (default: .). */
const profilePhase = process.env.PROFILE_PHASE;
const session = profilePhase ? new Session() : undefined;
session?.connect();
function post(method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session?.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}
async function profileStart(phase: string): Promise<void> {
  if (phase !== profilePhase) return;
  await post('Profiler.enable');
  await post('Profiler.start');
}
async function profileStop(phase: string, label: string): Promise<void> {
  if (phase !== profilePhase) return;
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  writeFileSync(join(process.env.PROFILE_DIR ?? '.', `${label.replace(/\W+/g, '-')}.${phase}.cpuprofile`), JSON.stringify(profile));
}

const repo = fileURLToPath(new URL('..', import.meta.url));
const MiB = 1024 * 1024;

function generatedCorpus(targetBytes: number): Map<string, string> {
  const files = new Map<string, string>();
  let bytes = 0;
  for (let i = 0; bytes < targetBytes; i++) {
    const helper = [
      "const { exec } = require('child_process');",
      "const AWS = require('aws-sdk');",
      'const db = new AWS.DynamoDB.DocumentClient();',
      `function normalize${i}(value, opts = {}) {`,
      '  let out = String(value).trim();',
      '  for (let k = 0; k < 3; k++) out = out.replace(/\\s+/g, " ");',
      '  if (opts.upper) out = out.toUpperCase();',
      '  return out;',
      '}',
      `async function save${i}(item) {`,
      '  const params = { TableName: process.env.TABLE, Item: { ...item, at: Date.now() } };',
      '  return db.put(params).promise();',
      '}',
      `function report${i}(name) {`,
      '  return new Promise((resolve, reject) => exec(`report --name ${name}`, (err, out) => (err ? reject(err) : resolve(out))));',
      '}',
      `module.exports = { normalize${i}, save${i}, report${i} };`,
    ].join('\n');
    const handler = [
      `const { normalize${i}, save${i}, report${i} } = require('./helper${i}');`,
      "const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');",
      'const s3 = new S3Client({});',
      `exports.handler${i} = async (event, context) => {`,
      '  const body = JSON.parse(event.body || "{}");',
      `  const items = (body.items || []).map((x, n) => ({ id: \`\${n}\`, name: normalize${i}(x.name, { upper: n % 2 === 0 }) }));`,
      '  for (const item of items) {',
      '    if (item.name.length > 64) continue;',
      `    await save${i}(item);`,
      '  }',
      '  const obj = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: `in/${event.pathParameters.id}` }));',
      `  const text = await report${i}(body.title);`,
      '  try {',
      '    return { statusCode: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text, size: obj.ContentLength, id: context.awsRequestId }) };',
      '  } catch (err) {',
      '    console.error(err);',
      '    return { statusCode: 500, body: JSON.stringify({ message: "internal error" }) };',
      '  }',
      '};',
    ].join('\n');
    // padding with realistic non-flow code: utility functions, switch, classes
    const utils = Array.from({ length: 12 }, (_, k) =>
      [
        `export function util${i}_${k}(input, list) {`,
        '  const seen = new Set();',
        '  const result = [];',
        '  for (const x of list) {',
        '    switch (typeof x) {',
        '      case "string": result.push(x.slice(0, 10)); break;',
        '      case "number": result.push(x * 2); break;',
        '      default: if (!seen.has(x)) seen.add(x);',
        '    }',
        '  }',
        `  return { input, count: result.length, items: result.filter(Boolean).sort(), key: \`k-${k}-\${input}\` };`,
        '}',
      ].join('\n'),
    ).join('\n');
    files.set(`/bench/p${i}/helper${i}.js`, helper);
    files.set(`/bench/p${i}/handler${i}.js`, handler);
    files.set(`/bench/p${i}/utils${i}.mjs`, utils);
    bytes += helper.length + handler.length + utils.length;
  }
  return files;
}

function installedCorpus(targetBytes: number): Map<string, string> {
  const files = new Map<string, string>();
  let bytes = 0;
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (bytes >= targetBytes) return;
      const p = join(dir, n);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (n !== 'test' && n !== 'tests' && !n.startsWith('.') && n !== 'typescript' && !n.startsWith('node2')) walk(p);
      } else if (/\.(c|m)?js$/.test(n) && st.size > 2_000 && st.size < 400_000) {
        files.set(p, readFileSync(p, 'utf8'));
        bytes += st.size;
      }
    }
  };
  walk(join(repo, 'node_modules'));
  return files;
}

/**
 * CPU seconds of the JS (main) thread alone, from /proc/thread-self/schedstat (Linux): the critical
 * path when other threads (oxc's parses on libuv's pool, V8's GC helpers) run on the other core.
 */
function mainThreadCpu(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of this process since `from`: the parser's native work included. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e6;
}

/**
 * The parse phase split in two: oxc's native parse + JSON serialisation of the AST, and the
 * JSON.parse that builds the ESTree objects in JS (the whole cost of the Node < 22 path). Where
 * raw transfer is supported (Node >= 22), also the raw-transfer parse (native parse + the JS-side
 * deserialisation from the shared buffer, which parseModule uses there).
 */
function parseSplit(files: Map<string, string>): { native: number; build: number; raw?: number } {
  const oxc = createRequire(import.meta.url)('oxc-parser') as typeof import('oxc-parser');
  const results: ReturnType<typeof oxc.parseSync>[] = [];
  const c0 = process.cpuUsage();
  for (const [file, src] of files) results.push(oxc.parseSync(file, src, { sourceType: 'unambiguous', preserveParens: false }));
  const native = cpuSince(c0);
  const c1 = process.cpuUsage();
  for (const r of results) void r.program;
  const build = cpuSince(c1);
  results.length = 0;
  if (!rawTransfer) return { native, build };
  gcNow();
  const extra = { experimentalRawTransfer: true } as Record<string, unknown>;
  const c2 = process.cpuUsage();
  for (const [file, src] of files) void oxc.parseSync(file, src, { sourceType: 'unambiguous', preserveParens: false, ...extra }).program;
  return { native, build, raw: cpuSince(c2) };
}

async function measure(label: string, files: Map<string, string>, entries: (file: string) => boolean) {
  const bytes = [...files.values()].reduce((n, s) => n + s.length, 0);
  await profileStart('parse');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const parsed = new Map<string, ParsedModule>();
  let parseErrors = 0;
  for (const [file, src] of files) {
    const r = parseModule(file, src);
    if (r.module) {
      void r.module.program; // force the AST
      parsed.set(file, r.module);
    }
    parseErrors += r.diagnostics.length;
  }
  const t1 = performance.now();
  const cpuParse = cpuSince(cpu0);
  await profileStop('parse', label);
  await profileStart('lower');
  const cpu1 = process.cpuUsage();
  const irs = new Map<string, ModuleIR>();
  for (const [file, m] of parsed) irs.set(file, lowerJs(m));
  const t2 = performance.now();
  const cpuLower = cpuSince(cpu1);
  await profileStop('lower', label);
  await profileStart('taint');
  const cpu2 = process.cpuUsage();
  const access = irAccess(irs);
  let findings = 0;
  let invoked = 0;
  const dump: unknown[] = [];
  const spec = sourceSpecFor(['http-api']);
  for (const [file, ir] of irs) {
    if (!entries(file)) continue;
    const names = ir.body.flatMap((s) => (s.k === 'export' ? [s.name] : []));
    const cjs = /handler\d+\.js$/.exec(file) ? [`handler${/(\d+)\.js$/.exec(file)?.[1]}`] : [];
    // one engine per entry file, as for functions sharing their code: modules load once
    const engine = new TaintEngine(access, { spec, http: true });
    let last = 0;
    for (const name of [...names, ...cjs].slice(0, 20)) {
      const r = engine.run(file, [name]);
      last = r.findings.length;
      if (r.invoked) invoked++;
      if (dumpTo)
        dump.push({ file, name, invoked: r.invoked, inputReads: r.inputReads, truncated: r.truncated ?? false, findings: r.findings });
    }
    findings += last;
  }
  const t3 = performance.now();
  const cpuTaint = cpuSince(cpu2);
  await profileStop('taint', label);
  if (dumpTo)
    writeFileSync(
      `${dumpTo}.${label.replace(/\W+/g, '-')}.json`,
      JSON.stringify({ irs: [...irs.values()].map((ir) => ir.evidence), dump }, null, 1),
    );
  const cpuS = cpuSince(cpu0);
  const mib = bytes / MiB;
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const pct = (x: number) => `${Math.round((100 * x) / cpuS)}%`;
  console.log(
    `${label}: ${files.size} files, ${mib.toFixed(2)} MiB, ${parseErrors} parse diagnostics, ${invoked} functions invoked, ${findings} flows`,
  );
  console.log(
    `  wall: parse ${s(t1 - t0)} s (${(mib / ((t1 - t0) / 1000)).toFixed(1)} MiB/s), lower ${s(t2 - t1)} s, taint ${s(t3 - t2)} s` +
      ` -> parse+taint ${(mib / ((t3 - t0) / 1000)).toFixed(1)} MiB/s wall (target >= 20 MiB/s)`,
  );
  // CPU time of this process (the parser's native work and V8's GC threads included): less sensitive to other load
  console.log(
    `  CPU: parse ${cpuParse.toFixed(2)} s (${pct(cpuParse)}), lower ${cpuLower.toFixed(2)} s (${pct(cpuLower)}), taint ${cpuTaint.toFixed(2)} s (${pct(cpuTaint)})` +
      ` -> total ${cpuS.toFixed(2)} s, ${(mib / cpuS).toFixed(1)} MiB/s of CPU time`,
  );
  gcNow();
  const split = parseSplit(files);
  console.log(
    `  parse split (separate pass, JSON path): oxc native parse + serialise ${split.native.toFixed(2)} s` +
      ` (${(mib / split.native).toFixed(1)} MiB/s), ESTree build in JS (JSON.parse) ${split.build.toFixed(2)} s (${(mib / split.build).toFixed(1)} MiB/s)` +
      (split.raw !== undefined
        ? `; raw transfer (native parse + deserialise, the path parseModule takes here) ${split.raw.toFixed(2)} s (${(mib / split.raw).toFixed(1)} MiB/s)`
        : ''),
  );
}

/**
 * The scan's own path on the generated corpus written to disk as a Serverless project (one
 * function per handler, HTTP API trigger): discover + load, then the code facts (read, parse,
 * imports; parses run ahead on libuv's pool) and the taint analyzer (lowering + engine).
 */
async function scanPath(label: string, files: Map<string, string>): Promise<void> {
  const dir = join(repo, 'bench/.generated/code-scan');
  rmSync(dir, { recursive: true, force: true });
  const fns: string[] = [];
  for (const [file, src] of files) {
    const target = join(dir, file.replace(/^\/bench\//, ''));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, src);
    const m = /\/(p\d+)\/handler(\d+)\.js$/.exec(file);
    if (m) fns.push(`  f${m[2]}:\n    handler: ${m[1]}/handler${m[2]}.handler${m[2]}\n    events:\n      - httpApi: 'POST /f${m[2]}'`);
  }
  writeFileSync(
    join(dir, 'serverless.yml'),
    `service: code-bench\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n${fns.join('\n')}\n`,
  );
  const found = await discover(dir);
  const app = await loadApp(found.root, found.files, { env: {} });
  gcNow();
  let codeFacts: CodeFacts | undefined;
  const input: AnalyzerInput = {
    app,
    files: found.files,
    options: { root: found.root, now: new Date() },
    diagnostic: () => {},
    fact: async <T>() => codeFacts as T,
  };
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpu();
  const t0 = performance.now();
  codeFacts = await codeAnalyzer.run(input);
  const t1 = performance.now();
  const c1 = cpuSince(c0);
  const m1 = mainThreadCpu();
  const cpuT = process.cpuUsage();
  const taint = await taintAnalyzer.run(input);
  const t2 = performance.now();
  const c2 = cpuSince(cpuT);
  const m2 = mainThreadCpu();
  let flows = 0;
  for (const t of taint.byFunction.values()) flows += t.findings.length;
  const parsed = new Set([...codeFacts.byFunction.values()].flatMap((c) => c.files));
  const parsedFiles = parsed.size;
  let bytes = 0;
  for (const f of parsed) bytes += codeFacts.module(f)?.source.length ?? 0;
  const mib = bytes / MiB;
  const main = (a?: number, b?: number) => (a !== undefined && b !== undefined ? `, JS thread ${(b - a).toFixed(2)} s` : '');
  console.log(`${label}: ${app.functions.length} functions, ${parsedFiles} files parsed, ${flows} flows`);
  console.log(
    `  code facts (read + parse + imports): wall ${((t1 - t0) / 1000).toFixed(2)} s, CPU ${c1.toFixed(2)} s${main(m0, m1)}` +
      `; taint (lower + engine): wall ${((t2 - t1) / 1000).toFixed(2)} s, CPU ${c2.toFixed(2)} s${main(m1, m2)}` +
      ` -> ${(mib / ((t2 - t0) / 1000)).toFixed(1)} MiB/s wall of the ${mib.toFixed(2)} MiB the functions reach`,
  );
  rmSync(dir, { recursive: true, force: true });
}

/** Start `threads` bench workers (TypeScript, through tsx) with a request/answer helper: answers come in request order. */
async function startWorkers(threads: number): Promise<{ ask: <T>(i: number, msg: unknown) => Promise<T>; stop: () => Promise<void> }> {
  const url = new URL('./code-lower.worker.ts', import.meta.url);
  // register tsx in the worker first (a worker's execArgv cannot carry --import on Node 20)
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `(async () => { (await import(${JSON.stringify(tsxApi)})).register(); await import(${JSON.stringify(url.href)}); })();`;
  const workers = Array.from({ length: threads }, () => new Worker(boot, { eval: true }));
  const waiting = workers.map(() => [] as ((m: unknown) => void)[]);
  workers.forEach((w, i) => {
    w.on('message', (m) => waiting[i]?.shift()?.(m));
  });
  const ask = <T>(i: number, msg: unknown) =>
    new Promise<T>((resolve) => {
      waiting[i]?.push(resolve as (m: unknown) => void);
      workers[i]?.postMessage(msg);
    });
  // ready: the worker's modules are loaded (a message posted before that would be lost)
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  return {
    ask,
    stop: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * What a worker pool would give: `threads` workers parse and lower the files (eagerly: lazy bodies
 * cannot cross threads) and post the IR back by structured clone, in chunks, while the JS thread
 * receives (deserialises) them; then the taint runs on the JS thread over the received IR. Prints
 * the worker start-up, the JS thread's receive cost (the clone's deserialisation) and the taint,
 * against the in-thread figures above. A measurement only: the scan keeps its ASTs on the JS
 * thread (import resolution, the policy's SDK-call detection walk them), see docs/architecture.md.
 */
async function workerPool(label: string, files: Map<string, string>, entries: (file: string) => boolean, threads: number): Promise<void> {
  const t0 = performance.now();
  const m0 = mainThreadCpu() ?? 0;
  const pool = await startWorkers(threads);
  const tStart = performance.now();
  const list = [...files];
  const chunk = 64;
  let workerCpu = 0;
  const irs = new Map<string, ModuleIR>();
  const answers: Promise<{ irs: ModuleIR[]; cpu: number }>[] = [];
  for (let i = 0, n = 0; i < list.length; i += chunk, n++)
    answers.push(pool.ask(n % threads, { mode: 'lower', files: list.slice(i, i + chunk) }));
  for (const a of answers) {
    const m = await a;
    workerCpu += m.cpu;
    for (const ir of m.irs) irs.set(ir.file, ir);
  }
  const t1 = performance.now();
  const receiveCpu = (mainThreadCpu() ?? 0) - m0;
  await pool.stop();
  const m1 = mainThreadCpu() ?? 0;
  const access = irAccess(irs);
  let findings = 0;
  const spec = sourceSpecFor(['http-api']);
  for (const [file, ir] of irs) {
    if (!entries(file)) continue;
    const names = ir.body.flatMap((s) => (s.k === 'export' ? [s.name] : []));
    const cjs = /handler\d+\.js$/.exec(file) ? [`handler${/(\d+)\.js$/.exec(file)?.[1]}`] : [];
    const engine = new TaintEngine(access, { spec, http: true });
    let last = 0;
    for (const name of [...names, ...cjs].slice(0, 20)) last = engine.run(file, [name]).findings.length;
    findings += last;
  }
  const t2 = performance.now();
  const taintCpu = (mainThreadCpu() ?? 0) - m1;
  const mib = [...files.values()].reduce((n, s) => n + s.length, 0) / MiB;
  console.log(
    `${label}, ${threads} worker thread(s): start ${((tStart - t0) / 1000).toFixed(2)} s; parse + eager lower in workers ${workerCpu.toFixed(2)} s CPU;` +
      ` JS thread while receiving the IR (structured-clone deserialisation) ${receiveCpu.toFixed(2)} s CPU; all IR in after ${((t1 - t0) / 1000).toFixed(2)} s wall;` +
      ` taint on the JS thread ${taintCpu.toFixed(2)} s CPU (${findings} flows) -> ${(mib / ((t2 - t0) / 1000)).toFixed(1)} MiB/s wall`,
  );
}

/**
 * The other worker-pool design: each worker parses, lowers and taints whole projects (the files of
 * one directory stay together) and sends back only its flow count; nothing big crosses threads.
 * In a scan the JS thread would still parse every file for import resolution and the policy's
 * SDK-call detection: that cost is not in this figure.
 */
async function workerTaint(label: string, files: Map<string, string>, entries: RegExp, threads: number): Promise<void> {
  const t0 = performance.now();
  const pool = await startWorkers(threads);
  const tStart = performance.now();
  const groups = new Map<string, [string, string][]>();
  for (const [file, src] of files) {
    const d = dirname(file);
    let g = groups.get(d);
    if (!g) {
      g = [];
      groups.set(d, g);
    }
    g.push([file, src]);
  }
  const chunks: [string, string][][] = [[]];
  for (const g of groups.values()) {
    const last = chunks[chunks.length - 1] as [string, string][];
    if (last.length >= 64) chunks.push([...g]);
    else last.push(...g);
  }
  let flows = 0;
  let workerCpu = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: threads }, async (_, i) => {
      while (next < chunks.length) {
        const c = chunks[next++] as [string, string][];
        const r = await pool.ask<{ flows: number; cpu: number }>(i, { mode: 'taint', files: c, entries: entries.source });
        flows += r.flows;
        workerCpu += r.cpu;
      }
    }),
  );
  const t1 = performance.now();
  await pool.stop();
  const mib = [...files.values()].reduce((n, s) => n + s.length, 0) / MiB;
  console.log(
    `${label}, ${threads} worker thread(s) tainting whole projects: start ${((tStart - t0) / 1000).toFixed(2)} s; parse + lower + taint in workers ${workerCpu.toFixed(2)} s CPU (${flows} flows);` +
      ` done after ${((t1 - t0) / 1000).toFixed(2)} s wall -> ${(mib / ((t1 - t0) / 1000)).toFixed(1)} MiB/s wall`,
  );
}

/** A full GC between phases when node runs with --expose-gc (npm run bench does): the next phase does not pay for the last one's garbage. */
function gcNow(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const rawTransfer = (() => {
  try {
    return (createRequire(import.meta.url)('oxc-parser') as typeof import('oxc-parser')).rawTransferSupported();
  } catch {
    return false;
  }
})();

console.log(
  `node ${process.version}, oxc raw transfer ${rawTransfer ? 'supported' : 'not supported (needs Node >= 22): JSON AST path'}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
/** CODE_BENCH_ONLY=generated|workers|scan|installed runs one part (ONLY_REAL=1: installed only). */
const only = process.env.CODE_BENCH_ONLY ?? (process.env.ONLY_REAL ? 'installed' : undefined);
const runs = (part: string) => only === undefined || only === part;
const gen = generatedCorpus(4 * MiB);
const genEntries = (f: string) => /handler\d+\.js$|utils\d+\.mjs$/.test(f);
if (runs('generated')) {
  await measure('generated handlers', gen, genEntries);
  gcNow();
  await measure('generated handlers (2nd run, warm JIT)', gen, genEntries);
  gcNow();
}
if (runs('workers')) {
  await workerPool('worker pool, generated handlers', gen, genEntries, 1);
  gcNow();
  await workerPool('worker pool, generated handlers', gen, genEntries, 2);
  gcNow();
  await workerTaint('worker pool, generated handlers', gen, /handler\d+\.js$|utils\d+\.mjs$/, 1);
  await workerTaint('worker pool, generated handlers', gen, /handler\d+\.js$|utils\d+\.mjs$/, 2);
}
if (runs('scan')) await scanPath('scan path, generated handlers on disk (first run in the process when run alone)', gen);
gcNow();
const real = runs('installed') ? installedCorpus(4 * MiB) : new Map<string, string>();
if (real.size > 0) await measure('installed node_modules JavaScript', real, () => true);
