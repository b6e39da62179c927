/** Terraform adapter timings on a generated project (prints figures; never pass/fail). */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DiscoveredFile } from '../packages/fnguard/src/discover/types.js';
import { parseHcl } from '../packages/fnguard/src/load/hcl/index.js';
import { readTextWithin } from '../packages/fnguard/src/load/index.js';
import { terraformAdapter } from '../packages/fnguard/src/load/terraform/index.js';
import type { LoadContext } from '../packages/fnguard/src/load/types.js';
import type { Diagnostic } from '../packages/fnguard/src/model/types.js';
import { terraformProject } from './gen/terraform.js';

const dir = mkdtempSync(join(tmpdir(), 'fnguard-bench-tf-'));
try {
  const files = terraformProject(200);
  const discovered: DiscoveredFile[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    discovered.push({ path: p, rel, kind: 'iac', subtype: 'terraform', size: statSync(p).size });
  }
  const diagnostics: Diagnostic[] = [];
  const ctx: LoadContext = {
    root: dir,
    files: discovered,
    readText: (p) => readTextWithin(dir, p),
    diagnostic: (d) => diagnostics.push(d),
    env: {},
    opts: {},
  };
  const main = files['main.tf'] ?? '';
  const times: number[] = [];
  let fns = 0;
  let resources = 0;
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    const part = await terraformAdapter.load(discovered, ctx);
    times.push(performance.now() - t0);
    fns = part.functions?.length ?? 0;
    resources = (part.resources?.length ?? 0) + (part.identities?.length ?? 0);
  }
  const parseT: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    parseHcl(main);
    parseT.push(performance.now() - t0);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `terraform project: ${main.split('\n').length} lines of HCL, ${(main.length / 1024).toFixed(0)} KiB, ${fns} functions, ${resources} resources+identities`,
  );
  console.log(`  parse+load (cold, first run): ${(times[0] ?? 0).toFixed(1)} ms`);
  console.log(`  parse+load (warm median):     ${med(times.slice(2)).toFixed(1)} ms`);
  console.log(`  parse only main.tf (median):  ${med(parseT.slice(2)).toFixed(1)} ms`);
  if (diagnostics.length) console.log(`  diagnostics: ${diagnostics.length}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
