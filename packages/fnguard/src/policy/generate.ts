/**
 * The minimal policy for a set of needs: one statement per group of actions that need exactly the
 * same resources, sorted, with stable Sids; and the renderers (JSON, CloudFormation, SAM,
 * Serverless, Terraform).
 */
import { type PolicyStatement, type SourceFormat, unknown } from '../model/types.js';
import { type ArnPart, cfnToken, displayArn, expandNamedRefs, isSymbolic, type RefIndex } from './arn.js';
import type { Need } from './needs.js';

export interface GeneratedStatement {
  sid: string;
  actions: string[];
  resources: ArnPart[][];
  condition?: Record<string, Record<string, string>>;
}

export interface GeneratedPolicy {
  statements: GeneratedStatement[];
}

function key(parts: ArnPart[]): string {
  return JSON.stringify(parts);
}

function sidOf(actions: string[], n: number): string {
  const svc = (actions[0] ?? 'x').split(':')[0] ?? 'x';
  const name = svc
    .split(/[^a-z0-9]+/i)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `${name}${n}`;
}

/** Group needs into statements (actions with identical resource sets share a statement). */
export function generatePolicy(needs: readonly Need[]): GeneratedPolicy {
  const byAction = new Map<string, Map<string, ArnPart[]>>();
  const conditions = new Map<string, Record<string, Record<string, string>>>();
  for (const n of needs) {
    const ak = n.condition ? `${n.action}\u0000${JSON.stringify(n.condition)}` : n.action;
    if (n.condition) conditions.set(ak, n.condition);
    let m = byAction.get(ak);
    if (!m) {
      m = new Map();
      byAction.set(ak, m);
    }
    m.set(key(n.resource.parts), n.resource.parts);
  }
  // an action needed on `*` needs nothing narrower
  for (const m of byAction.values()) if (m.has(key(['*']))) for (const k of [...m.keys()]) if (k !== key(['*'])) m.delete(k);
  const groups = new Map<string, { actions: string[]; resources: ArnPart[][]; condition?: Record<string, Record<string, string>> }>();
  for (const [action, m] of byAction) {
    const rk = [...m.keys()].sort();
    const cond = conditions.get(action);
    const gk = `${rk.join('\n')}\u0001${cond ? JSON.stringify(cond) : ''}`;
    let g = groups.get(gk);
    if (!g) {
      g = { actions: [], resources: rk.map((k) => m.get(k) as ArnPart[]), ...(cond ? { condition: cond } : {}) };
      groups.set(gk, g);
    }
    g.actions.push(action.split('\u0000')[0] as string);
  }
  const list = [...groups.values()].map((g) => ({ ...g, actions: g.actions.sort() }));
  list.sort(
    (a, b) => (a.actions[0] ?? '').localeCompare(b.actions[0] ?? '') || key(a.resources[0] ?? []).localeCompare(key(b.resources[0] ?? [])),
  );
  const counts = new Map<string, number>();
  return {
    statements: list.map((g) => {
      const svc = (g.actions[0] ?? '').split(':')[0] ?? '';
      const n = (counts.get(svc) ?? 0) + 1;
      counts.set(svc, n);
      return { sid: sidOf(g.actions, n), actions: g.actions, resources: g.resources, ...(g.condition ? { condition: g.condition } : {}) };
    }),
  };
}

/** The generated policy as Model statements (resources in CloudFormation `Fn::Sub` form), to evaluate it like a granted one. */
export function generatedStatements(p: GeneratedPolicy, index: RefIndex): PolicyStatement[] {
  const where = { file: '<generated>', line: 1, column: 1 };
  return p.statements.map((s) => ({
    sid: s.sid,
    effect: 'Allow' as const,
    actions: [...s.actions],
    resources: s.resources.map((r) => (isSymbolic(r) ? unknown(displayArn(r, index, 'cloudformation'), { hint: 'ref' }) : r.join(''))),
    ...(s.condition ? { condition: s.condition } : {}),
    where,
  }));
}

export type PolicyFormat = 'json' | 'cloudformation' | 'sam' | 'serverless' | 'terraform';

export interface RenderOptions {
  partition?: string;
  region?: string;
  account?: string;
}

/** A plain IAM policy document. Pseudo parameters become the given values, else `${AWS::Region}`-style placeholders; unnamed resources `${LogicalId}`. */
export function policyDocument(p: GeneratedPolicy, index: RefIndex, opts: RenderOptions = {}): { Version: string; Statement: unknown[] } {
  const text = (raw: ArnPart[]) => {
    let s = '';
    for (const x of expandNamedRefs(raw, index)) {
      if (typeof x === 'string') s += x;
      else if ('pseudo' in x) {
        const v = x.pseudo === 'partition' ? (opts.partition ?? 'aws') : x.pseudo === 'region' ? opts.region : opts.account;
        s += v ?? displayArn([x], index);
      } else {
        const t = index.byId.get(x.ref);
        s += x.attr === 'name' && t?.name ? t.name : displayArn([x], index);
      }
    }
    return s;
  };
  return {
    Version: '2012-10-17',
    Statement: p.statements.map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Action: s.actions.length === 1 ? s.actions[0] : s.actions,
      Resource: s.resources.length === 1 ? text(s.resources[0] as ArnPart[]) : s.resources.map(text),
      ...(s.condition ? { Condition: s.condition } : {}),
    })),
  };
}

