// Row 22: eval/Function and friends vs vm.*, vm.compileFunction, data: imports and eval Workers.
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 22,
  title: 'eval / Function / AsyncFunction / vm.* / data: import / Worker eval',
  policy: 'codeGeneration',
  policyExtra: () => ({ workers: { mode: 'allow' } }),
  code: `
    const vm = require('vm');
    const { Worker } = require('worker_threads');
    const r = {
      eval: await t(() => { if (eval('6*7') !== 42) throw new Error('bad'); }),
      indirectEval: await t(() => { if ((0, eval)('1+1') !== 2) throw new Error('bad'); }),
      Function: await t(() => new Function('return 1')()),
      FunctionViaConstructor: await t(() => (function () {}).constructor('return 1')()),
      AsyncFunction: await t(() => (async function () {}).constructor('return 1')()),
      runInThisContext: await t(() => vm.runInThisContext('1')),
      Script: await t(() => new vm.Script('1').runInThisContext()),
      compileFunction: await t(() => vm.compileFunction('return 1')()),
      workerEval: await t(() => new Promise((res, rej) => { const w = new Worker('1', { eval: true }); w.on('error', rej); w.on('exit', res); })),
    };
    // module.registerHooks exists from 22.15: without it data: imports are a documented gap.
    if (typeof require('module').registerHooks === 'function')
      r.dataImport = await t(() => import('data:text/javascript,export default 1'));
    return r;
  `,
});
