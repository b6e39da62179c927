// Row 4: process.binding('spawn_sync').spawn() runs a program without child_process.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 4,
  title: "process.binding('spawn_sync')",
  policy: 'childProcess',
  code: `
    return {
      bindingSpawnSync: await t(() => {
        const b = process.binding('spawn_sync');
        const r = b.spawn({ file: '/bin/sh', args: ['/bin/sh', '-c', 'echo pwned > "$ATTACK_MARKER"'], envPairs: ['ATTACK_MARKER=' + ctx.marker],
          stdio: [{ type: 'ignore' }, { type: 'ignore' }, { type: 'ignore' }] });
        if (r.error) throw new Error('spawn failed ' + r.error);
      }),
    };
  `,
  effect: markerExists,
});
