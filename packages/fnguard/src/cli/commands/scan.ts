/** `fnguard scan [path]`: scan a project and report. */
import type { Command } from '../command.js';

export const SCAN_HELP = `Usage: fnguard scan [path] [options]
       fnguard scan FILE... [options]

Scan a serverless project (Serverless Framework, SAM/CloudFormation, CDK output, Terraform):
a directory (default: the current one), one file, or several files (e.g. the files staged
for a commit; paths relative to the current directory, which is then the root).

Output:
  -f, --format FORMAT     text | json | sarif | markdown | html | github (repeatable; default text)
  -o, --output FILE       write the preceding --format to FILE (a format without
                          --output goes to stdout; an --output alone takes its
                          format from the extension: .json .sarif .md .html .txt)
  -q, --quiet             findings and the summary line only
      --no-color          no colours (also NO_COLOR=1, or when stdout is not a terminal)

Selection:
      --fail-on LEVEL     critical | high | medium | low | none (default high):
                          exit 1 when an unsuppressed finding is at or above LEVEL
      --severity LEVEL    only report findings at or above LEVEL
      --rule ID           only these rules (repeatable; ids or globs such as 'PERM-*';
                          opt-in rules need their exact id)
      --skip-rule ID      skip these rules (repeatable; ids or globs)

Input:
  -c, --config FILE       options file (default: .fnguard.yml in the scanned directory)
      --stage NAME        serverless \${opt:stage}
      --region NAME       serverless \${opt:region}
      --param KEY=VALUE   serverless --param (repeatable)
      --include-dev       include dev dependencies in dependency checks
      --advisory-db DIR   offline OSV advisory database directory (default: the one
                          \`fnguard db update\` keeps in the user cache)
      --online            also query OSV's API (api.osv.dev) for the locked packages
      --ignore-file FILE  suppressions file (default: .fnguardignore.yml in the scanned directory)
      --verify-key FILE   public key PEM or trust.yml: verify the signature of every
                          function package and layer (SUP-08; see fnguard sign)

Baselines:
      --baseline FILE        suppress findings listed in FILE (stale entries are reported)
      --write-baseline FILE  write the current findings' fingerprints to FILE

Exit codes: 0 no unsuppressed finding at or above --fail-on, 1 findings, 2 usage or fatal error.
`;

export const OPTIONS = {
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  'fail-on': { type: 'string' },
  severity: { type: 'string' },
  rule: { type: 'string', multiple: true },
  'skip-rule': { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  stage: { type: 'string' },
  region: { type: 'string' },
  param: { type: 'string', multiple: true },
  'include-dev': { type: 'boolean' },
  'advisory-db': { type: 'string' },
  online: { type: 'boolean' },
  'ignore-file': { type: 'string' },
  'verify-key': { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
} as const;

export const command: Command = {
  name: 'scan',
  summary: 'scan a project: functions ranked by risk, findings, SARIF/JSON/markdown reports',
  help: SCAN_HELP,
  async run(argv, ctx) {
    const { runScan } = await import('../scanCommand.js');
    return runScan(argv, ctx, OPTIONS);
  },
};
