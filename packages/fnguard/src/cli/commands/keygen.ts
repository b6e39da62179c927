/** `fnguard keygen`: a signing key pair (Ed25519 by default, or ECDSA P-256), or the public key of a KMS key. */
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../command.js';

export const command: Command = {
  name: 'keygen',
  summary: 'create a code-signing key pair (Ed25519 or ECDSA P-256), or export a KMS key’s public key',
  help: `Usage: fnguard keygen [--type ed25519|p256] [--out PREFIX] [--force]
       fnguard keygen --kms-key KEY [--kms-endpoint URL] [--kms-region REGION] [--out PREFIX]

Create a key pair for fnguard sign / verify: PREFIX.key (PKCS#8 PEM, written with mode 0600)
and PREFIX.pub (SPKI PEM). Prints the key hint (sha256 of the public key) used in bundles
and trust policies. With --kms-key, writes only PREFIX.pub: the public key of an AWS KMS
key (key spec ECC_NIST_P256, usage SIGN_VERIFY); the private key never leaves KMS.

  --type TYPE          ed25519 (default) or p256
  --out PREFIX         file prefix (default: fnguard-signing)
  --force              overwrite existing files
  --kms-key KEY        KMS key id, ARN or alias
  --kms-endpoint URL   KMS endpoint (VPC endpoint, LocalStack)
  --kms-region REGION  KMS region (default: AWS_REGION)
`,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs(argv, {
      type: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      'kms-key': { type: 'string' },
      'kms-endpoint': { type: 'string' },
      'kms-region': { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const type = (values.type as string | undefined) ?? 'ed25519';
    if (type !== 'ed25519' && type !== 'p256') throw new UsageError(`--type must be ed25519 or p256 (got '${type}')`);
    const [{ resolve }, fs, signers] = await Promise.all([
      import('node:path'),
      import('node:fs/promises'),
      import('../../sign/signers.js'),
    ]);
    const prefix = resolve(ctx.io.cwd, (values.out as string | undefined) ?? 'fnguard-signing');
    const flag = values.force === true ? 'w' : 'wx';
    const write = async (file: string, text: string, mode: number) => {
      try {
        await fs.writeFile(file, text, { flag, mode });
      } catch (e) {
        if ((e as { code?: string }).code === 'EEXIST') throw new UsageError(`${file} exists (use --force to overwrite)`);
        throw e;
      }
      await fs.chmod(file, mode); // the umask or an existing file's mode must not loosen it
    };
    if (typeof values['kms-key'] === 'string') {
      const s = await signers.kmsSigner({
        keyId: values['kms-key'],
        ...(typeof values['kms-endpoint'] === 'string' ? { endpoint: values['kms-endpoint'] } : {}),
        ...(typeof values['kms-region'] === 'string' ? { region: values['kms-region'] } : {}),
      });
      await write(`${prefix}.pub`, s.publicKeyPem, 0o644);
      ctx.io.stdout(`public key of ${s.describe}: ${prefix}.pub\nkey hint: ${s.hint}\n`);
      return 0;
    }
    const pair = signers.generateKeyPair(type);
    await write(`${prefix}.key`, pair.privatePem, 0o600);
    await write(`${prefix}.pub`, pair.publicPem, 0o644);
    ctx.io.stdout(
      `${type === 'ed25519' ? 'Ed25519' : 'ECDSA P-256'} key pair:\n  private ${prefix}.key (mode 0600: keep it secret, e.g. in your CI secret store)\n  public  ${prefix}.pub\nkey hint: ${pair.hint}\n`,
    );
    return 0;
  },
};
