/** `fnguard sign`: sign a function or layer package (directory or zip) into a sigstore bundle. */
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../command.js';

export const command: Command = {
  name: 'sign',
  summary: 'sign a function or layer package (directory or zip): manifest, in-toto statement, sigstore bundle',
  help: `Usage: fnguard sign <dir|zip> (--key FILE | --kms-key KEY) [options]

Build the canonical manifest of the package (path, exec bit, size and sha256 of every file;
the same for a directory and its zip), put it with the zip's sha256 (Lambda's CodeSha256)
in an in-toto statement, sign it (DSSE) and write a sigstore bundle (v0.3, public-key hint).
Works offline. Hostile archives (zip slip, duplicates, setuid, escaping symlinks, zip bombs)
are refused.

  --key FILE            private key PEM (fnguard keygen)
  --kms-key KEY         sign with an AWS KMS key (ECC_NIST_P256) instead
  --kms-endpoint URL    KMS endpoint;  --kms-region REGION  KMS region
  -o, --output FILE     bundle path (default: <dir>/.lambda-sig/bundle.sigstore.json for a
                        directory, <zip>.sigstore.json for a zip)
  --name SUBJECT        what the code is signed for: fn:<function> or layer:<layer>
                        (default fn:<basename>); trust policies bind keys to these names
  --compact             leave the file list out (small bundle, e.g. for an env variable;
                        verify can then not name the changed file)
  --build KEY=VALUE     record a build fact (repo, commit, builder); repeatable
`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      key: { type: 'string' },
      'kms-key': { type: 'string' },
      'kms-endpoint': { type: 'string' },
      'kms-region': { type: 'string' },
      output: { type: 'string', short: 'o' },
      name: { type: 'string' },
      compact: { type: 'boolean' },
      build: { type: 'string', multiple: true },
    });
    if (positionals.length !== 1) throw new UsageError('give one directory or zip to sign');
    const hasKey = typeof values.key === 'string';
    const hasKms = typeof values['kms-key'] === 'string';
    if (hasKey === hasKms) throw new UsageError('give either --key FILE or --kms-key KEY');
    const [{ resolve }, fs, { readPackage }, sign, signers, { verifyPackage }, { anySubjectPolicy }, { IntegrityError }] =
      await Promise.all([
        import('node:path'),
        import('node:fs/promises'),
        import('../../sign/package.js'),
        import('../../sign/sign.js'),
        import('../../sign/signers.js'),
        import('../../sign/verify.js'),
        import('../../sign/trust.js'),
        import('@fnguard/shield/integrity'),
      ]);
    const name = values.name as string | undefined;
    if (name !== undefined) {
      const problem = sign.subjectNameProblem(name);
      if (problem) throw new UsageError(problem);
    }
    const build: Record<string, string> = {};
    for (const b of (values.build as string[] | undefined) ?? []) {
      const eq = b.indexOf('=');
      if (eq <= 0) throw new UsageError(`--build must be KEY=VALUE (got '${b}')`);
      build[b.slice(0, eq)] = b.slice(eq + 1);
    }
    const input = resolve(ctx.io.cwd, positionals[0] as string);
    let signer: Awaited<ReturnType<typeof signers.kmsSigner>>;
    if (hasKey) {
      const keyFile = resolve(ctx.io.cwd, values.key as string);
      const pem = await fs.readFile(keyFile, 'utf8').catch((e: Error) => {
        throw new UsageError(`cannot read ${keyFile}: ${e.message}`);
      });
      signer = signers.fileSigner(pem);
    } else
      signer = await signers.kmsSigner({
        keyId: values['kms-key'] as string,
        ...(typeof values['kms-endpoint'] === 'string' ? { endpoint: values['kms-endpoint'] } : {}),
        ...(typeof values['kms-region'] === 'string' ? { region: values['kms-region'] } : {}),
      });
    let pkg: Awaited<ReturnType<typeof readPackage>>;
    try {
      pkg = await readPackage(input);
    } catch (e) {
      if (e instanceof IntegrityError) {
        ctx.io.stderr(`fnguard sign: refused ${input}: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    const { statement, bundle } = await sign.signPackage(pkg, signer, {
      ...(name !== undefined ? { name } : {}),
      compact: values.compact === true,
      build,
    });
    const out = typeof values.output === 'string' ? resolve(ctx.io.cwd, values.output) : sign.defaultBundlePath(pkg);
    await ctx.io.writeFile(out, `${JSON.stringify(bundle, null, 2)}\n`);
    // round trip: what we just wrote must verify
    const check = await verifyPackage(input, { policy: anySubjectPolicy([{ id: 'signer', key: signer.publicKey }]), bundlePath: out });
    if (!check.ok) {
      ctx.io.stderr(`fnguard sign: the new bundle does not verify: ${check.message}\n`);
      return 2;
    }
    const p = statement.predicate;
    ctx.io.stdout(
      [
        `signed ${p.name} with ${signer.describe} (hint ${signer.hint.slice(0, 16)}…)`,
        `  ${p.entries} files, ${p.totalBytes} bytes, manifest sha256:${p.manifestDigest}`,
        ...(p.zip ? [`  zip sha256:${p.zip.sha256} (Lambda CodeSha256 ${p.zip.codeSha256})`] : []),
        ...pkg.manifest.warnings.map((w) => `  warning: ${w}`),
        `  bundle: ${out}`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
