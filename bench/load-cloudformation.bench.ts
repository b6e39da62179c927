/** CloudFormation adapter timings on generated templates (prints figures; never pass/fail). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudformationAdapter, loadTemplate } from '../packages/fnguard/src/load/cloudformation/index.js';
import { parseJson } from '../packages/fnguard/src/load/json/index.js';
import type { LoadContext } from '../packages/fnguard/src/load/types.js';
import { parseYaml } from '../packages/fnguard/src/load/yaml/index.js';
import type { Diagnostic } from '../packages/fnguard/src/model/types.js';
import { cfnTemplate, samTemplate } from './gen/cloudformation.js';

const dir = mkdtempSync(join(tmpdir(), 'fnguard-bench-cfn-'));
try {
  const sam = samTemplate(130);
  const cfn = cfnTemplate(54);
  writeFileSync(join(dir, 'template.yaml'), sam);
  writeFileSync(join(dir, 'stack.template.json'), cfn);
  const diagnostics: Diagnostic[] = [];
  const ctx: LoadContext = {
    root: dir,
    files: [],
    readText: (p) => readFile(p, 'utf8'),
    diagnostic: (d) => diagnostics.push(d),
    env: {},
    opts: {},
  };
  const cases = [
    { name: 'SAM template', rel: 'template.yaml', info: `${sam.split('\n').length} lines` },
    {
      name: 'CloudFormation template',
      rel: 'stack.template.json',
      info: `${Object.keys((JSON.parse(cfn) as { Resources: object }).Resources).length} resources`,
    },
  ];
  for (const c of cases) {
    const f = { path: join(dir, c.rel), rel: c.rel, kind: 'iac' as const, subtype: 'cloudformation', size: 0 };
    const times: number[] = [];
    let fns = 0;
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now();
      const part = await cloudformationAdapter.load([f], ctx);
      times.push(performance.now() - t0);
      fns = part.functions?.length ?? 0;
    }
    const first = times[0] ?? 0;
    const warm = times.slice(2).sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)] ?? 0;
    // the two phases separately: parsing with positions, then building the Model
    const text = c.rel.endsWith('.json') ? cfn : sam;
    const parseT: number[] = [];
    const modelT: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      const r = c.rel.endsWith('.json') ? parseJson(text, f.path) : parseYaml(text, f.path);
      const t1 = performance.now();
      loadTemplate(r.value, r.positions, () => {}, { file: f.path, root: dir });
      modelT.push(performance.now() - t1);
      parseT.push(t1 - t0);
    }
    const med = (xs: number[]) => (xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0).toFixed(1);
    console.log(
      `${c.name} (${c.info}, ${fns} functions): first ${first.toFixed(1)} ms, median warm ${median.toFixed(1)} ms (parse ${med(parseT)} ms + model ${med(modelT)} ms)`,
    );
  }
  console.log(`diagnostics: ${diagnostics.length}; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
