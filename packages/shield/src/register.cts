// Preload entry: `node --require @fnguard/shield/register` (or NODE_OPTIONS, or the Lambda exec wrapper).
// With FNGUARD_VERIFY set, first verifies the code against its signed bundle (coldstart.cts) and refuses to start
// when it does not match. Then reads FNGUARD_SHIELD_POLICY and installs the guard before any user code. An invalid
// policy fails the start (fail closed) with a one-line explanation on stderr.
import { loadRuntime } from './runtime-loader.cjs';

const { runtime, codeCache } = loadRuntime();
const { install, isInstalled, normalizeInput, policyFromEnv } = runtime;

if (!isInstalled()) {
  if (process.env.FNGUARD_VERIFY) {
    // loaded only when asked for: nothing heavy at import time
    const { coldStart } = require('./coldstart.cjs') as typeof import('./coldstart.cjs');
    try {
      coldStart();
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      throw e;
    }
  }
  try {
    const fromEnv = policyFromEnv();
    install(fromEnv ?? normalizeInput(undefined), fromEnv ? 'env' : 'default', { codeCache });
  } catch (e) {
    process.stderr.write(`fnguard shield: ${(e as Error).message}\n`);
    throw e;
  }
}
