// Row 23: node:sqlite creates, ATTACHes and VACUUMs INTO files in C++ (outside the permission model too).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineAttack } from '../helpers/attack.js';

defineAttack({
  row: 23,
  title: 'node:sqlite create / ATTACH / VACUUM INTO outside the write grants',
  policy: 'fsWrite',
  skip: (bin) => (bin.major < 22 ? 'node:sqlite exists from Node 22' : undefined),
  code: `
    const { DatabaseSync } = require('node:sqlite');
    const mem = new DatabaseSync(':memory:');
    return {
      legitMemory: await t(() => mem.exec('create table t(x)')),
      create: await t(() => new DatabaseSync(ctx.dir + '/created.db').close()),
      attach: await t(() => mem.exec("ATTACH DATABASE '" + ctx.dir + "/attached.db' AS a")),
      vacuumInto: await t(() => mem.exec("VACUUM INTO '" + ctx.dir + "/vacuumed.db'")),
    };
  `,
  effect: (ctx) => ['created.db', 'attached.db', 'vacuumed.db'].every((f) => existsSync(join(ctx.dir, f))),
});
