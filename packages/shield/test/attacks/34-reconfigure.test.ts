// Row 34: code relaxing the policy at run time (FunctionShield's configure() could be called by anyone).
// An environment policy can only be tightened: every relaxing call throws ERR_FNGUARD_SHIELD_SEALED.
import assert from 'node:assert/strict';
import { BLOCKED, defineAttack, markerExists } from '../helpers/attack.js';

defineAttack({
  row: 34,
  title: 'reconfigure the shield at run time',
  policy: 'childProcess',
  code: `
    const shield = await import(ctx.shieldIndex);
    const core = require(ctx.distDir + '/core.cjs');
    const loose = { mode: 'allow', taskRoot: ctx.task, tmpDir: ctx.tmp };
    return {
      protect: await t(() => shield.protect(loose)),
      shieldWrapper: await t(() => shield.shield(async () => 1, loose)),
      internalConfigure: await t(() => core.configure(shield.normalizePolicy(loose), 'code')),
      internalInstall: await t(() => core.install(shield.normalizePolicy(loose), 'default')),
      execSync: await t(() => require('child_process').execSync('echo pwned > "$ATTACK_MARKER"')),
    };
  `,
  expect(mode, r, ctx) {
    const res = r.result as Record<string, string>;
    const relax = mode === 'allow' ? 'ok' : 'ERR_FNGUARD_SHIELD_SEALED';
    for (const k of ['protect', 'shieldWrapper', 'internalConfigure', 'internalInstall'])
      assert.equal(res[k], relax, `${k}: ${r.stdout}${r.stderr}`);
    assert.equal(res.execSync, mode === 'block' ? BLOCKED : 'ok');
    assert.equal(markerExists(ctx), mode !== 'block');
  },
});
