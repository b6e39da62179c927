// Row 10: Worker with env:{} (drops NODE_OPTIONS) or execArgv:[] (drops a CLI --require): the shield forces
// itself and its policy into every worker.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 10,
  title: 'Worker with env:{} / execArgv:[] / SHARE_ENV',
  policy: 'childProcess',
  code: `
    const { Worker, SHARE_ENV } = require('worker_threads');
    delete process.env.NODE_OPTIONS;
    const src = "require('child_process').execSync('echo pwned > ' + " + JSON.stringify(JSON.stringify(ctx.marker)) + ")";
    const run = (opts) => new Promise((res, rej) => { const w = new Worker(src, { eval: true, ...opts }); w.on('error', rej); w.on('exit', res); });
    return {
      emptyEnv: await t(() => run({ env: {} })),
      emptyExecArgv: await t(() => run({ execArgv: [] })),
      both: await t(() => run({ env: {}, execArgv: [] })),
      shareEnv: await t(() => run({ env: SHARE_ENV })),
    };
  `,
  effect: markerExists,
});
