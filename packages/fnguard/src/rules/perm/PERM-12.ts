import { defineRule } from '../defineRule.js';
import { roleGrants, roleSubject, roleTarget } from '../lib/iam.js';
import { DATA_ACCESS_ACTIONS } from '../lib/iam-actions.js';
import { projectRoles } from '../lib/roles.js';
import { managedPolicyName } from './PERM-08.js';

/** AWS-managed policy name fragments that give data access when the policy is not expanded into statements. */
const MANAGED_DATA: readonly [RegExp, string][] = [
  [/DynamoDB/i, 'DynamoDB'],
  [/AmazonS3/i, 'S3'],
  [/RDS/i, 'RDS Data API'],
  [/SecretsManager/i, 'Secrets Manager'],
  [/SSM/i, 'SSM Parameter Store'],
  [/^(AdministratorAccess|PowerUserAccess)$/, 'every data store'],
];

export default defineRule({
  meta: {
    id: 'PERM-12',
    title: 'Function can reach data stores (risk factor)',
    severity: 'info',
    category: 'over-privileged-iam',
    cwe: ['CWE-200'],
    sas: 'SAS-4',
    description:
      'Informational: the function\'s role can read or write data stores (DynamoDB, S3 objects, RDS Data API / IAM database auth, Secrets Manager, SSM parameters, Redshift Data API, OpenSearch). This is not a defect; it raises the impact of any other weakness of the function and feeds its risk score ("data access").',
    remediation: {
      general: 'Make sure the function really needs this access and that it is scoped to its own tables, buckets and secrets.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Panoptica Data access', 'LambdaGuard Scan'],
    precision: 'high',
  },
  check(ctx) {
    const stores = Object.entries(DATA_ACCESS_ACTIONS);
    const everyAction = [...new Set(stores.flatMap(([, actions]) => actions))];
    for (const { identity, fns } of projectRoles(ctx.app)) {
      // one pass over the role's statements for every data action, then a store is reached when any of its actions is granted
      const granted = new Set(roleGrants(identity, everyAction));
      const reach = new Set<string>();
      for (const [store, actions] of stores) {
        if (actions.some((a) => granted.has(a))) reach.add(store);
      }
      for (const m of identity.managedPolicies) {
        const name = managedPolicyName(m);
        if (!name) continue;
        for (const [re, store] of MANAGED_DATA) if (re.test(name)) reach.add(store);
      }
      if (reach.size === 0) continue;
      const reached = [...reach].sort();
      ctx.report({
        ...roleTarget(identity, fns),
        where: identity.where,
        message: `${roleSubject(identity, fns)} can access data in ${reached.join(', ')}.`,
        key: `${identity.id}|data-access`,
        details: { dataStores: reached },
      });
    }
  },
});
