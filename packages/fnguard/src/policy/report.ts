/** `fnguard policy` as a library call: load, analyse, and render text / JSON / a policy format. */
import { relative, sep } from 'node:path';
import { codeAnalyzer } from '../analyze/code/index.js';
import type { AnalyzerInput } from '../analyze/types.js';
import { discover } from '../discover/discover.js';
import { loadApp } from '../load/index.js';
import type { Adapter } from '../load/types.js';
import type { Diagnostic } from '../model/types.js';
import { analyzePolicies, type FunctionPolicy } from './analyze.js';
import { displayArn, type RefIndex } from './arn.js';
import { describeCall } from './detect.js';
import { type PolicyFormat, policyDocument, type RenderOptions, renderPolicy } from './generate.js';

export interface PolicyRequest {
  root: string;
  format: 'text' | 'json' | Exclude<PolicyFormat, 'json'>;
  functions: string[];
  render?: RenderOptions;
  stage?: string;
  adapters?: readonly Adapter[];
}

export interface PolicyOutput {
  text: string;
  missing: number;
  unknownFunctions: string[];
}

function relTo(root: string, file: string): string {
  const r = relative(root, file);
  return (r === '' ? '.' : r).split(sep).join('/');
}

/** The JSON report of one function (the shape of `fnguard policy --format json`). */
export function functionReport(fp: FunctionPolicy, index: RefIndex, root: string, render: RenderOptions = {}): Record<string, unknown> {
  const rel = (f: string) => relTo(root, f);
  const cmp = fp.comparison;
  const unresolved = fp.needs
    .filter((n) => n.resource.unresolved)
    .map((n) => ({
      action: n.action,
      resource: displayArn(n.resource.parts, index),
      reason: n.resource.unresolved,
      file: rel(n.source.file),
      line: n.source.line,
    }));
  return {
    function: fp.fn.name,
    id: fp.fn.id,
    status: fp.status,
    reasons: fp.reasons,
    role: fp.identity?.id ?? null,
    sharedWith: fp.sharedWith,
    calls: fp.needs.map((n) => ({
      action: n.action,
      resource: n.resource.wildcardOnly ? '*' : displayArn(n.resource.parts, index),
      file: rel(n.source.file),
      line: n.source.line,
      call: n.source.label,
      ...(n.source.kind === 'config' ? { from: 'configuration' } : {}),
      ...(n.source.presigned ? { presigned: true } : {}),
      ...(n.verified ? {} : { unverified: true }),
      ...(n.note ? { note: n.note } : {}),
    })),
    policy: policyDocument(fp.policy, index, render),
    excess: (cmp?.excess ?? []).map((e) => ({ ...e, file: rel(e.file) })),
    missing: (cmp?.missing ?? []).map((m) => ({ ...m, file: rel(m.file) })),
    unresolved,
    narrowable: (cmp?.narrowable ?? []).map((e) => ({ ...e, file: rel(e.file) })),
    escalation: (cmp?.escalation ?? []).map((e) => ({ ...e, file: rel(e.file) })),
    undecided: cmp?.undecided ?? [],
    unmodelled: fp.unmodelled.map((u) => ({ ...u, file: rel(u.file) })),
  };
}

