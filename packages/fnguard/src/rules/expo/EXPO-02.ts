import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';

export default defineRule({
  meta: {
    id: 'EXPO-02',
    title: 'Function URL CORS allows every origin and every method',
    severity: 'medium',
    category: 'insecure-config',
    cwe: ['CWE-942'],
    sas: 'SAS-2',
    description:
      "The function URL's CORS configuration allows any origin (`*`) together with any method (`*`), so any website a user visits can call the function from the user's browser with every HTTP method. In the Serverless Framework, `url.cors: true` expands to exactly this.",
    remediation: {
      general: 'List the origins that may call the function (your front-end domains) and the methods it serves.',
      serverless: 'Replace `cors: true` with `cors: { allowedOrigins: [https://app.example.com], allowedMethods: [GET, POST] }`.',
      cloudformation: 'Set `Cors.AllowOrigins` and `Cors.AllowMethods` of the `AWS::Lambda::Url` to explicit lists.',
      sam: 'Set `FunctionUrlConfig.Cors.AllowOrigins`/`AllowMethods` to explicit lists.',
      terraform: 'Set `cors { allow_origins = [...], allow_methods = [...] }` to explicit lists.',
      cdk: 'Pass `cors: { allowedOrigins: [...], allowedMethods: [...] }` to `addFunctionUrl`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['Checkov CKV2_AWS_75', 'Prowler awslambda_function_url_cors_policy'],
    precision: 'high',
  },
  check(ctx) {
    for (const fn of ctx.app.functions) {
      const cors = fn.url?.cors;
      if (!cors) continue;
      const star = (list: unknown[] | undefined) => (list ?? []).some((v) => isKnown(v as string) && String(v).trim() === '*');
      if (!star(cors.allowOrigins) || !star(cors.allowMethods)) continue;
      ctx.report({
        fn,
        where: cors.where,
        message: `Function '${fn.name}' has a function URL whose CORS allows every origin and every method.`,
        key: 'function-url-cors-star',
      });
    }
  },
});
