/** `fnguard db update|status`: the offline OSV advisory database. */
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../command.js';

const HELP = `Usage: fnguard db update [--url BASE] [--dir DIR] [--ecosystem NAME]
       fnguard db status [--dir DIR]

The offline advisory database used by the dependency rules (DEP-*).
  update   download OSV's all.zip for npm and PyPI (resumable, verified, replaced atomically)
           and index it; a scan uses it by default and says how old it is
  status   where the database is, when it was updated, how many records it holds

  --dir DIR          database directory (default: <user cache>/fnguard/osv; FNGUARD_CACHE_DIR,
                     XDG_CACHE_HOME are honoured)
  --url BASE         mirror of https://osv-vulnerabilities.storage.googleapis.com
  --ecosystem NAME   only this ecosystem (repeatable; default npm and PyPI)
`;

function bar(eco: string, got: number, total: number | undefined): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (!total) return `\r${eco.padEnd(5)} ${mb(got)}`;
  const width = 30;
  const done = Math.min(width, Math.round((got / total) * width));
  return `\r${eco.padEnd(5)} [${'#'.repeat(done)}${'-'.repeat(width - done)}] ${mb(got)} / ${mb(total)}`;
}

export const command: Command = {
  name: 'db',
  summary: 'download and inspect the offline OSV advisory database (db update, db status)',
  help: HELP,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      url: { type: 'string' },
      dir: { type: 'string' },
      ecosystem: { type: 'string', multiple: true },
    });
    const sub = positionals[0];
    if (sub !== 'update' && sub !== 'status') throw new UsageError(`expected 'update' or 'status' (got '${sub ?? ''}')`);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const { resolve } = await import('node:path');
    const { defaultDbDir, defaultCacheDir } = await import('../../analyze/deps/osv/cacheDir.js');
    const dir = typeof values.dir === 'string' ? resolve(ctx.io.cwd, values.dir) : defaultDbDir(ctx.io.env);
    if (!dir) throw new UsageError('no cache folder known (set XDG_CACHE_HOME or FNGUARD_CACHE_DIR, or pass --dir)');
    if (sub === 'status') {
      const { openAdvisoryDb } = await import('../../analyze/deps/osv/db.js');
      const { statSync } = await import('node:fs');
      if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
        ctx.io.stdout(`no advisory database at ${dir} (run fnguard db update)\n`);
        return 1;
      }
      const cacheDir = defaultCacheDir(ctx.io.env);
      const db = openAdvisoryDb(dir, cacheDir ? { cacheDir } : {});
      db.close();
      const i = db.info;
      const age = i.updated ? Math.floor((Date.now() - Date.parse(i.updated)) / 86_400_000) : undefined;
      ctx.io.stdout(
        `${dir}\n  ${i.records} advisories for ${i.packages} packages${i.updated ? `, updated ${i.updated} (${age} days ago)` : ''}\n  index ${i.cachedIndex ? 'cached' : 'built now'}, loaded in ${i.loadMs} ms\n`,
      );
      return 0;
    }
    const { updateDatabase, DB_ECOSYSTEMS } = await import('../../analyze/deps/osv/download.js');
    const ecosystems = (values.ecosystem as string[] | undefined) ?? [...DB_ECOSYSTEMS];
    let lastDraw = 0;
    const tty = ctx.io.isTTY;
    const progress = tty
      ? (eco: string, got: number, total: number | undefined) => {
          const now = Date.now();
          if (now - lastDraw < 100 && got !== total) return;
          lastDraw = now;
          ctx.io.stderr(bar(eco, got, total));
        }
      : undefined;
    try {
      if (!tty) ctx.io.stderr(`fnguard: downloading ${ecosystems.join(', ')} advisories into ${dir}\n`);
      const r = await updateDatabase({
        dir,
        ecosystems,
        ...(typeof values.url === 'string' ? { baseUrl: values.url } : {}),
        ...(progress ? { progress } : {}),
      });
      if (tty) ctx.io.stderr('\n');
      for (const d of r.diagnostics) if (d.level !== 'info') ctx.io.stderr(`fnguard: ${d.level}: ${d.file}: ${d.message}\n`);
      ctx.io.stdout(
        `advisory database updated: ${r.records} advisories (${r.meta.sources.map((s) => `${s.ecosystem} ${(s.size / 1024 / 1024).toFixed(1)} MB`).join(', ')}) in ${dir}\n`,
      );
      return 0;
    } catch (e) {
      if (tty) ctx.io.stderr('\n');
      ctx.io.stderr(`fnguard: db update failed: ${(e as Error).message}\n`);
      return 2;
    }
  },
};
