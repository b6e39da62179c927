// Row 21: vm.runInNewContext("this.constructor.constructor('return process')()") reaches the real process.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 21,
  title: 'vm.runInNewContext escape to process',
  policy: 'codeGeneration',
  code: `
    const vm = require('vm');
    return {
      escape: await t(() => { const p = vm.runInNewContext("this.constructor.constructor('return process')()"); if (typeof p.pid !== 'number') throw new Error('no process'); }),
    };
  `,
});
