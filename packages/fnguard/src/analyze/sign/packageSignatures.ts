/**
 * Package signatures (issue 7): with `--verify-key` (a public key PEM, or a trust.yml), verify the code package of
 * every AWS function and the content of every layer defined in the project, as `fnguard verify` would: the zip
 * artifact (bundle inside it or `<zip>.sigstore.json` beside it) or the code directory (`.lambda-sig/bundle.sigstore.json`).
 * Without `--verify-key` nothing is read. Serverless services without `package.artifact` are skipped: their code
 * directory is the whole service folder, not what is deployed.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Fn } from '../../model/types.js';
import { defineAnalyzer } from '../types.js';

export interface PackageCheck {
  /** Absolute path of the package checked (zip or directory). */
  path: string;
  kind: 'zip' | 'dir';
  ok: boolean;
  /** `no-bundle`, `mismatch`, `wrong-key`, `refused`, ... (see VerifyCode). */
  code: string;
  message: string;
}

export interface PackageSignatures {
  /** False when no key was given (or it could not be loaded): the rule then reports nothing. */
  enabled: boolean;
  /** By function id. */
  functions: Map<string, PackageCheck>;
  /** By layer id. */
  layers: Map<string, PackageCheck>;
}

/** The package a function deploys, when it can be found on disk. */
async function packageOf(fn: Fn): Promise<{ path: string; kind: 'zip' | 'dir' } | undefined> {
  if (fn.packageType === 'image' || fn.inlineCode) return undefined;
  const isKind = async (p: string, dir: boolean) => {
    const st = await stat(p).catch(() => undefined);
    return st !== undefined && (dir ? st.isDirectory() : st.isFile());
  };
  if (fn.codeArtifact && (await isKind(fn.codeArtifact, false))) return { path: fn.codeArtifact, kind: 'zip' };
  if (fn.format === 'serverless') return undefined;
  if (fn.codeDir && (await isKind(fn.codeDir, true))) return { path: fn.codeDir, kind: 'dir' };
  return undefined;
}

export const packageSignaturesAnalyzer = defineAnalyzer<PackageSignatures>({
  id: 'package-signatures',
  async run({ app, options, diagnostic }) {
    const out: PackageSignatures = { enabled: false, functions: new Map(), layers: new Map() };
    const keyOption = typeof options.verifyKey === 'string' ? options.verifyKey : undefined;
    if (!keyOption) return out;
    const keyFile = isAbsolute(keyOption) ? keyOption : resolve(options.root, keyOption);
    const [{ readFile }, trust, { verifyPackage }, { publicKeyFrom }] = await Promise.all([
      import('node:fs/promises'),
      import('../../sign/trust.js'),
      import('../../sign/verify.js'),
      import('@fnguard/shield/integrity'),
    ]);
    let policy: Awaited<ReturnType<typeof trust.loadTrustPolicy>>;
    try {
      policy = /\.ya?ml$/i.test(keyFile)
        ? await trust.loadTrustPolicy(keyFile)
        : trust.anySubjectPolicy([{ id: keyOption, key: publicKeyFrom(await readFile(keyFile, 'utf8')) }]);
    } catch (e) {
      diagnostic({ level: 'error', file: keyFile, message: `--verify-key: ${(e as Error).message}`, code: 'verify-key' });
      return out;
    }
    out.enabled = true;
    const cache = new Map<string, Promise<PackageCheck>>();
    const check = (path: string, kind: 'zip' | 'dir'): Promise<PackageCheck> => {
      let p = cache.get(path);
      if (!p) {
        p = verifyPackage(path, { policy, now: options.now }).then(
          (r) => ({ path, kind, ok: r.ok, code: r.code, message: r.message }),
          (e: unknown) => ({ path, kind, ok: false, code: 'error', message: `cannot verify: ${(e as Error)?.message ?? String(e)}` }),
        );
        cache.set(path, p);
      }
      return p;
    };
    for (const fn of app.functions) {
      if (fn.provider !== 'aws') continue;
      const pkg = await packageOf(fn);
      if (pkg) out.functions.set(fn.id, await check(pkg.path, pkg.kind));
    }
    for (const layer of app.layers) {
      if (!layer.contentDir) continue;
      const st = await stat(layer.contentDir).catch(() => undefined);
      if (st?.isDirectory()) out.layers.set(layer.id, await check(layer.contentDir, 'dir'));
      else if (st?.isFile()) out.layers.set(layer.id, await check(layer.contentDir, 'zip'));
    }
    return out;
  },
});
