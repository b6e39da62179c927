import { isKnown, isUnknown, type Resource } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

/** Resource types checked, and what "encryption not set" means for each (AWS defaults). */
const TYPES: Record<string, { label: string; unsetIsNone: boolean }> = {
  'sqs-queue': { label: 'SQS queue', unsetIsNone: false }, // SSE-SQS is on by default since 2022
  'sns-topic': { label: 'SNS topic', unsetIsNone: true },
  'kinesis-stream': { label: 'Kinesis stream', unsetIsNone: true },
  'dynamodb-table': { label: 'DynamoDB table', unsetIsNone: false }, // always encrypted (AWS-owned key)
  secret: { label: 'Secrets Manager secret', unsetIsNone: false },
  'log-group': { label: 'log group', unsetIsNone: false },
};

function encryptionOf(r: Resource): 'none' | 'aws-managed' | 'cmk' | 'unknown' | undefined {
  const e = r.props.encryption;
  if (e === undefined) return TYPES[r.type]?.unsetIsNone ? 'none' : undefined;
  if (isUnknown(e)) return 'unknown';
  return e;
}

export default defineRule({
  meta: {
    id: 'SEC-08',
    title: 'Trigger or data store not encrypted at rest',
    severity: 'low',
    category: 'sensitive-data-exposure',
    cwe: ['CWE-311'],
    sas: 'SAS-3',
    description:
      'An SQS queue, SNS topic or Kinesis stream used by the functions stores messages without server-side encryption (SNS topics and Kinesis streams are unencrypted unless configured). Resources encrypted only with an AWS-managed key (no customer-managed key to control and audit access) are reported at info level.',
    remediation: {
      general: 'Enable server-side encryption, preferably with a customer-managed KMS key.',
      serverless: 'Set `KmsMasterKeyId` (SNS/SQS) or `StreamEncryption` (Kinesis) on the resource in `resources:`.',
      cloudformation:
        'Set `KmsMasterKeyId` (SNS/SQS), `StreamEncryption` (Kinesis), `SSESpecification` (DynamoDB) or `KmsKeyId` (log groups, secrets).',
      sam: 'Set `KmsMasterKeyId` (SNS/SQS), `StreamEncryption` (Kinesis), `SSESpecification` (DynamoDB) or `KmsKeyId` (log groups, secrets).',
      terraform:
        'Set `kms_master_key_id` (SNS/SQS), `encryption_type = "KMS"` (Kinesis), `server_side_encryption` (DynamoDB) or `kms_key_id`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: [
      'Checkov CKV_AWS_27',
      'Checkov CKV_AWS_26',
      'Checkov CKV_AWS_119',
      'Checkov CKV_AWS_158',
      'Trivy AWS-0096',
      'Trivy AWS-0095',
      'cdk-nag AwsSolutions-SQS2',
      'cdk-nag AwsSolutions-SNS3',
      'ScoutSuite sqs-queue-server-side-encryption-disabled',
    ],
    precision: 'high',
  },
  check(ctx) {
    for (const r of ctx.app.resources) {
      const t = TYPES[r.type];
      if (!t) continue;
      const enc = encryptionOf(r);
      const name = isKnown(r.name) ? r.name : r.id;
      if (enc === 'none') {
        ctx.report({ resource: r.id, where: r.where, message: `${t.label} '${name}' is not encrypted at rest.`, key: `enc-none|${r.id}` });
      } else if (enc === 'aws-managed') {
        ctx.report({
          resource: r.id,
          where: r.where,
          severity: 'info',
          message: `${t.label} '${name}' is encrypted only with an AWS-owned or AWS-managed key, not a customer-managed key.`,
          key: `enc-aws|${r.id}`,
        });
      }
    }
  },
});
