// Row 20: inspector.Session -> Runtime.evaluate reaches the debugger (and internals) from user code.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 20,
  title: 'inspector.Session Runtime.evaluate / inspector.open',
  policy: 'inspector',
  code: `
    const inspector = require('inspector');
    return {
      sessionEvaluate: await t(async () => {
        const s = new inspector.Session();
        s.connect();
        const [r] = await cb((k) => s.post('Runtime.evaluate', { expression: '6*7' }, k));
        if (r.result.value !== 42) throw new Error('unexpected');
        s.disconnect();
      }),
      open: await t(() => { inspector.open(0, '127.0.0.1'); inspector.close(); }),
    };
  `,
});
