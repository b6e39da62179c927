// Row 19: node:ffi (Node 26, on by default) calls libc system() past any JS wrapper of child_process.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 19,
  title: "node:ffi dlopen('libc.so.6') system()",
  policy: 'ffi',
  skip: (bin) => (bin.major < 26 ? 'node:ffi exists from Node 26' : undefined),
  code: `
    return {
      ffiSystem: await t(() => {
        const ffi = require('node:ffi');
        const { functions } = ffi.dlopen('libc.so.6', { system: { arguments: ['pointer'], return: 'i32' } });
        const cmd = Buffer.from('echo pwned > "$ATTACK_MARKER"\\0');
        functions.system(ffi.getRawPointer(cmd));
      }),
    };
  `,
  effect: markerExists,
});
