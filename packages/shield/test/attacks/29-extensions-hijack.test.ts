// Row 29: source already in memory (handler.toString()) is an inherent leak: read_handler is detection for it.
// A require.extensions hijack that reads the file itself is not a loader read and is caught.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 29,
  title: 'readHandler: require.extensions hijack (toString is inherent)',
  policy: 'readHandler',
  sealed: true,
  setup: (ctx) => writeFileSync(join(ctx.task, 'other.js'), 'module.exports = "OTHER-SECRET";\n'),
  code: `
    const fs = require('fs');
    const r = {};
    r.inherentToString = await t(() => { if (!String(require(ctx.task + '/index.js').handler).includes('SECRET')) throw new Error('x'); });
    r.extensionsHijack = await t(() => {
      require.extensions['.js'] = function (m, f) { const src = fs.readFileSync(f, 'utf8'); m._compile(src, f); };
      require(ctx.task + '/other.js');
    });
    return r;
  `,
});
