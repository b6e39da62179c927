/**
 * Worker of bench/code.bench.ts's worker-pool figure: parses and lowers the files it is sent and
 * posts the IR back (structured clone). Lowering is forced to completion (every function body),
 * since lazily lowered bodies (getters over the AST) cannot cross threads.
 */

import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parseModule } from '../packages/fnguard/src/analyze/code/parse.js';
import type { ModuleIR } from '../packages/fnguard/src/analyze/code/taint/ir.js';
import { lowerJs } from '../packages/fnguard/src/analyze/code/taint/lowerJs.js';

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
  for (const k of Object.keys(v)) out[k] = plain((v as Record<string, unknown>)[k], seen);
  return out;
}

/** CPU seconds of this thread (Linux); process.cpuUsage() would count the whole process. */
function threadCpu(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
}

parentPort?.on('message', (msg: { files: [string, string][] }) => {
  const cpu0 = threadCpu();
  const irs: ModuleIR[] = [];
  for (const [file, src] of msg.files) {
    const r = parseModule(file, src);
    if (r.module) irs.push(plain(lowerJs(r.module), new Map()) as ModuleIR);
  }
  parentPort?.postMessage({ irs, cpu: threadCpu() - cpu0 });
});
