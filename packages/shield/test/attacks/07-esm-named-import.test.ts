// Row 7: an ESM named import snapshots the export when the facade is created; the guard syncs the ESM exports.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 7,
  title: 'ESM named import of execSync',
  policy: 'childProcess',
  esm: true,
  imports: "import { execSync, spawnSync } from 'node:child_process';\nimport cpDefault from 'child_process';",
  code: `
    return {
      namedImport: await t(() => execSync('echo pwned > "$ATTACK_MARKER"')),
      defaultImport: await t(() => cpDefault.execSync('echo pwned > "$ATTACK_MARKER"')),
      namedSpawnSync: await t(() => { const r = spawnSync('/bin/sh', ['-c', 'echo pwned > "$ATTACK_MARKER"']); if (r.error) throw r.error; }),
    };
  `,
  effect: markerExists,
});