/** A resource as a CloudFormation YAML value: a literal, `!GetAtt X.Arn`, `!Ref X`, or `!Sub`. */
function cfnValue(parts: ArnPart[], index: RefIndex): string {
  if (!isSymbolic(parts)) return JSON.stringify(parts.join(''));
  if (parts.length === 1) {
    const p = parts[0] as ArnPart;
    if (typeof p === 'object' && 'ref' in p) {
      const t = index.byId.get(p.ref);
      if (t) {
        const tok = cfnToken(t, p.attr);
        return tok.includes('.') ? `!GetAtt ${tok}` : `!Ref ${tok}`;
      }
    }
  }
  return `!Sub ${JSON.stringify(displayArn(parts, index, 'cloudformation'))}`;
}

function yamlStatements(p: GeneratedPolicy, index: RefIndex, indent: string, withSid = true): string {
  const lines: string[] = [];
  for (const s of p.statements) {
    if (withSid) {
      lines.push(`${indent}- Sid: ${s.sid}`);
      lines.push(`${indent}  Effect: Allow`);
    } else lines.push(`${indent}- Effect: Allow`);
    lines.push(`${indent}  Action:`);
    for (const a of s.actions) lines.push(`${indent}    - ${a}`);
    lines.push(`${indent}  Resource:`);
    for (const r of s.resources) lines.push(`${indent}    - ${cfnValue(r, index)}`);
    if (s.condition) {
      lines.push(`${indent}  Condition:`);
      for (const [op, kv] of Object.entries(s.condition)) {
        lines.push(`${indent}    ${op}:`);
        for (const [k, v] of Object.entries(kv)) lines.push(`${indent}      ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
      }
    }
  }
  return lines.join('\n');
}

function tfValue(parts: ArnPart[], index: RefIndex): string {
  return JSON.stringify(displayArn(parts, index, 'terraform'));
}

/** Render the policy for a target format (`name` names the policy / data source). */
export function renderPolicy(p: GeneratedPolicy, format: PolicyFormat, index: RefIndex, name: string, opts: RenderOptions = {}): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, '_');
  switch (format) {
    case 'json':
      return `${JSON.stringify(policyDocument(p, index, opts), null, 2)}\n`;
    case 'cloudformation':
      return [
        `# AWS::IAM::Role Properties.Policies entry for ${name}`,
        `- PolicyName: ${safe}-least-privilege`,
        '  PolicyDocument:',
        "    Version: '2012-10-17'",
        '    Statement:',
        yamlStatements(p, index, '      '),
        '',
      ].join('\n');
    case 'sam':
      return [
        `# AWS::Serverless::Function Properties.Policies for ${name}`,
        'Policies:',
        "  - Version: '2012-10-17'",
        '    Statement:',
        yamlStatements(p, index, '      '),
        '',
      ].join('\n');
    case 'serverless':
      return [
        `# serverless.yml: provider.iam.role.statements (or the function's own role) for ${name}`,
        'statements:',
        yamlStatements(p, index, '  ', false),
        '',
      ].join('\n');
    case 'terraform': {
      const lines: string[] = [];
      const all = p.statements.flatMap((s) => s.resources).flat();
      const pseudo = new Set(
        all.filter((x): x is { pseudo: 'partition' | 'region' | 'account' } => typeof x === 'object' && 'pseudo' in x).map((x) => x.pseudo),
      );
      if (pseudo.has('partition')) lines.push('data "aws_partition" "current" {}');
      if (pseudo.has('region')) lines.push('data "aws_region" "current" {}');
      if (pseudo.has('account')) lines.push('data "aws_caller_identity" "current" {}');
      if (lines.length) lines.push('');
      lines.push(`data "aws_iam_policy_document" "${safe}_least_privilege" {`);
      for (const s of p.statements) {
        lines.push('  statement {');
        lines.push(`    sid       = ${JSON.stringify(s.sid)}`);
        lines.push('    effect    = "Allow"');
        lines.push(`    actions   = [${s.actions.map((a) => JSON.stringify(a)).join(', ')}]`);
        lines.push(`    resources = [${s.resources.map((r) => tfValue(r, index)).join(', ')}]`);
        for (const [op, kv] of Object.entries(s.condition ?? {}))
          for (const [k, v] of Object.entries(kv))
            lines.push(
              '    condition {',
              `      test     = ${JSON.stringify(op)}`,
              `      variable = ${JSON.stringify(k)}`,
              `      values   = [${JSON.stringify(v)}]`,
              '    }',
            );
        lines.push('  }');
      }
      lines.push('}', '');
      return lines.join('\n');
    }
  }
}

/** The format a function's source is written in, as a policy format. */
export function policyFormatOf(format: SourceFormat): PolicyFormat {
  if (format === 'terraform') return 'terraform';
  if (format === 'serverless') return 'serverless';
  if (format === 'sam') return 'sam';
  return 'cloudformation';
}
