import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'SEC-09',
    title: 'Deployment artifact bucket not private or not encrypted',
    severity: 'medium',
    category: 'supply-chain',
    cwe: ['CWE-732', 'CWE-494'],
    sas: 'SAS-6',
    description:
      'The bucket that holds the deployment artifacts (function zips, templates) does not block public access, or is not encrypted. Anyone who can read it learns the code and its configuration; anyone who can write it can swap the code that gets deployed. For the Serverless Framework this is `provider.deploymentBucket.blockPublicAccess: false`; a bucket named in `provider.deploymentBucket` without `blockPublicAccess: true` is reported at info level, because it is created outside the service and its settings cannot be seen (the bucket Serverless creates itself is not reported: new S3 buckets block public access by default since April 2023).',
    remediation: {
      general:
        'Turn on S3 Block Public Access and default encryption for the deployment bucket, and restrict writes to the deployment role.',
      serverless: 'Set `provider.deploymentBucket.blockPublicAccess: true` (and `serverSideEncryption: AES256` or `aws:kms`).',
      cloudformation: 'Set `PublicAccessBlockConfiguration` (all four true) and `BucketEncryption` on the artifact bucket.',
      terraform:
        'Add `aws_s3_bucket_public_access_block` (all four true) and `aws_s3_bucket_server_side_encryption_configuration` for the artifact bucket.',
    },
    // CloudFormation/Terraform artifact buckets (`Code.S3Bucket`, `s3_bucket`) are not modelled as
    // `deployment-bucket` resources yet; the rule applies to them as soon as an adapter emits that type.
    formats: ['serverless'],
    references: ['Checkov S3 checks on serverless resources', 'Serverless Framework docs serverless.yml.md (deploymentBucket)'],
    precision: 'medium',
  },
  check(ctx) {
    for (const r of ctx.app.resources) {
      if (r.type !== 'deployment-bucket') continue;
      const name = isKnown(r.name) && r.name ? r.name : r.id;
      const bpa = r.props.blockPublicAccess;
      if (bpa === false) {
        ctx.report({
          resource: r.id,
          where: r.where,
          message: `Deployment bucket '${name}' does not block public access.`,
          key: `deploy-bucket-public|${r.id}`,
        });
      } else if (bpa === undefined && r.props.managedByServerless !== true && r.format === 'serverless') {
        // a bucket you name is created outside the service: its public-access settings are not visible here
        ctx.report({
          resource: r.id,
          where: r.where,
          severity: 'info',
          message: `Deployment bucket '${name}' is managed outside this service, so fnguard cannot see whether it blocks public access; set blockPublicAccess: true to have the Serverless Framework enforce it.`,
          key: `deploy-bucket-public-unknown|${r.id}`,
        });
      }
      if (r.props.encryption === 'none') {
        ctx.report({
          resource: r.id,
          where: r.where,
          message: `Deployment bucket '${name}' is not encrypted.`,
          key: `deploy-bucket-unencrypted|${r.id}`,
        });
      }
    }
  },
});
