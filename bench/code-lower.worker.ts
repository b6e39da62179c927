/**
 * Worker of bench/code.bench.ts's worker-pool figures. `lower`: parses and lowers the files it is
 * sent and posts the IR back (structured clone); lowering is forced to completion (every function
 * body), since lazily lowered bodies (getters over the AST) cannot cross threads. `taint`: parses,
 * lowers (lazily) and runs the taint over the entry files of the chunk itself, and posts back only
 * the number of flows.
 */

import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parseModule } from '../packages/fnguard/src/analyze/code/parse.js';
import { TaintEngine } from '../packages/fnguard/src/analyze/code/taint/engine.js';
import type { ModuleIR } from '../packages/fnguard/src/analyze/code/taint/ir.js';
import { lowerJs } from '../packages/fnguard/src/analyze/code/taint/lowerJs.js';
import { sourceSpecFor } from '../packages/fnguard/src/analyze/code/taint/sources.js';
import { irAccess } from './lib/irAccess.js';

/** A copy of the IR with every lazy function body lowered and made a plain data property. */
function plain(v: unknown, seen: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  const hit = seen.get(v);
  if (hit !== undefined) return hit;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(plain(x, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  // a lazily lowered function (lowerJs's LazyFunc) holds its AST node and keeps `params`/`body` as prototype getters
  const lazy = 'body' in v && 'params' in v && !Object.hasOwn(v, 'body');
  const keys = lazy ? ['id', 'name', 'typeHint', 'loc', 'params', 'body'] : Object.keys(v);
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = plain(x, seen);
  }
  return out;
}

/** CPU seconds of this thread (Linux); process.cpuUsage() would count the whole process. */
function threadCpu(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
}

parentPort?.on('message', (msg: { mode: 'lower' | 'taint'; files: [string, string][]; entries?: string }) => {
  const cpu0 = threadCpu();
  if (msg.mode === 'lower') {
    const irs: ModuleIR[] = [];
    for (const [file, src] of msg.files) {
      const r = parseModule(file, src);
      if (r.module) irs.push(plain(lowerJs(r.module), new Map()) as ModuleIR);
    }
    parentPort?.postMessage({ irs, cpu: threadCpu() - cpu0 });
    return;
  }
  const irs = new Map<string, ModuleIR>();
  for (const [file, src] of msg.files) {
    const r = parseModule(file, src);
    if (r.module) irs.set(file, lowerJs(r.module));
  }
  const access = irAccess(irs);
  const entries = new RegExp(msg.entries ?? '$^');
  const spec = sourceSpecFor(['http-api']);
  let flows = 0;
  for (const [file, ir] of irs) {
    if (!entries.test(file)) continue;
    const names = ir.body.flatMap((st) => (st.k === 'export' ? [st.name] : []));
    const cjs = /handler\d+\.js$/.exec(file) ? [`handler${/(\d+)\.js$/.exec(file)?.[1]}`] : [];
    const engine = new TaintEngine(access, { spec, http: true });
    let last = 0;
    for (const name of [...names, ...cjs].slice(0, 20)) last = engine.run(file, [name]).findings.length;
    flows += last;
  }
  parentPort?.postMessage({ flows, cpu: threadCpu() - cpu0 });
});
parentPort?.postMessage('ready');