function textReport(fp: FunctionPolicy, index: RefIndex, root: string, render: RenderOptions): string {
  const rel = (f: string) => relTo(root, f);
  const lines: string[] = [];
  lines.push(`== ${fp.fn.name} (${fp.status}${fp.identity ? `, role ${fp.identity.id}` : ', no role in the project'})`);
  for (const r of fp.reasons) lines.push(`   note: ${r}`);
  if (fp.sharedWith.length) lines.push(`   note: the role is shared with ${fp.sharedWith.length} other function(s)`);
  lines.push('   needs:');
  for (const n of fp.needs) {
    const res = n.resource.wildcardOnly ? '*' : displayArn(n.resource.parts, index);
    const tags = [n.source.presigned ? 'presigned' : '', n.verified ? '' : 'unverified', n.note ?? ''].filter(Boolean).join(', ');
    lines.push(
      `     ${n.action.padEnd(34)} ${res}   <- ${n.source.label} ${rel(n.source.file)}:${n.source.line}${tags ? ` (${tags})` : ''}`,
    );
  }
  for (const c of fp.calls.filter((c) => !fp.needs.some((n) => n.source.file === c.file && n.source.line === c.line)))
    lines.push(`     (no permission needed)              <- ${describeCall(c)} ${rel(c.file)}:${c.line}`);
  for (const u of fp.unmodelled) lines.push(`   review: ${u.reason} at ${rel(u.file)}:${u.line}: ${u.text}`);
  const unresolved = fp.needs.filter((n) => n.resource.unresolved);
  for (const n of unresolved) lines.push(`   unresolved: ${n.action} ${displayArn(n.resource.parts, index)}: ${n.resource.unresolved}`);
  const c = fp.comparison;
  if (c) {
    for (const m of c.missing)
      lines.push(
        `   MISSING: ${m.action} on ${m.resource} (${m.decision === 'denied' ? 'explicitly denied' : 'not granted'}) needed at ${rel(m.file)}:${m.line}`,
      );
    for (const e of c.excess)
      lines.push(
        `   excess: ${e.grant} grants ${e.count} unused action(s) (${rel(e.file)}:${e.line})${e.count <= 8 ? `: ${e.actions.join(', ')}` : ''}`,
      );
    for (const n of c.narrowable)
      lines.push(`   narrow: ${n.grant} on "${n.resource}" -> ${n.suggested.join(', ')} (${rel(n.file)}:${n.line})`);
    if (c.escalation.length) lines.push(`   unused privilege escalation: ${c.escalation.map((e) => e.action).join(', ')}`);
    for (const u of c.undecided) lines.push(`   undecided: ${u.action} on ${u.resource} (conditions or unresolved grants)`);
  }
  lines.push('   minimal policy:');
  for (const l of JSON.stringify(policyDocument(fp.policy, index, render), null, 2).split('\n')) lines.push(`     ${l}`);
  return `${lines.join('\n')}\n`;
}

/** Load, analyse and render. */
export async function runPolicy(req: PolicyRequest): Promise<PolicyOutput> {
  const found = await discover(req.root);
  const root = found.root;
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const app = await loadApp(root, found.files, {
    env: process.env,
    opts: req.stage ? { stage: req.stage } : {},
    ...(req.adapters ? { adapters: req.adapters } : {}),
  });
  const input: AnalyzerInput = {
    app,
    files: found.files,
    options: { root, now: new Date() },
    diagnostic: (d) => diagnostics.push(d),
    fact: () => Promise.reject(new Error('no nested facts')),
  };
  const code = await codeAnalyzer.run(input);
  const facts = analyzePolicies(app, code);
  let list = [...facts.byFunction.values()];
  const unknownFunctions: string[] = [];
  if (req.functions.length > 0) {
    const picked: FunctionPolicy[] = [];
    for (const name of req.functions) {
      const hit = list.filter((fp) => fp.fn.name === name || fp.fn.id === name || fp.fn.functionName === name);
      if (hit.length === 0) unknownFunctions.push(name);
      picked.push(...hit);
    }
    list = picked;
  }
  const missing = list.reduce((n, fp) => n + (fp.comparison?.missing.length ?? 0), 0);
  const render = req.render ?? {};
  let text: string;
  if (req.format === 'json') {
    text = `${JSON.stringify({ functions: list.map((fp) => functionReport(fp, facts.index, root, render)) }, null, 2)}\n`;
  } else if (req.format === 'text') {
    text = list.length === 0 ? 'no AWS function found\n' : list.map((fp) => textReport(fp, facts.index, root, render)).join('\n');
  } else {
    text = list.map((fp) => renderPolicy(fp.policy, req.format as PolicyFormat, facts.index, fp.fn.name, render)).join('\n');
  }
  return { text, missing, unknownFunctions };
}
