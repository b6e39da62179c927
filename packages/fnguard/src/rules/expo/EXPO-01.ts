import { isUnknown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'EXPO-01',
    title: 'Function URL without authentication',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-306'],
    sas: 'SAS-2',
    description:
      'The function has a Lambda function URL with `AuthType: NONE`: anyone on the internet who learns the URL can invoke it directly, bypassing API Gateway authorizers, throttling and WAF. In the Serverless Framework, `url: true` (or `url:` without `authorizer: aws_iam`) creates such a URL.',
    remediation: {
      general:
        'Use `AWS_IAM` auth for the function URL (callers sign requests with SigV4), or put the function behind API Gateway with an authorizer. If the URL must be public, authenticate every request in the handler and document why.',
      serverless: 'Set `url: { authorizer: aws_iam }` on the function.',
      cloudformation: 'Set `AuthType: AWS_IAM` on the `AWS::Lambda::Url`.',
      sam: 'Set `FunctionUrlConfig.AuthType: AWS_IAM`.',
      terraform: 'Set `authorization_type = "AWS_IAM"` on `aws_lambda_function_url`.',
      cdk: 'Use `fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM })`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Checkov CKV_AWS_258', 'Prowler awslambda_function_url_public', 'cdk-nag LambdaFunctionUrlAuth'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      const url = fn.url;
      if (!url || isUnknown(url.auth)) continue;
      if (url.auth !== 'none') continue;
      ctx.report({
        fn,
        where: url.where,
        message: `Function '${fn.name}' has a function URL with auth type NONE: anyone can invoke it.`,
        key: 'function-url-auth-none',
      });
    }
  },
});
