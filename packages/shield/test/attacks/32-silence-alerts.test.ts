// Row 32: silencing the shield's log by patching process.stdout.write / console.log. Events are written with
// an fs.writeSync captured at preload, so they still appear.
import { defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 32,
  title: 'patch stdout.write / console.log / fs.writeSync to hide events',
  policy: 'childProcess',
  code: `
    const fs = require('fs');
    const w = process.stdout.write, l = console.log, ws = fs.writeSync;
    process.stdout.write = () => true;
    console.log = () => {};
    fs.writeSync = () => 0;
    const r = { execSync: await t(() => require('child_process').execSync('echo pwned > "$ATTACK_MARKER"')) };
    process.stdout.write = w; console.log = l; fs.writeSync = ws;
    return r;
  `,
  effect: markerExists,
});
