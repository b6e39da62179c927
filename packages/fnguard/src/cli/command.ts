/**
 * A CLI command. Add one by writing `src/cli/commands/<name>.ts` that exports `command`
 * (keep its top-level imports light: import heavy modules inside `run`) and listing it in
 * `src/cli/commands/index.ts` (a test fails when the table and the folder differ).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { ScanRequest } from '../scan.js';
import type { CliIo } from './io.js';

export interface CliContext {
  io: CliIo;
  /** Colour allowed (a TTY, no NO_COLOR, no --no-color). Commands may still honour their own --no-color. */
  color: boolean;
  version: string;
  /** Defaults merged into every scan request (tests inject adapters/registries; embedders too). */
  scanDefaults?: Partial<ScanRequest>;
}

export interface Command {
  /** The word after `fnguard` (`scan`, `rules`, `policy`, `db`...). */
  name: string;
  /** One line for `fnguard --help`. */
  summary: string;
  /** Full help for `fnguard <name> --help`. */
  help: string;
  /** Returns the exit code: 0 ok, 1 findings, 2 usage or fatal error. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}

/** A usage error: the CLI prints the message and the command's help hint and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export type ArgValue = string | boolean | (string | boolean)[] | undefined;

export interface ParsedArgs {
  values: Record<string, ArgValue>;
  positionals: string[];
  /** In order, so paired options (`--format X --output Y`) can be matched. */
  tokens: { kind: string; name?: string; value?: string | undefined; index: number }[];
}

/** `parseArgs` with errors turned into UsageErrors. */
export function parseCommandArgs(argv: string[], options: Options, allowPositionals = true): ParsedArgs {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals, strict: true, tokens: true });
    return { values: r.values as Record<string, ArgValue>, positionals: r.positionals, tokens: r.tokens as ParsedArgs['tokens'] };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}
