import { secretsAnalyzer } from '../../analyze/secrets/index.js';
import { defineRule } from '../defineRule.js';
import { reportSecretFindings } from '../lib/secrets.js';

export default defineRule({
  meta: {
    id: 'CSEC-06',
    title: 'Hard-coded JWT signing secret or signed token',
    severity: 'high',
    category: 'hard-coded-secret',
    cwe: ['CWE-798', 'CWE-321'],
    sas: 'SAS-7',
    description:
      "A JWT is signed or verified with a key written in the code (`jwt.sign(payload, 'literal')`, `jwt.verify(token, 'literal')`, PyJWT `jwt.encode(payload, 'literal')`, express-jwt `secret: 'literal'`, passport-jwt `secretOrKey: 'literal'`): anyone who reads the code can forge tokens that the function accepts, which matters most in Lambda authorizers. Weak words (`'secret'`) are reported here too; only masks and templates are not. A signed JWT written in a file (`eyJ...`) is reported at medium: it is a bearer credential until it expires.",
    remediation: {
      general:
        'Generate a strong random key, keep it in Secrets Manager (or sign with an asymmetric KMS key), read it at runtime, and rotate the key: every token signed with the old one must be considered forgeable.',
      code: "`jwt.sign(payload, await getSecret(process.env.JWT_KEY_ID))`, or verify with the issuer's JWKS (Cognito, your IdP) instead of a shared secret.",
    },
    formats: ['code', 'any'],
    references: [
      'njsscan hardcoded_jwt_secret, jwt_express_hardcoded, hardcoded_passport_secret',
      'semgrep express-jwt-hardcoded-secret',
      'gitleaks jwt',
    ],
    precision: 'high',
  },
  needs: [secretsAnalyzer],
  check(ctx) {
    reportSecretFindings(ctx, ctx.fact(secretsAnalyzer).findings, 'CSEC-06', 'high');
  },
});
