#!/usr/bin/env node
import { nodeIo } from './io.js';
import { run } from './run.js';

// `fnguard scan | head`: a closed pipe is not an error worth a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

run(process.argv.slice(2), nodeIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fnguard: fatal: ${String(e)}\n`);
    process.exitCode = 2;
  },
);
