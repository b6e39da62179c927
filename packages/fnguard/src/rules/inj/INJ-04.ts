import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-04',
    title: 'DynamoDB injection: expressions, PartiQL or whole requests built from event data',
    severity: 'high',
    category: 'injection:nosql',
    cwe: ['CWE-943'],
    sas: 'SAS-1',
    description:
      'A DynamoDB request takes attacker-controlled event data where only trusted values belong: a `FilterExpression`, `KeyConditionExpression`, `ConditionExpression`, `UpdateExpression` or `ProjectionExpression` built by string concatenation, a PartiQL `Statement` built from input (`ExecuteStatementCommand`), or the whole request parameters parsed from the event. The attacker can read or change items the function never meant to expose. Values passed through `ExpressionAttributeValues` or `Key` are not reported.',
    remediation: {
      general:
        'Keep expressions constant and pass values through `ExpressionAttributeValues` (`:v`) and names through `ExpressionAttributeNames`; use PartiQL parameters (`Parameters: [...]`); build request objects yourself, field by field.',
      code: "Replace `FilterExpression: 'owner = ' + owner` with `FilterExpression: 'owner = :o', ExpressionAttributeValues: { ':o': owner }`.",
    },
    formats: ['code'],
    references: ['semgrep javascript/aws-lambda/security/dynamodb-request-object'],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['dynamodb'], (f) => `event data reaches ${f.sink}: DynamoDB expression or request injection`);
  },
});
