// Row 11: a Worker started with --expose-internals reaches internalBinding('spawn_sync').
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 11,
  title: 'Worker execArgv --expose-internals',
  policy: 'workers',
  policyExtra: () => ({ childProcess: { mode: 'allow' } }),
  code: `
    const { Worker } = require('worker_threads');
    const src = "const { internalBinding } = require('internal/test/binding'); internalBinding('spawn_sync').spawn({ file: '/bin/sh', args: ['/bin/sh', '-c', 'echo pwned > ' + " + JSON.stringify(JSON.stringify(ctx.marker)) + "], envPairs: [], stdio: [{ type: 'ignore' }, { type: 'ignore' }, { type: 'ignore' }] });";
    return {
      exposeInternals: await t(() => new Promise((res, rej) => { const w = new Worker(src, { eval: true, execArgv: ['--expose-internals'] }); w.on('error', rej); w.on('exit', res); })),
    };
  `,
  effect: markerExists,
});
