import { type PolicyFacts, policyAnalyzer } from '../../policy/analyze.js';
import { compare, isEscalationAction } from '../../policy/compare.js';
import { generatePolicy, policyDocument } from '../../policy/generate.js';
import { defineRule } from '../defineRule.js';
import { roleSubject, roleTarget } from '../lib/iam.js';
import { projectRoles } from '../lib/roles.js';

const LISTED = 8;

export default defineRule({
  meta: {
    id: 'PERM-11',
    title: 'Role grants actions the function code never uses',
    severity: 'medium',
    category: 'over-privileged-iam',
    cwe: ['CWE-250'],
    sas: 'SAS-4',
    description:
      'fnguard read every AWS SDK call in the code of the functions that use this role (SDK v2 and v3, document clients, uploads, presigners, paginators, waiters, Powertools) and what their configuration needs (logs, tracing, VPC, event sources, dead-letter targets), and found actions the role grants that nothing uses. Every unused action is room for an attacker who gets code execution in the function. High when the unused actions include privilege escalation (`iam:PassRole`, `lambda:UpdateFunctionCode`, policy writes...). Reported only when the code of every function using the role was found and fully understood; `fnguard policy` shows the analysis and the minimal policy.',
    remediation: {
      general:
        'Replace the statements with the minimal policy fnguard generated (in the finding details, or `fnguard policy --format <your format>`), then add back what the static analysis cannot see, if anything.',
      serverless: 'Replace `provider.iam.role.statements` with the output of `fnguard policy --format serverless`.',
      cloudformation: "Replace the role's `Policies` with the output of `fnguard policy --format cloudformation`.",
      sam: "Replace the function's `Policies` with the output of `fnguard policy --format sam`.",
      terraform: 'Replace the policy document with the `aws_iam_policy_document` from `fnguard policy --format terraform`.',
      cdk: 'Use grant methods (`table.grantReadData(fn)`) instead of broad statements; compare with `fnguard policy`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['PureSec least-privilege', 'IAM Access Analyzer unused access'],
    precision: 'high',
  },
  needs: [policyAnalyzer],
  check(ctx) {
    let facts: ReturnType<typeof ctx.fact<PolicyFacts>>;
    try {
      facts = ctx.fact(policyAnalyzer);
    } catch {
      return; // the code analysis did not run or failed: nothing to compare, never guess
    }
    for (const { identity, fns } of projectRoles(ctx.app)) {
      const analyses = fns.map((f) => facts.byFunction.get(f.id));
      // never guess: every function on the role must be fully analysed
      if (analyses.length === 0 || analyses.some((a) => !a || a.status !== 'analysed')) continue;
      const needs = analyses.flatMap((a) => a?.needs ?? []);
      const first = fns[0];
      if (!first) continue;
      const cmp = compare(needs, identity, first.format, facts.index);
      if (cmp.excess.length === 0) continue;
      const policy = policyDocument(generatePolicy(needs), facts.index);
      for (const e of cmp.excess) {
        const escalation = e.actions.filter(isEscalationAction);
        const shown = e.actions.slice(0, LISTED).join(', ');
        const more = e.count > LISTED ? ` and ${e.count - LISTED} more` : '';
        ctx.report({
          ...roleTarget(identity, fns),
          where: identity.statements.find((s) => s.where.file === e.file && s.where.line === e.line)?.where ?? identity.where,
          severity: escalation.length > 0 ? 'high' : 'medium',
          message: `${roleSubject(identity, fns)} grants ${e.count} action(s) its code never uses (${e.grant}): ${shown}${more}.${
            escalation.length > 0 ? ` Unused privilege escalation: ${escalation.slice(0, 5).join(', ')}.` : ''
          } The minimal policy is in the finding details and in \`fnguard policy --function ${first.name}\`.`,
          key: `${identity.id}|unused|${e.grant}`,
          details: { unused: e.actions, unusedCount: e.count, escalation, grant: e.grant, policy },
        });
      }
    }
  },
});
