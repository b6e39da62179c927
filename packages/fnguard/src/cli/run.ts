/**
 * `run(argv, io)`: the whole CLI, testable in-process. `bin.ts` is a thin wrapper.
 */
import type { ScanRequest } from '../scan.js';
import { VERSION } from '../version.js';
import type { CliContext, Command } from './command.js';
import { UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import type { CliIo } from './io.js';

export { VERSION };

function mainHelp(commands: readonly Command[]): string {
  const w = Math.max(6, ...commands.map((c) => c.name.length));
  return [
    'fnguard: security scanner and toolkit for serverless functions',
    '',
    'Usage: fnguard <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: fnguard <command> --help)',
    '  -v, --version  show the version',
    '',
    'Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or fatal error.',
    'Docs: https://github.com/fnguard/fnguard#readme',
    '',
  ].join('\n');
}

export interface RunOptions {
  /** Defaults merged into every scan request (e.g. extra adapters or a rule registry). */
  scanDefaults?: Partial<ScanRequest>;
}

export async function run(argv: string[], io: CliIo, runOptions: RunOptions = {}): Promise<number> {
  const env = io.env;
  const noColor = (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || argv.includes('--no-color');
  const forceColor = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const color = !noColor && (forceColor || (io.isTTY && env.TERM !== 'dumb'));
  const ctx: CliContext = { io, color, version: VERSION, ...(runOptions.scanDefaults ? { scanDefaults: runOptions.scanDefaults } : {}) };
  try {
    const first = argv[0];
    if (first === '--version' || first === '-v' || first === 'version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const commands = COMMANDS;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const target = first === 'help' ? argv[1] : undefined;
      const cmd = target ? commands.find((c) => c.name === target) : undefined;
      io.stdout(cmd ? cmd.help : mainHelp(commands));
      if (first === undefined) return 2;
      return 0;
    }
    const cmd = commands.find((c) => c.name === first);
    if (!cmd) {
      if (first.startsWith('-'))
        throw new UsageError(`unknown option '${first}' (options go after the command, e.g. fnguard scan ${first})`);
      throw new UsageError(`unknown command '${first}'`);
    }
    const rest = argv.slice(1);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(cmd.help);
      return 0;
    }
    return await cmd.run(rest, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`fnguard: ${e.message}\nRun 'fnguard --help' for usage.\n`);
      return 2;
    }
    io.stderr(`fnguard: fatal: ${(e as Error)?.message ?? String(e)}\n`);
    if (env.FNGUARD_DEBUG) io.stderr(`${(e as Error)?.stack ?? ''}\n`);
    return 2;
  }
}
