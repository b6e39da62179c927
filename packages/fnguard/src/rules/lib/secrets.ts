/** Reporting helpers for the CSEC rules: one wording and one severity policy for every secret finding. */
import type { SecretFinding } from '../../analyze/secrets/index.js';
import type { Severity } from '../../engine/types.js';
import type { Fn } from '../../model/types.js';
import type { RuleContext } from '../defineRule.js';

/** What each detector kind is, for messages. */
export const SECRET_LABELS: Record<string, string> = {
  'aws-access-key-id': 'AWS access key id',
  'aws-secret-access-key': 'AWS secret access key',
  'private-key': 'private key',
  'encrypted-private-key': 'encrypted private key',
  'putty-private-key': 'PuTTY private key',
  'gcp-service-account-key': 'Google Cloud service account key',
  'github-token': 'GitHub token',
  'gitlab-token': 'GitLab token',
  'slack-token': 'Slack token',
  'slack-app-token': 'Slack app token',
  'slack-webhook': 'Slack webhook URL',
  'stripe-key': 'Stripe live secret key',
  'stripe-test-key': 'Stripe test secret key',
  'sendgrid-key': 'SendGrid API key',
  'twilio-api-key': 'Twilio API key',
  'twilio-auth-token': 'Twilio auth token',
  'google-api-key': 'Google API key',
  'npm-token': 'npm access token',
  'openai-key': 'OpenAI API key',
  'anthropic-key': 'Anthropic API key',
  'azure-storage-key': 'Azure storage account key',
  'azure-shared-access-key': 'Azure shared access key',
  'database-url-password': 'database password in a connection URL',
  'url-with-password': 'password in a URL',
  'connection-string-password': 'password in a connection string',
  jwt: 'signed JWT',
  'jwt-signing-secret': 'JWT signing secret',
  'generic-secret': 'secret',
  'generic-password': 'password',
  'env-fallback': 'secret used as an environment variable fallback',
  'bearer-token': 'bearer token',
  'npm-auth-token': 'npm registry auth token',
  'netrc-password': '.netrc password',
  'pypi-password': 'PyPI password',
  'docker-auth': 'Docker registry auth',
};

export function secretLabel(kind: string): string {
  return SECRET_LABELS[kind] ?? kind;
}

const LOWER: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low', info: 'info' };

/** Severity of one secret: the rule's, one step lower for medium confidence, low for weak matches and under test/example paths. */
export function secretSeverity(base: Severity, s: { confidence: string; testPath: boolean }): Severity {
  if (s.testPath || s.confidence === 'low') return 'low';
  return s.confidence === 'medium' ? LOWER[base] : base;
}

/** The function a file-level finding is reported against (one function owns the file), plus the wording for several. */
export function secretTarget(ctx: RuleContext, fnIds: readonly string[]): { fn: Fn | null; where: string } {
  if (fnIds.length === 0) return { fn: null, where: '' };
  const fns = fnIds.map((id) => ctx.app.functions.find((f) => f.id === id)).filter((f): f is Fn => !!f);
  if (fns.length === 1) return { fn: fns[0] ?? null, where: ` It is in the code of function '${fns[0]?.name}'.` };
  const names = fns.slice(0, 4).map((f) => `'${f.name}'`);
  return { fn: null, where: ` It is in the code shared by ${fns.length} functions (${names.join(', ')}${fns.length > 4 ? ', ...' : ''}).` };
}

/** Report every finding of `ruleId` from the secrets facts (claimed IaC values excepted: their SEC rule reports them). */
export function reportSecretFindings(
  ctx: RuleContext,
  findings: readonly SecretFinding[],
  ruleId: string,
  base: Severity,
  severityOf: (s: SecretFinding, base: Severity) => Severity = (s, b) => secretSeverity(b, s),
): void {
  for (const s of findings) {
    if (s.rule !== ruleId || s.claimedBy) continue;
    const target = secretTarget(ctx, s.fnIds);
    const label = secretLabel(s.kind);
    const named = s.name && !s.context ? ` in \`${s.name}\`` : '';
    const how = s.context ? ` (${s.context})` : '';
    const paired =
      s.pairedLine !== undefined
        ? s.kind === 'aws-access-key-id'
          ? ` Its secret access key is on line ${s.pairedLine}: together they are a working credential.`
          : ` Its access key id is on line ${s.pairedLine}.`
        : '';
    const layer = s.layerId ? ` It is packaged in layer '${s.layerId}'.` : '';
    const test = s.testPath ? ' (test/example path: reported at low severity)' : '';
    ctx.report({
      fn: target.fn,
      resource: s.layerId ?? null,
      where: { file: s.file, line: s.line, column: s.column, endLine: s.endLine },
      severity: severityOf(s, base),
      message: `Hard-coded ${label}${named}${how}: ${s.redacted}${test}.${paired}${target.where}${layer}`,
      key: `${s.rel}|${s.kind}|${s.valueHash}`,
      details: {
        kind: s.kind,
        confidence: s.confidence,
        redacted: s.redacted,
        ...(s.name ? { name: s.name } : {}),
        testPath: s.testPath,
        ...(s.fnIds.length > 1 ? { functions: s.fnIds } : {}),
        ...(s.layerId ? { layer: s.layerId } : {}),
      },
    });
  }
}
