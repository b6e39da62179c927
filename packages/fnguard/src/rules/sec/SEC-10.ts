import { isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { envDeclarations, envScope, envTarget } from '../lib/env.js';

/** Env vars that switch off TLS certificate verification, and the values that do it. */
const INSECURE: Record<string, (v: string) => boolean> = {
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v.trim() === '0',
  PYTHONHTTPSVERIFY: (v) => v.trim() === '0',
  GIT_SSL_NO_VERIFY: (v) => /^(1|true)$/i.test(v.trim()),
  CURL_INSECURE: (v) => /^(1|true)$/i.test(v.trim()),
};

export default defineRule({
  meta: {
    id: 'SEC-10',
    title: 'TLS certificate verification disabled through the environment',
    severity: 'high',
    category: 'insecure-config',
    cwe: ['CWE-295'],
    sas: 'SAS-3',
    description:
      'An environment variable switches off TLS certificate verification for the whole function runtime: `NODE_TLS_REJECT_UNAUTHORIZED=0` (Node.js), `PYTHONHTTPSVERIFY=0` (Python), `GIT_SSL_NO_VERIFY`. Every outbound HTTPS call, including AWS SDK calls and calls carrying tokens, can then be intercepted by anyone on the network path.',
    remediation: {
      general:
        'Remove the variable. If a private CA is needed, add its certificate (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`) instead of disabling verification.',
      serverless: 'Remove the variable from `environment` and use `NODE_EXTRA_CA_CERTS` with a bundled CA file if needed.',
      cloudformation: 'Remove the variable from `Environment.Variables`.',
      sam: 'Remove the variable from `Environment.Variables` (and `Globals`).',
      terraform: 'Remove the variable from `environment { variables = ... }`.',
      cdk: 'Remove the variable from `environment`.',
    },
    formats: ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform'],
    references: ['njsscan node_tls_reject (code form)'],
    precision: 'high',
  },
  check(ctx) {
    for (const o of envDeclarations(ctx.app)) {
      const test = INSECURE[o.env.name.toUpperCase()];
      if (!test || !isKnown(o.env.value) || !test(o.env.value)) continue;
      ctx.report({
        ...envTarget(o),
        where: o.env.where,
        message: `Environment variable ${o.env.name}=${o.env.value.trim()} disables TLS certificate verification for ${envScope(o)}.`,
        key: `tls-off|${o.env.name}`,
      });
    }
  },
});
