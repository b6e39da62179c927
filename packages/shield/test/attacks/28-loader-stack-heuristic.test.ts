// Row 28: reads at a module's top level run with the loader on the stack; a stack heuristic would let them through.
// The shield marks only the loader's own read, not the module body. Lazy requires of the function's code still work.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 28,
  title: 'readHandler: read at module top level, lazy require still works',
  policy: 'readHandler',
  sealed: true,
  setup(ctx) {
    mkdirSync(join(ctx.dir, 'lib'));
    writeFileSync(join(ctx.dir, 'lib', 'evil.js'), "module.exports = require('fs').readFileSync(process.env.TASK_FILE, 'utf8');\n");
    writeFileSync(join(ctx.task, 'lazy.js'), 'module.exports = 42;\n');
    writeFileSync(join(ctx.task, 'data.json'), '{"a":1}\n');
  },
  env: (ctx) => ({ TASK_FILE: join(ctx.task, 'index.js') }),
  code: `
    return {
      legitLazyRequire: await t(() => { if (require(ctx.task + '/lazy.js') !== 42) throw new Error('x'); }),
      legitJsonRequire: await t(() => { if (require(ctx.task + '/data.json').a !== 1) throw new Error('x'); }),
      topLevelRead: await t(() => require(ctx.dir + '/lib/evil.js')),
    };
  `,
});
