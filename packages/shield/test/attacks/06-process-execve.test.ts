// Row 6: process.execve (22+) replaces the Node process with another program.
import assert from 'node:assert/strict';
import { BLOCKED, defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 6,
  title: 'process.execve',
  policy: 'childProcess',
  skip: (bin) => (bin.major < 22 ? 'process.execve does not exist before Node 22' : undefined),
  code: `
    return { execve: await t(() => process.execve('/bin/sh', ['sh', '-c', 'echo pwned > "$ATTACK_MARKER"'], process.env)) };
  `,
  expect(mode, r, ctx) {
    if (mode === 'block') {
      assert.equal(r.result?.execve, BLOCKED, r.stdout + r.stderr);
      assert.equal(markerExists(ctx), false);
      assert.ok(r.events.some((e) => e.policy === 'childProcess' && e.mode === 'block'));
    } else {
      // the process was replaced: no RESULT line, the shell ran
      assert.equal(markerExists(ctx), true, r.stdout + r.stderr);
      assert.equal(r.events.filter((e) => e.policy === 'childProcess').length, mode === 'alert' ? 1 : 0, r.stdout);
    }
  },
});
