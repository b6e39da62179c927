import { type Fn, isKnown, isUnknown, type Resource } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions, localId, sameRef } from '../lib/functions.js';

/** Data stores reachable only inside a VPC (CloudFormation and Terraform type names). */
const VPC_ONLY =
  /^(AWS::RDS::DB(Instance|Cluster)|AWS::ElastiCache::(CacheCluster|ReplicationGroup|ServerlessCache)|AWS::DocDB::DBCluster|AWS::Neptune::DBCluster|AWS::MemoryDB::Cluster|AWS::Redshift::Cluster|AWS::OpenSearchService::Domain|aws_db_instance|aws_rds_cluster|aws_elasticache_(cluster|replication_group|serverless_cache)|aws_docdb_cluster|aws_neptune_cluster|aws_memorydb_cluster|aws_redshift_cluster)$/;

/** VPC-only data stores whose address the function receives in an environment variable. */
function vpcOnlyStoresUsed(stores: readonly Resource[], fn: Fn): Resource[] {
  if (stores.length === 0) return [];
  const out: Resource[] = [];
  for (const e of fn.env) {
    if (!isUnknown(e.value)) continue;
    const v = e.value;
    const hit = stores.find((r) => sameRef(v.target, r.id) || v.expr.includes(localId(r.id)));
    if (hit && !out.includes(hit)) out.push(hit);
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'CFG-08',
    title: "VPC placement: data store outside the function's reach, or a single subnet",
    severity: 'low',
    category: 'insecure-config',
    cwe: ['CWE-16'],
    sas: 'SAS-3',
    description:
      'Two VPC placement problems. A function attached to a VPC through a single subnet runs in one Availability Zone: an AZ outage stops it (AWS recommends at least two). A function that is given the address of a VPC-only data store (RDS, ElastiCache, DocumentDB, ...) but is not attached to a VPC can only reach it if the store is publicly accessible, which is the real risk.',
    remediation: {
      general:
        "Attach the function to private subnets in at least two Availability Zones, with a security group that allows only the data store's port; keep the data store private.",
      serverless: 'Set `vpc: { securityGroupIds: [...], subnetIds: [subnetA, subnetB] }` on the function or provider.',
      cloudformation: 'Set `VpcConfig: { SubnetIds: [A, B], SecurityGroupIds: [...] }` on the function.',
      sam: 'Set `VpcConfig` with two or more `SubnetIds` on the function or in `Globals.Function`.',
      terraform: 'Add `vpc_config { subnet_ids = [a, b], security_group_ids = [...] }` to the `aws_lambda_function`.',
      cdk: 'Pass `vpc` and `vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS }` (the default spans all AZs).',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_117', 'Prowler awslambda_function_inside_vpc', 'Prowler awslambda_function_vpc_multi_az'],
    precision: 'medium',
  },
  check(ctx) {
    const stores = ctx.app.resources.filter((r) => VPC_ONLY.test(r.sourceType));
    for (const fn of awsFunctions(ctx.app)) {
      if (fn.vpc) {
        const subnets = fn.vpc.subnetIds;
        if (subnets.length === 1 && isKnown(subnets[0])) {
          ctx.report({
            fn,
            where: fn.vpc.where,
            message: `Function '${fn.name}' is attached to a VPC through a single subnet: it runs in one Availability Zone and stops if that zone fails. Use subnets in at least two zones.`,
            key: 'single-subnet',
          });
        }
        continue;
      }
      for (const store of vpcOnlyStoresUsed(stores, fn)) {
        const name = isKnown(store.name) ? store.name : store.id;
        ctx.report({
          fn,
          resource: store.id,
          where:
            fn.env.find((e) => isUnknown(e.value) && (sameRef(e.value.target, store.id) || e.value.expr.includes(localId(store.id))))
              ?.where ?? fn.where,
          message: `Function '${fn.name}' uses ${store.sourceType} '${name}' but is not attached to a VPC: it can only reach it if the data store is publicly accessible. Attach the function to the data store's VPC.`,
          key: `vpc-store:${store.id}`,
        });
      }
    }
  },
});
