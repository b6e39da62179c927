// Row 5: process.binding('process_wrap') gives the raw Process handle (its spawn() signature changed in 24).
// The defence refuses the binding itself, so the test checks that access is refused (block) or granted.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 5,
  title: "process.binding('process_wrap')",
  policy: 'childProcess',
  code: `
    return {
      processWrap: await t(() => { const { Process } = process.binding('process_wrap'); if (typeof Process !== 'function') throw new Error('no Process'); }),
    };
  `,
});
