/** Where fnguard keeps downloaded advisories and indexes: the user's cache folder. */
import { join } from 'node:path';

export function defaultCacheDir(env: Record<string, string | undefined>, platform: string = process.platform): string | undefined {
  if (env.FNGUARD_CACHE_DIR) return env.FNGUARD_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'fnguard');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'fnguard', 'Cache');
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) return undefined;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'fnguard');
  return join(home, '.cache', 'fnguard');
}

/** The database `fnguard db update` maintains (and the scan uses by default). */
export function defaultDbDir(env: Record<string, string | undefined>): string | undefined {
  const c = defaultCacheDir(env);
  return c ? join(c, 'osv') : undefined;
}

/** `meta.json` written by `fnguard db update`. */
export const DB_META = 'fnguard-db.json';
export interface DbMeta {
  tool: 'fnguard';
  updated: string;
  sources: { ecosystem: string; url: string; file: string; size: number; etag?: string; records?: number }[];
}
