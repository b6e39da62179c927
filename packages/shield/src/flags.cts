// Node flags for the exec wrapper: the shield preload, code-generation and FFI switches, and (strict mode) the
// Node permission model with grants generated from the policy for the running Node version (research §1.1).
import path = require('node:path');

import { REGISTER_PATH } from './core.cjs';
import type { ShieldPolicy } from './policy.cjs';

export interface NodeVersion {
  major: number;
  minor: number;
}

export function parseNodeVersion(v: string): NodeVersion {
  const m = /^v?(\d+)\.(\d+)/.exec(v);
  return { major: m ? Number(m[1]) : 0, minor: m ? Number(m[2]) : 0 };
}

/** `--permission` is stable from 22.13; 20.x only knows `--experimental-permission`; 24+ rejects the old one. */
export function permissionFlag(v: NodeVersion): string {
  if (v.major < 22 || (v.major === 22 && v.minor < 13)) return '--experimental-permission';
  return '--permission';
}

export function hasPermissionDrop(v: NodeVersion): boolean {
  return (v.major === 24 && v.minor >= 21) || v.major >= 26;
}

const quote = (s: string) => (/[\s"\\]/.test(s) ? `"${s.replace(/(["\\])/g, '\\$1')}"` : s);

/** Every flag the wrapper adds to NODE_OPTIONS, in order. `strict` adds the permission model. */
export function shieldFlags(policy: ShieldPolicy, version: string, strict: boolean, registerPath = REGISTER_PATH): string[] {
  const v = parseNodeVersion(version);
  const flags = [`--require=${quote(registerPath)}`];
  if (policy.codeGeneration.mode === 'block') flags.push('--disallow-code-generation-from-strings');
  if (v.major >= 26 && policy.ffi.mode === 'block') flags.push('--no-experimental-ffi');
  if (!strict) return flags;
  flags.push(permissionFlag(v));
  const pkgDir = path.join(path.dirname(registerPath), '..');
  // Block scopes natively; alert/allow scopes stay granted and the JS layer logs them (research §1.3).
  const reads = new Set(policy.fsRead.mode === 'block' ? [...policy.fsRead.allow, pkgDir] : ['*']);
  const writes = new Set(policy.fsWrite.mode === 'block' ? policy.fsWrite.allow : ['*']);
  if (policy.tmp.mode !== 'block' && !reads.has('*')) reads.add(policy.tmpDir);
  if (policy.tmp.mode !== 'block' && !writes.has('*')) writes.add(policy.tmpDir);
  // One path per flag: a comma-separated list is ignored with a warning on every tested version (research §1.1).
  for (const r of reads) flags.push(`--allow-fs-read=${quote(r)}`);
  for (const w of writes) flags.push(`--allow-fs-write=${quote(w)}`);
  if (policy.childProcess.mode !== 'block') flags.push('--allow-child-process');
  if (policy.workers.mode !== 'block') flags.push('--allow-worker');
  // The Lambda runtime client loads a native addon; it is dropped after start-up where drop() exists.
  flags.push('--allow-addons');
  // 25+: network is all-or-nothing and the runtime needs the Runtime API; host rules stay in the JS layer.
  if (v.major >= 25) flags.push('--allow-net');
  if (v.major >= 26 && policy.ffi.mode !== 'block') flags.push('--allow-ffi');
  return flags;
}
