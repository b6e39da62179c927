import { relative } from 'node:path';
import { packageSignaturesAnalyzer } from '../../analyze/sign/packageSignatures.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions } from '../lib/functions.js';

export default defineRule({
  meta: {
    id: 'SUP-08',
    title: 'Function package or layer whose signature does not verify',
    severity: 'high',
    category: 'supply-chain',
    cwe: ['CWE-345', 'CWE-494'],
    sas: 'SAS-6',
    description:
      "Runs only with `fnguard scan --verify-key KEY` (a public key PEM or a `trust.yml`). The function's code package (its zip artifact, or its code directory) or a layer's content has no fnguard signature bundle, or the bundle does not verify: the content differs from what was signed (a changed, added, missing or renamed file, a mode change), it was signed by a key that is not trusted (or not for this function or layer), or the archive is hostile (zip slip, duplicate names, setuid bits, escaping symlinks, zip bomb). Deploying it would run code that did not come from your build. Container images and Serverless services without `package.artifact` are not checked.",
    remediation: {
      general:
        'Sign the package in your build (`fnguard sign <dir|zip> --key KEY --name fn:<function>`) and verify it before deploying (`fnguard verify <dir|zip> --policy trust.yml`). If verification names a difference you did not make, treat the package as compromised: rebuild it from source. See docs/signing.md.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['novel (FunctionClarity verified after deployment; AWS Signer only its own signatures)'],
    precision: 'high',
  },
  needs: [packageSignaturesAnalyzer],
  check(ctx) {
    if (typeof ctx.options.verifyKey !== 'string') return; // opt-in through --verify-key
    const facts = ctx.fact(packageSignaturesAnalyzer);
    if (!facts.enabled) return;
    const rel = (p: string) => relative(ctx.app.root, p) || '.';
    for (const fn of awsFunctions(ctx.app)) {
      const r = facts.functions.get(fn.id);
      if (!r || r.ok) continue;
      ctx.report({
        fn,
        message:
          r.code === 'no-bundle'
            ? `The code of function '${fn.name}' (${rel(r.path)}) is not signed: no signature bundle found.`
            : `The code of function '${fn.name}' (${rel(r.path)}) does not verify: ${r.message}`,
        key: `${r.code}:${rel(r.path)}`,
        details: { package: rel(r.path), code: r.code },
      });
    }
    for (const layer of ctx.app.layers) {
      const r = facts.layers.get(layer.id);
      if (!r || r.ok) continue;
      ctx.report({
        resource: layer.id,
        where: layer.where,
        message:
          r.code === 'no-bundle'
            ? `Layer '${layer.id}' (${rel(r.path)}) is not signed: no signature bundle found.`
            : `Layer '${layer.id}' (${rel(r.path)}) does not verify: ${r.message}`,
        key: `layer:${r.code}:${rel(r.path)}`,
        details: { package: rel(r.path), code: r.code },
      });
    }
  },
});
