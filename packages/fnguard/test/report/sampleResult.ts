/** A realistic Result built by hand for formatter tests (formatters are pure functions of a Result). */
import type { Finding, Result } from '../../src/engine/types.js';
import type { RuleMeta } from '../../src/rules/defineRule.js';

export const sampleRules: RuleMeta[] = [
  {
    id: 'EXPO-01',
    title: 'Function URL without authentication',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-306'],
    sas: 'SAS-2',
    description: 'The function URL accepts requests from anyone on the internet.',
    remediation: {
      general: 'Use AuthType AWS_IAM or put the function behind an authorizer.',
      serverless: 'Set `url.authorizer: aws_iam`.',
    },
    formats: ['serverless', 'cloudformation', 'terraform'],
    precision: 'high',
  },
  {
    id: 'INJ-01',
    title: 'OS command injection',
    severity: 'critical',
    category: 'injection:command',
    cwe: ['CWE-78'],
    sas: 'SAS-1',
    description: 'Event data reaches a shell command.',
    remediation: { general: 'Use execFile with an argument array.' },
    formats: ['code'],
  },
];

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'EXPO-01',
    title: 'Function URL without authentication',
    severity: 'high',
    category: 'unauthenticated-trigger',
    cwe: ['CWE-306'],
    sas: 'SAS-2',
    message: 'api has a function URL with AuthType NONE',
    function: 'serverless:serverless.yml#api',
    resource: null,
    location: { file: 'serverless.yml', line: 12, column: 5 },
    fingerprint: 'a'.repeat(64),
    suppressed: false,
    helpUri: 'https://github.com/fnguard/fnguard/blob/main/docs/rules/EXPO-01.md',
    ...over,
  };
}

export function sampleResult(): Result {
  return {
    schemaVersion: 1,
    tool: { name: 'fnguard', version: '0.1.0' },
    root: '/projects/app',
    functions: [
      {
        id: 'serverless:serverless.yml#api',
        name: 'api',
        provider: 'aws',
        runtime: 'nodejs20.x',
        handler: 'src/api.handler',
        where: { file: 'serverless.yml', line: 10, column: 3 },
        triggers: [{ kind: 'function-url', public: true, auth: 'none' }],
        risk: {
          score: 88,
          level: 'critical',
          factors: [
            { id: 'exposure:public-unauthenticated', description: 'function URL with auth type NONE', points: 35 },
            { id: 'finding:INJ-01', description: 'OS command injection (critical)', points: 40 },
            { id: 'finding:EXPO-01', description: 'Function URL without authentication (high)', points: 10 },
          ],
        },
      },
      {
        id: 'serverless:serverless.yml#cron',
        name: 'cron',
        provider: 'aws',
        runtime: 'python3.12',
        handler: 'cron.main',
        where: { file: 'serverless.yml', line: 30, column: 3 },
        triggers: [{ kind: 'schedule', public: false, auth: 'none' }],
        risk: { score: 0, level: 'none', factors: [] },
      },
    ],
    findings: [
      finding({
        ruleId: 'INJ-01',
        title: 'OS command injection',
        severity: 'critical',
        category: 'injection:command',
        cwe: ['CWE-78'],
        sas: 'SAS-1',
        message: 'event.queryStringParameters.host reaches child_process.exec',
        location: { file: 'src/api.js', line: 7, column: 3 },
        fingerprint: 'b'.repeat(64),
        flow: [
          { file: 'src/api.js', line: 3, column: 15, note: 'event.queryStringParameters.host' },
          { file: 'src/api.js', line: 7, column: 3, note: 'exec("ping " + host)' },
        ],
        helpUri: 'https://github.com/fnguard/fnguard/blob/main/docs/rules/INJ-01.md',
      }),
      finding({}),
      finding({
        fingerprint: 'c'.repeat(64),
        location: { file: 'sub dir/serverless.yml', line: 3, column: 1 },
        function: null,
        resource: 'ApiUrl',
        suppressed: true,
        suppression: { kind: 'ignore-file', reason: 'demo | <b>only</b>', expires: '2099-01-01' },
      }),
    ],
    diagnostics: [
      { level: 'warning', file: 'big.yml', message: 'file is too large', code: 'too-large' },
      { level: 'info', file: 'serverless.ts', message: 'skipped' },
    ],
    summary: {
      functions: 2,
      findings: 2,
      suppressed: 1,
      bySeverity: { critical: 1, high: 1, medium: 0, low: 0, info: 0 },
      filesScanned: 7,
      durationMs: 42,
    },
  };
}
