// Row 26: a hard link in /tmp to the function's code (on Lambda, link() across file systems gives EXDEV anyway).
// The shield treats link() as a read of its source.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 26,
  title: 'readHandler: hard link then read',
  policy: 'readHandler',
  sealed: true,
  policyExtra: () => ({ tmp: { mode: 'allow' } }),
  code: `
    const fs = require('fs');
    return {
      hardLink: await t(() => { fs.linkSync(ctx.task + '/index.js', ctx.tmp + '/hl'); if (!fs.readFileSync(ctx.tmp + '/hl', 'utf8').includes('SECRET')) throw new Error('x'); }),
      hardLinkCallback: await t(() => cb((k) => fs.link(ctx.task + '/index.js', ctx.tmp + '/hl2', k))),
    };
  `,
});
