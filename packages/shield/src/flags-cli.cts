// Prints the NODE_OPTIONS additions for the current Node and environment (used by the exec wrapper).
// Exit code 2 and a message on stderr when the policy is invalid: the wrapper then fails closed.

import { policyFromEnv } from './core.cjs';
import { shieldFlags } from './flags.cjs';
import { normalizePolicy } from './policy.cjs';

try {
  const policy = policyFromEnv() ?? normalizePolicy({});
  const strict = process.env.FNGUARD_SHIELD_STRICT === '1';
  process.stdout.write(`${shieldFlags(policy, process.version, strict).join(' ')}\n`);
} catch (e) {
  process.stderr.write(`fnguard shield: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
