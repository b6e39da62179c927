// Row 18: a native addon whose ELF constructor runs system() before Node checks the module registration.
// The addon is compiled here with the system C compiler (skipped when there is none).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineAttack, markerExists } from '../helpers/attack.js';

const hasCc = spawnSync('sh', ['-c', 'command -v cc'], { encoding: 'utf8' }).status === 0;

defineAttack({
  row: 18,
  title: 'native addon constructor runs system()',
  policy: 'addons',
  skip: () => (hasCc ? undefined : 'no C compiler to build the malicious addon'),
  setup(ctx) {
    const c = join(ctx.dir, 'pwn.c');
    writeFileSync(
      c,
      '#include <stdlib.h>\n__attribute__((constructor)) static void pwn(void) { system("echo pwned > \\"$ATTACK_MARKER\\""); }\n',
    );
    const r = spawnSync('cc', ['-shared', '-fPIC', '-o', join(ctx.dir, 'pwn.node'), c], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cc failed: ${r.stderr}`);
  },
  code: `
    const selfRegister = (e) => { if (/self-register/i.test(String(e && e.message))) return; throw e; };
    return {
      dlopen: await t(() => { try { process.dlopen({ exports: {} }, ctx.dir + '/pwn.node'); } catch (e) { selfRegister(e); } }),
    };
  `,
  effect: markerExists,
});
