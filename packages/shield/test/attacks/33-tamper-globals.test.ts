// Row 33: lying to the guard: overwrite process.permission.has, Error.stackTraceLimit, Error.prepareStackTrace,
// process.cwd. The shield captured what it needs at start-up; the event still names the offending file.
import assert from 'node:assert/strict';
import { type AttackSpec, defaultExpect, defineAttack, markerExists } from '../helpers/attack.js';

const spec: AttackSpec = {
  row: 33,
  title: 'tamper with process.permission.has / Error stack settings / process.cwd',
  policy: 'childProcess',
  code: `
    if (process.permission) process.permission.has = () => true;
    Error.stackTraceLimit = 0;
    Error.prepareStackTrace = () => 'lies';
    process.cwd = () => '/nonexistent';
    return { execSync: await t(() => require('child_process').execSync('echo pwned > "$ATTACK_MARKER"')) };
  `,
  effect: markerExists,
  expect(mode, r, ctx, c) {
    defaultExpect(spec, mode, r, ctx, c);
    for (const e of r.events.filter((x) => x.policy === 'childProcess')) assert.match(String(e.frame?.file), /attack\.cjs$/);
  },
};
defineAttack(spec);
