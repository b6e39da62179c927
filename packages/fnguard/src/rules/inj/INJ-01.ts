import { defineRule } from '../defineRule.js';
import { reportTaint, taintAnalyzer } from '../lib/taint.js';

export default defineRule({
  meta: {
    id: 'INJ-01',
    title: 'OS command injection from event data',
    severity: 'critical',
    category: 'injection:command',
    cwe: ['CWE-78'],
    sas: 'SAS-1',
    description:
      "Attacker-controlled event data (a query parameter, the request body, an S3 object key, a queue message...) reaches a shell or a process launcher: `child_process.exec`/`execSync`, `spawn`/`execFile` with `shell: true` or with an attacker-chosen program, `shelljs.exec`, `execa` with a shell. Whoever controls the field runs commands with the function's IAM role and reads its environment (credentials included).",
    remediation: {
      general:
        "Do not build command lines from event data. Call the program with an argument array and no shell (`execFile('convert', [file])`), validate the value against a strict allow-list or pattern first, or quote it with `shell-quote`.",
      code: `Replace \`exec(\`cmd \${x}\`)\` with \`execFile('cmd', [x])\`; validate \`x\` with an anchored pattern (\`/^[\\w.-]+$/\`) or an allow-list before use.`,
    },
    formats: ['code'],
    references: [
      'semgrep javascript/aws-lambda/security/detect-child-process',
      'njsscan generic_os_command_exec',
      'eslint-plugin-security detect-child-process',
    ],
    precision: 'high',
  },
  needs: [taintAnalyzer],
  check(ctx) {
    reportTaint(ctx, ['command'], (f) => `event data reaches ${f.sink}: OS command injection`);
  },
});
