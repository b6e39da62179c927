/** An in-memory CliIo for running the CLI in-process. Files are written to the real disk (temp dirs). */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CliIo } from '../../src/cli/io.js';

export interface CapturedIo extends CliIo {
  out: string;
  err: string;
}

export function captureIo(cwd: string, env: Record<string, string | undefined> = {}, isTTY = false): CapturedIo {
  const io: CapturedIo = {
    out: '',
    err: '',
    stdout(t) {
      io.out += t;
    },
    stderr(t) {
      io.err += t;
    },
    cwd,
    env,
    isTTY,
    async writeFile(path, data) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
    },
    readFile: (path) => readFile(path, 'utf8'),
  };
  return io;
}
