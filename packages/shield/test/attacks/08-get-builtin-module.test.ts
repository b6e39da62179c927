// Row 8: process.getBuiltinModule / Module._load return the same (patched) module objects.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 8,
  title: 'process.getBuiltinModule / Module._load',
  policy: 'childProcess',
  code: `
    return {
      getBuiltinModule: await t(() => process.getBuiltinModule('node:child_process').execSync('echo pwned > "$ATTACK_MARKER"')),
      moduleLoad: await t(() => require('module')._load('child_process').execSync('echo pwned > "$ATTACK_MARKER"')),
    };
  `,
  effect: markerExists,
});
