// Row 31: a descriptor opened during start-up stays readable after sealing (as under the permission model).
// The shield does not track descriptors: this is a documented gap, asserted here so a change is noticed.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 31,
  title: 'readHandler: fd opened before sealing (documented gap)',
  policy: 'readHandler',
  code: `
    const fs = require('fs');
    const file = ctx.task + '/index.js';
    const fd = fs.openSync(file, 'r');
    const { seal } = await import(ctx.shieldIndex);
    seal();
    return {
      inherentOpenFd: await t(() => { const b = Buffer.alloc(64); fs.readSync(fd, b, 0, 64, 0); if (!String(b).includes('SECRET')) throw new Error('x'); }),
      freshRead: await t(() => fs.readFileSync(file)),
    };
  `,
});
