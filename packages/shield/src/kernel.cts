// Kernel layer: an optional Node-API addon (native/noexec.c) that installs a seccomp filter denying
// execve/execveat on every thread (TSYNC). Built at install time only when a compiler is present.
import fs = require('node:fs');
import path = require('node:path');

export interface Kernel {
  status: 'available' | 'unavailable' | 'off';
  reason: string;
  /** Install the no-exec filter; returns "locked" or "failed: <reason>". */
  lock(): string;
}

const dlopen = process.dlopen.bind(process);
const existsSync = fs.existsSync;

export function addonCandidates(): string[] {
  const root = path.join(__dirname, '..');
  return [
    path.join(root, 'native', 'build', 'Release', 'noexec.node'),
    path.join(root, 'native', `${process.platform}-${process.arch}`, 'noexec.node'),
  ];
}

export function loadKernel(): Kernel {
  if (process.platform !== 'linux')
    return { status: 'unavailable', reason: `platform ${process.platform}`, lock: () => 'failed: unavailable' };
  const file = addonCandidates().find((f) => existsSync(f));
  if (!file) return { status: 'unavailable', reason: 'addon not built', lock: () => 'failed: unavailable' };
  const mod = { exports: {} as { probe?: () => string; lockExec?: () => string } };
  try {
    dlopen(mod, file);
  } catch (e) {
    return { status: 'unavailable', reason: `cannot load addon: ${(e as Error).message}`, lock: () => 'failed: unavailable' };
  }
  const { probe, lockExec } = mod.exports;
  if (typeof probe !== 'function' || typeof lockExec !== 'function')
    return { status: 'unavailable', reason: 'addon has no probe/lockExec', lock: () => 'failed: unavailable' };
  const p = probe();
  if (p !== 'ok') return { status: 'unavailable', reason: p, lock: () => 'failed: unavailable' };
  let locked = false;
  return {
    status: 'available',
    reason: 'seccomp filter supported',
    lock() {
      if (locked) return 'locked';
      const r = lockExec();
      locked = r === 'ok';
      return locked ? 'locked' : `failed: ${r}`;
    },
  };
}
