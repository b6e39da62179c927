// Preload entry: `node --require @fnguard/shield/register` (or NODE_OPTIONS, or the Lambda exec wrapper).
// Reads FNGUARD_SHIELD_POLICY and installs the guard before any user code. An invalid policy fails the start
// (fail closed) with a one-line explanation on stderr.
import { install, isInstalled, normalizeInput, policyFromEnv } from './core.cjs';

if (!isInstalled()) {
  try {
    const fromEnv = policyFromEnv();
    install(fromEnv ?? normalizeInput(undefined), fromEnv ? 'env' : 'default');
  } catch (e) {
    process.stderr.write(`fnguard shield: ${(e as Error).message}\n`);
    throw e;
  }
}
