import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-16',
    title: 'Event data chooses the AWS resource an SDK call acts on',
    severity: 'high',
    category: 'injection:ssrf',
    cwe: ['CWE-99', 'CWE-639'],
    sas: 'SAS-1',
    description: `An AWS SDK call (v2 or v3) takes its resource from attacker-controlled event data: S3 \`Bucket\` or an unprefixed \`Key\`, Lambda \`FunctionName\`, SQS \`QueueUrl\`, SNS \`TopicArn\`, DynamoDB \`TableName\`, STS \`RoleArn\`, Step Functions \`stateMachineArn\`, Secrets Manager \`SecretId\`... The attacker makes the function act with its own IAM permissions on resources they choose. S3 keys under a constant prefix (\`uploads/\${id}\`) are not reported (keys are flat, \`..\` is literal).`,
    remediation: {
      general:
        'Take resource names from configuration (environment variables set by the IaC), map user choices through a fixed table, and scope IAM permissions to the exact resources the function needs.',
      code: 'Use `Bucket: process.env.BUCKET` and a constant key prefix; check user choices against an allow-list.',
    },
    formats: ['code'],
    references: ['OWASP Serverless Top 10 2018 A1 (injection through cloud APIs)'],
    precision: 'medium',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['aws-resource'], (f) => `event data chooses the AWS resource of ${f.sink}: cloud API parameter injection`);
  },
});
