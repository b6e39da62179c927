// @fnguard/shield: runtime protection for Node.js serverless functions (ESM entry).
// The guard itself is CommonJS so that `--require @fnguard/shield/register` can load it before anything else;
// this module re-exports the public API from the same instance.

export { REGISTER_PATH, seal, status, wipeTmp } from './core.cjs';
export { BLOCKED_CODE, type Frame, packageOf, type ShieldError, type ShieldEvent, type ViolationHook } from './events.cjs';
export { hasPermissionDrop, parseNodeVersion, permissionFlag, shieldFlags } from './flags.cjs';
export { buildLayerZip, layerEntries, WRAPPER_NAME } from './layer.cjs';
export { compileNetAllow, parseIp } from './netmatch.cjs';
export {
  type Mode,
  normalizePolicy,
  POLICY_NAMES,
  PolicyError,
  type PolicyInput,
  type PolicyName,
  parsePolicyText,
  type ShieldPolicy,
} from './policy.cjs';
export { type MiddyRequest, protect, type ShieldOptions, shield, shieldMiddleware } from './wrap.cjs';
export { crc32, type ZipEntry, zip } from './zip.cjs';

export const SHIELD_VERSION = '0.1.0';
