// Row 3: new ChildProcess().spawn({...}) skips every exported helper.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 3,
  title: 'new ChildProcess().spawn()',
  policy: 'childProcess',
  code: `
    const { ChildProcess } = require('child_process');
    return {
      prototypeSpawn: await t(() => new Promise((res, rej) => {
        const c = new ChildProcess();
        c.on('error', rej);
        c.on('exit', res);
        c.spawn({ file: '/bin/sh', args: ['/bin/sh', '-c', 'echo pwned > "$ATTACK_MARKER"'], envPairs: ['ATTACK_MARKER=' + ctx.marker], stdio: 'ignore' });
      })),
    };
  `,
  effect: markerExists,
});
