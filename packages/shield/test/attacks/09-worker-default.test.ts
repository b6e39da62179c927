// Row 9: code in a Worker (default options) still runs under the shield, which re-loads in the worker.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 9,
  title: 'Worker with default options runs a child process',
  policy: 'childProcess',
  code: `
    const { Worker } = require('worker_threads');
    const src = "require('child_process').execSync('echo pwned > \\"$ATTACK_MARKER\\"')";
    return {
      workerExec: await t(() => new Promise((res, rej) => { const w = new Worker(src, { eval: true }); w.on('error', rej); w.on('exit', res); })),
    };
  `,
  effect: markerExists,
});
