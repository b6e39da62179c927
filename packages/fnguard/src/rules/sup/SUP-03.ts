import type { Severity } from '../../engine/types.js';
import { type App, type Fn, isKnown } from '../../model/types.js';
import { defineRule } from '../defineRule.js';
import { awsFunctions, identityOf } from '../lib/functions.js';

/**
 * AWS accounts that publish well-known AWS layers (facts from the AWS documentation):
 * Lambda Insights, Powertools for AWS Lambda (Python, TypeScript), the AWS Parameters and Secrets
 * extension, AWS Distro for OpenTelemetry, the AppConfig extension.
 */
export const AWS_LAYER_ACCOUNTS: Readonly<Record<string, string>> = {
  '580247275435': 'Lambda Insights',
  '017000801446': 'Powertools for AWS Lambda',
  '094274105915': 'Powertools for AWS Lambda (TypeScript)',
  '177933569100': 'AWS Parameters and Secrets Lambda Extension',
  '901920570463': 'AWS Distro for OpenTelemetry',
  '615299751070': 'AWS Distro for OpenTelemetry',
  '027255383542': 'AWS AppConfig Lambda extension',
};

const LAYER_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]*:(\d{12}):layer:([A-Za-z0-9_-]+)(?::(\S+))?$/;

/** Accounts the project itself lives in, when some literal ARN in it tells (function, role, permission). */
function ownAccounts(app: App, fn: Fn): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v !== 'string') return;
    const m = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(v);
    if (m?.[1]) out.add(m[1]);
  };
  const id = identityOf(app, fn);
  add(id?.arn);
  add(fn.functionName);
  for (const p of fn.permissions) if (isKnown(p.sourceAccount) && /^\d{12}$/.test(p.sourceAccount)) out.add(p.sourceAccount);
  return out;
}

export default defineRule({
  meta: {
    id: 'SUP-03',
    title: 'Layer from another AWS account',
    severity: 'high',
    category: 'supply-chain',
    cwe: ['CWE-829'],
    sas: 'SAS-6',
    description:
      "The function loads a layer published by another AWS account. A layer's code runs inside your function with its role and sees every event and secret; whoever controls that account controls what is in a new layer version, and an old version can vanish. Layers published by AWS itself (Lambda Insights, Powertools, the Parameters and Secrets extension, ADOT, AppConfig) are reported at low severity. When the project's own account cannot be told, a layer from a literal account is reported at medium: check that the account is yours.",
    remediation: {
      general:
        'Pin third-party layers to a version you reviewed, or better, vendor the code into your own package or a layer published from your own account; keep AWS-published layers at a pinned version.',
      serverless: 'Replace the ARN under `layers:` with a layer built in this project (`layers:` section) or in your account.',
      cloudformation: 'Replace the foreign ARN in `Layers` with an `AWS::Lambda::LayerVersion` you publish.',
      sam: 'Replace the foreign ARN in `Layers` with an `AWS::Serverless::LayerVersion` you publish.',
      terraform: 'Replace the foreign ARN in `layers` with an `aws_lambda_layer_version` you publish.',
    },
    formats: ['serverless', 'cloudformation', 'sam', 'cdk', 'terraform'],
    references: ['Prowler awslambda_function_using_cross_account_layers'],
    precision: 'medium',
  },
  check(ctx) {
    for (const fn of awsFunctions(ctx.app)) {
      const own = ownAccounts(ctx.app, fn);
      for (const layer of fn.layers) {
        if (!isKnown(layer.arn) || layer.layerId !== undefined) continue;
        const m = LAYER_ARN.exec(layer.arn.trim());
        if (!m) continue;
        const account = m[1] ?? '';
        const name = m[2] ?? '';
        if (own.has(account)) continue;
        let severity: Severity;
        let message: string;
        const publisher = AWS_LAYER_ACCOUNTS[account];
        if (publisher) {
          severity = 'low';
          message = `Function '${fn.name}' loads layer '${name}' from the AWS account that publishes ${publisher} (${account}): keep it pinned to a reviewed version.`;
        } else if (own.size > 0) {
          severity = 'high';
          message = `Function '${fn.name}' loads layer '${name}' from account ${account}, not this project's account: that account's owner controls code that runs with the function's role and secrets.`;
        } else {
          severity = 'medium';
          message = `Function '${fn.name}' loads layer '${name}' from account ${account}: if that is not your own account, its owner controls code that runs with the function's role and secrets.`;
        }
        ctx.report({ fn, where: layer.where, severity, message, key: `layer:${account}:${name}` });
      }
    }
  },
});
