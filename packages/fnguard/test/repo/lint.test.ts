// The repository passes its own linter: `biome check` (formatting, import order, lint rules at error level) over
// everything biome.json includes, so `npm run lint` stays clean and CI catches a file committed unformatted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

test('biome check reports no errors', () => {
  const require = createRequire(join(root, 'package.json'));
  const bin = join(dirname(require.resolve('@biomejs/biome/package.json')), 'bin', 'biome');
  const r = spawnSync(process.execPath, [bin, 'check', '.', '--diagnostic-level=error', '--max-diagnostics=20'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(r.status, 0, `biome check failed:\n${r.stdout}\n${r.stderr}`.slice(0, 8000));
});
