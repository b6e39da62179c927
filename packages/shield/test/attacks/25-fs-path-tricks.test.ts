// Row 25: reading the function's own code after start-up through path tricks: relative path, /tmp/../, //, URL,
// Buffer, /proc/self/cwd, /proc/self/root and a symlink planted in /tmp.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 25,
  title: 'readHandler: path tricks',
  policy: 'readHandler',
  sealed: true,
  policyExtra: () => ({ tmp: { mode: 'allow' } }),
  setup: (ctx) => symlinkSync(join(ctx.task, 'index.js'), join(ctx.tmp, 'planted')),
  code: `
    const fs = require('fs');
    const rd = (p) => { if (!String(fs.readFileSync(p)).includes('SECRET')) throw new Error('not read'); };
    const file = ctx.task + '/index.js';
    process.chdir(ctx.task);
    return {
      relative: await t(() => rd('index.js')),
      dotdot: await t(() => rd(ctx.tmp + '/../task/index.js')),
      doubleSlash: await t(() => rd('/' + file)),
      url: await t(() => rd(new URL('file://' + file))),
      buffer: await t(() => rd(Buffer.from(file))),
      procSelfCwd: await t(() => rd('/proc/self/cwd/index.js')),
      procSelfRoot: await t(() => rd('/proc/self/root' + file)),
      plantedSymlink: await t(() => rd(ctx.tmp + '/planted')),
      newSymlink: await t(() => fs.symlinkSync(file, ctx.tmp + '/fresh')),
      legitTmpWrite: await t(() => fs.writeFileSync(ctx.tmp + '/scratch.txt', 'ok')),
    };
  `,
});
