import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { PKG_DIR } from '../helpers/index.js';

test('the static command table lists every file in src/cli/commands/ (add a new command to commands/index.ts)', async () => {
  const dir = join(PKG_DIR, 'src', 'cli', 'commands');
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.ts') && n !== 'index.ts')
    .sort();
  const fromFiles: string[] = [];
  for (const f of files) {
    const mod = (await import(join(dir, f))) as { command?: { name: string } };
    assert.ok(mod.command, `${f} exports no \`command\``);
    fromFiles.push(mod.command.name);
  }
  assert.deepEqual(
    COMMANDS.map((c) => c.name),
    fromFiles,
    'commands/index.ts must list each command file once, in file-name order',
  );
  for (const c of COMMANDS) assert.ok(c.summary && c.help && typeof c.run === 'function', c.name);
});
