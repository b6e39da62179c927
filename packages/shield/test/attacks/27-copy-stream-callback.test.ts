// Row 27: copy first then read, streams, callback and promise APIs, directory listing.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 27,
  title: 'readHandler: copyFile / createReadStream / readFile callback / promises / opendir',
  policy: 'readHandler',
  sealed: true,
  policyExtra: () => ({ tmp: { mode: 'allow' } }),
  code: `
    const fs = require('fs');
    const file = ctx.task + '/index.js';
    return {
      copyFileSync: await t(() => fs.copyFileSync(file, ctx.tmp + '/copy.js')),
      copyFile: await t(() => cb((k) => fs.copyFile(file, ctx.tmp + '/copy2.js', k))),
      cpSync: await t(() => fs.cpSync(ctx.task, ctx.tmp + '/copydir', { recursive: true })),
      createReadStream: await t(async () => { let s = ''; for await (const c of fs.createReadStream(file)) s += c; if (!s.includes('SECRET')) throw new Error('x'); }),
      readFileCallback: await t(() => cb((k) => fs.readFile(file, k))),
      promisesReadFile: await t(() => fs.promises.readFile(file)),
      promisesOpen: await t(async () => { const h = await fs.promises.open(file); await h.readFile(); await h.close(); }),
      openSync: await t(() => fs.closeSync(fs.openSync(file, 'r'))),
      readdirSync: await t(() => fs.readdirSync(ctx.task)),
      opendir: await t(async () => { const d = await fs.promises.opendir(ctx.task); await d.close(); }),
    };
  `,
});
