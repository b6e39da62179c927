// Row 30: process.binding('fs') reads files without the fs module.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 30,
  title: "process.binding('fs')",
  policy: 'fsRead',
  policyExtra: (_m, ctx) => ({ fsRead: { mode: _m, allow: [ctx.dir] } }),
  code: `
    return {
      bindingFs: await t(() => { const b = process.binding('fs'); if (typeof b.open !== 'function') throw new Error('no binding'); }),
    };
  `,
});
