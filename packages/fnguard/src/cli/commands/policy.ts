/** `fnguard policy [path]`: least-privilege IAM policies generated from each function's code. */
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../command.js';

const HELP = `Usage: fnguard policy [path] [options]

Read the AWS SDK calls in each function's JS/TS code, map them to the IAM actions and resources
they need (resources resolved through the functions' environment variables and the template),
and compare them with the role the function has.

  -f, --format FORMAT   report: text (default) | json
                        policy: cloudformation | sam | serverless | terraform
                        (the minimal policy only, ready to paste)
      --function NAME   only this function (logical name, deployed name or id; repeatable)
      --region NAME     fill \${AWS::Region} in JSON policies
      --account ID      fill \${AWS::AccountId} in JSON policies
      --partition NAME  partition for JSON policies (default aws)
      --stage NAME      serverless \${opt:stage}
      --fail-on-missing exit 1 when a function lacks a permission its code needs
      --no-color        accepted for symmetry (output is plain text)

Exit codes: 0 ok, 1 missing permissions with --fail-on-missing, 2 usage or fatal error.
`;

export const command: Command = {
  name: 'policy',
  summary: "least-privilege IAM policies from each function's code, compared with its role",
  help: HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        format: { type: 'string', short: 'f' },
        function: { type: 'string', multiple: true },
        region: { type: 'string' },
        account: { type: 'string' },
        partition: { type: 'string' },
        stage: { type: 'string' },
        'fail-on-missing': { type: 'boolean' },
        'no-color': { type: 'boolean' },
      },
      true,
    );
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const format = (values.format as string | undefined) ?? 'text';
    const formats = ['text', 'json', 'cloudformation', 'sam', 'serverless', 'terraform'];
    if (!formats.includes(format)) throw new UsageError(`--format must be one of ${formats.join(', ')} (got '${format}')`);
    const { runPolicy } = await import('../../policy/report.js');
    const { resolve } = await import('node:path');
    const out = await runPolicy({
      root: resolve(positionals[0] ?? '.'),
      format: format as 'text',
      functions: (values.function as string[] | undefined) ?? [],
      render: {
        ...(values.region ? { region: values.region as string } : {}),
        ...(values.account ? { account: values.account as string } : {}),
        ...(values.partition ? { partition: values.partition as string } : {}),
      },
      ...(values.stage ? { stage: values.stage as string } : {}),
      ...(ctx.scanDefaults?.adapters ? { adapters: ctx.scanDefaults.adapters } : {}),
    });
    if (out.unknownFunctions.length > 0) throw new UsageError(`no function named ${out.unknownFunctions.map((f) => `'${f}'`).join(', ')}`);
    ctx.io.stdout(out.text);
    return values['fail-on-missing'] && out.missing > 0 ? 1 : 0;
  },
};
