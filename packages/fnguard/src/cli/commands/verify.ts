/** `fnguard verify`: check a package against its signed bundle, a trusted key and the trust policy. */
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../command.js';

export const command: Command = {
  name: 'verify',
  summary: 'verify a signed function or layer package: signature, exact content, trust policy',
  help: `Usage: fnguard verify <dir|zip> (--key PUB... | --policy trust.yml) [options]

Exit 0 only when the bundle's signature verifies with a trusted key, the package matches the
signed manifest byte for byte (paths, sizes, content, exec bits, symlink targets), and the
trust policy lets that key sign that function or layer. Otherwise exit 1 and name the first
difference (changed, added, missing, renamed file; mode change; wrong key). Hostile archives
are refused before anything is read out of them; nothing is extracted to disk.

  --key FILE           trusted public key PEM (repeatable); with --policy, only these of
                       the policy's keys are trusted
  --policy FILE        trust policy (trust.yml): which key may sign which function or layer
  --bundle FILE        the bundle (default: the zip's .lambda-sig/bundle.sigstore.json, then
                       <zip>.sigstore.json; <dir>/.lambda-sig/bundle.sigstore.json)
  --name SUBJECT       the function or layer being deployed (fn:orders, layer:shared): the
                       bundle must have been signed for it
  -f, --format FORMAT  text (default) or json

Exit codes: 0 verified, 1 not verified, 2 usage or fatal error.
`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      key: { type: 'string', multiple: true },
      policy: { type: 'string' },
      bundle: { type: 'string' },
      name: { type: 'string' },
      format: { type: 'string', short: 'f' },
    });
    if (positionals.length !== 1) throw new UsageError('give one directory or zip to verify');
    const format = (values.format as string | undefined) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got '${format}')`);
    const keyFiles = (values.key as string[] | undefined) ?? [];
    if (keyFiles.length === 0 && typeof values.policy !== 'string') throw new UsageError('give --key PUB or --policy trust.yml');
    const [{ resolve }, { readFile }, trust, { verifyPackage }, { publicKeyFrom, keyHint }] = await Promise.all([
      import('node:path'),
      import('node:fs/promises'),
      import('../../sign/trust.js'),
      import('../../sign/verify.js'),
      import('@fnguard/shield/integrity'),
    ]);
    const keys = [];
    for (const f of keyFiles) {
      const file = resolve(ctx.io.cwd, f);
      const pem = await readFile(file, 'utf8').catch((e: Error) => {
        throw new UsageError(`cannot read ${file}: ${e.message}`);
      });
      try {
        keys.push({ id: f, key: publicKeyFrom(pem) });
      } catch (e) {
        throw new UsageError(`${file}: ${(e as Error).message}`);
      }
    }
    let policy: Awaited<ReturnType<typeof trust.loadTrustPolicy>>;
    if (typeof values.policy === 'string') {
      try {
        policy = await trust.loadTrustPolicy(resolve(ctx.io.cwd, values.policy));
      } catch (e) {
        if (e instanceof trust.TrustPolicyError) throw new UsageError(e.message);
        throw e;
      }
      if (keys.length) {
        const hints = new Set(keys.map((k) => keyHint(k.key)));
        policy = { ...policy, keys: policy.keys.filter((k) => hints.has(k.hint)) };
      }
    } else policy = trust.anySubjectPolicy(keys);
    const input = resolve(ctx.io.cwd, positionals[0] as string);
    const r = await verifyPackage(input, {
      policy,
      ...(typeof values.bundle === 'string' ? { bundlePath: resolve(ctx.io.cwd, values.bundle) } : {}),
      ...(typeof values.name === 'string' ? { name: values.name } : {}),
    });
    if (format === 'json') {
      const st = r.statement?.predicate;
      ctx.io.stdout(
        `${JSON.stringify(
          {
            ok: r.ok,
            code: r.code,
            message: r.message,
            difference: r.difference ?? null,
            subject: st?.name ?? null,
            manifestDigest: r.pkg?.manifest.digest ?? null,
            key: r.keyId ?? null,
            keyHint: r.hint ?? null,
            bundle: r.bundlePath ?? null,
            notes: r.notes,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      (r.ok ? ctx.io.stdout : ctx.io.stderr)(`${r.ok ? 'OK' : 'FAILED'}: ${r.message}\n`);
      for (const n of r.notes) ctx.io.stderr(`note: ${n}\n`);
    }
    return r.ok ? 0 : 1;
  },
};
