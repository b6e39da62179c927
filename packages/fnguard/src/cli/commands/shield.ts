/** `fnguard shield layer`: build the @fnguard/shield Lambda layer zip (the shield's own layer builder). */
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../command.js';

const HELP = `Usage: fnguard shield layer [--out FILE]

Build a Lambda layer zip holding @fnguard/shield (nodejs/node_modules/@fnguard/shield/...) and the
exec wrapper at the layer root (/opt/fnguard-shield once deployed). Set the function's
AWS_LAMBDA_EXEC_WRAPPER=/opt/fnguard-shield and FNGUARD_SHIELD_POLICY; see docs/shield.md.
The seccomp addon is included only if it was built on this machine (npm run build:native -w @fnguard/shield).

  -o, --out FILE   where to write the zip (default shield-layer.zip; parent folders created)
`;

export const command: Command = {
  name: 'shield',
  summary: 'runtime shield tools: build the Lambda layer zip (shield layer)',
  help: HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string', short: 'o' } });
    const sub = positionals[0];
    if (sub !== 'layer') throw new UsageError(`expected 'layer' (got '${sub ?? ''}')`);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const out = typeof values.out === 'string' && values.out !== '' ? values.out : 'shield-layer.zip';
    const [{ resolve }, { buildLayerZip }] = await Promise.all([import('node:path'), import('@fnguard/shield/layer')]);
    const r = buildLayerZip(resolve(ctx.io.cwd, out));
    ctx.io.stdout(`wrote ${r.path} (${r.files} files, ${r.bytes} bytes)\n`);
    return 0;
  },
};
