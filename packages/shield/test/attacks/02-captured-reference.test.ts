// Row 2: references captured before a lazy patch. The shield loads first (--require), so a reference taken at the
// top of user code is already the guarded one.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 2,
  title: 'reference captured at module top level',
  policy: 'childProcess',
  code: `
    const { execSync, execFileSync } = require('child_process');
    const bound = require('child_process').execSync.bind(null);
    return {
      captured: await t(() => execSync('echo pwned > "$ATTACK_MARKER"')),
      capturedFile: await t(() => execFileSync('/bin/sh', ['-c', 'echo pwned > "$ATTACK_MARKER"'])),
      bound: await t(() => bound('echo pwned > "$ATTACK_MARKER"')),
    };
  `,
  effect: markerExists,
});
