import { isKnown, type PolicyStatement } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { isAllow, knownStrings, roleSubject, roleTarget, statementKey } from '../lib/iam.js';
import { roleAllowStatements } from '../lib/roles.js';

function policyKey(owner: string, s: PolicyStatement): string {
  return `${owner}|${s.sid ?? ''}|na=${knownStrings(s.notActions).sort().join(',')}|nr=${knownStrings(s.notResources).sort().join(',')}|np`;
}

export default defineRule({
  meta: {
    id: 'PERM-07',
    title: 'Allow statement with NotAction, NotResource or NotPrincipal',
    severity: 'medium',
    category: 'over-privileged-iam',
    cwe: ['CWE-732'],
    sas: 'SAS-4',
    description:
      '`Allow` combined with `NotAction` grants every action except a list, including actions AWS adds later; with `NotResource` it grants every resource except a list; with `NotPrincipal` (in a resource policy) it grants everyone except a list. These inverted grants are almost always far broader than intended.',
    remediation: {
      general:
        'Rewrite the statement as a positive `Action`/`Resource`/`Principal` list. Keep `NotAction`/`NotResource` for `Deny` statements only.',
      serverless: 'In `iam.role.statements`, replace `NotAction`/`NotResource` with `Action`/`Resource` lists.',
      cloudformation: 'Replace `NotAction`/`NotResource`/`NotPrincipal` in `Effect: Allow` statements.',
      sam: 'Replace `NotAction`/`NotResource` in inline `Policies` statements.',
      terraform: 'Replace `not_actions`/`not_resources`/`not_principals` in `effect = "Allow"` statements.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'LambdaGuard PolicyStatement',
      'ScoutSuite iam-inline-policy-allows-NotActions',
      'ScoutSuite iam-managed-policy-allows-NotActions',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const { identity, fns, s } of roleAllowStatements(ctx.app)) {
      const parts: string[] = [];
      if (s.notActions?.length)
        parts.push(`NotAction (every action except ${knownStrings(s.notActions).join(', ') || 'an unresolved list'})`);
      if (s.notResources?.length)
        parts.push(`NotResource (every resource except ${knownStrings(s.notResources).join(', ') || 'an unresolved list'})`);
      if (!parts.length) continue;
      ctx.report({
        ...roleTarget(identity, fns),
        where: s.where,
        message: `${roleSubject(identity, fns)} has an Allow statement with ${parts.join(' and ')}.`,
        key: statementKey(identity, s),
      });
    }
    // resource policies: queues, topics, buckets, buses, APIs
    const owners: { id: string; label: string; policy?: PolicyStatement[] }[] = [
      ...ctx.app.resources.map((r) => ({ id: r.id, label: `${r.type} '${isKnown(r.name) ? r.name : r.id}'`, policy: r.policy })),
      ...ctx.app.apis.map((a) => ({ id: a.id, label: `API '${isKnown(a.name) ? a.name : a.id}'`, policy: a.policy })),
    ];
    for (const o of owners) {
      for (const s of o.policy ?? []) {
        if (!isAllow(s) || s.notPrincipal === undefined) continue;
        ctx.report({
          resource: o.id,
          where: s.where,
          message: `The resource policy of ${o.label} allows access with NotPrincipal: everyone except the listed principals is granted access.`,
          key: policyKey(o.id, s),
        });
      }
    }
  },
});
