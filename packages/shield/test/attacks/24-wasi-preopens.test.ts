// Row 24: WASI preopens give WebAssembly direct file access (uvwasi does its own I/O in C++).
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 24,
  title: 'WASI preopened directory',
  policy: 'fsWrite',
  code: `
    const { WASI } = require('wasi');
    return {
      preopen: await t(() => new WASI({ version: 'preview1', preopens: { '/sandbox': ctx.dir } })),
    };
  `,
});
