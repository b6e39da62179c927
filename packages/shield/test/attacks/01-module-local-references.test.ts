// Row 1: a guard that patches only cp.spawn/spawnSync misses exec, execFile, fork and the *Sync exports.
import { writeFileSync } from 'node:fs';
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 1,
  title: 'exec / execFile / fork / execSync / execFileSync / spawnSync',
  policy: 'childProcess',
  setup: (ctx) => {
    writeFileSync(`${ctx.dir}/child.js`, `require('fs').writeFileSync(process.env.ATTACK_MARKER, 'fork');\n`);
  },
  code: `
    const cp = require('child_process');
    const sh = ['-c', 'echo pwned > "$ATTACK_MARKER"'];
    return {
      exec: await t(() => cb((k) => cp.exec('echo pwned > "$ATTACK_MARKER"', k))),
      execFile: await t(() => cb((k) => cp.execFile('/bin/sh', sh, k))),
      fork: await t(() => new Promise((res, rej) => { const c = cp.fork(ctx.dir + '/child.js'); c.on('error', rej); c.on('exit', res); })),
      spawn: await t(() => new Promise((res, rej) => { const c = cp.spawn('/bin/sh', sh); c.on('error', rej); c.on('close', res); })),
      execSync: await t(() => cp.execSync('echo pwned > "$ATTACK_MARKER"')),
      execFileSync: await t(() => cp.execFileSync('/bin/sh', sh)),
      spawnSync: await t(() => { const r = cp.spawnSync('/bin/sh', sh); if (r.error) throw r.error; }),
    };
  `,
  effect: markerExists,
});
