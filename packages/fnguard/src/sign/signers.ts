/**
 * Signers: a local Ed25519 or ECDSA P-256 key (PEM), or an AWS KMS key (ECC_NIST_P256, ECDSA_SHA_256 over a
 * pre-hashed digest). Each exposes its public key and hint (hex sha256 of the SPKI DER) for the bundle.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { IntegrityError, keyHint, publicKeyFrom } from '@fnguard/shield/integrity';

export type KeyType = 'ed25519' | 'p256';

export interface CodeSigner {
  /** Hex sha256 of the public key's SPKI DER (the bundle's key hint). */
  hint: string;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** `ed25519 key file`, `kms arn:aws:kms:...`. */
  describe: string;
  /** Sign DSSE pre-authentication bytes. */
  sign(data: Buffer): Promise<Buffer>;
}

export interface GeneratedKeyPair {
  type: KeyType;
  privatePem: string;
  publicPem: string;
  hint: string;
}

export function generateKeyPair(type: KeyType = 'ed25519'): GeneratedKeyPair {
  const pair = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    type,
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    hint: keyHint(pair.publicKey),
  };
}

export function pemOf(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** A signer from a PEM private key (PKCS#8 or SEC1; Ed25519 or P-256). */
export function fileSigner(pem: string, passphrase?: string): CodeSigner {
  let priv: KeyObject;
  try {
    priv = createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase });
  } catch (e) {
    throw new IntegrityError('key', `not a usable private key: ${(e as Error).message}`);
  }
  const publicKey = publicKeyFrom(createPublicKey(priv).export({ type: 'spki', format: 'pem' }));
  const ed = publicKey.asymmetricKeyType === 'ed25519';
  return {
    hint: keyHint(publicKey),
    publicKey,
    publicKeyPem: pemOf(publicKey),
    describe: ed ? 'Ed25519 key' : 'ECDSA P-256 key',
    sign: async (data) => sign(ed ? null : 'sha256', data, priv),
  };
}

export interface KmsOptions {
  /** Key id, ARN or alias of an asymmetric SIGN_VERIFY key with spec ECC_NIST_P256. */
  keyId: string;
  /** Endpoint URL (VPC endpoint, LocalStack, a test server). */
  endpoint?: string;
  region?: string;
}

/** A signer backed by AWS KMS; the SDK is loaded only when this is used. */
export async function kmsSigner(o: KmsOptions): Promise<CodeSigner> {
  const { KMSClient, GetPublicKeyCommand, SignCommand } = await import('@aws-sdk/client-kms');
  const client = new KMSClient({
    region: o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
  });
  const pk = await client.send(new GetPublicKeyCommand({ KeyId: o.keyId }));
  if (pk.KeySpec !== 'ECC_NIST_P256')
    throw new IntegrityError('key', `KMS key ${o.keyId} has spec ${pk.KeySpec}; fnguard signs with ECC_NIST_P256 keys (ECDSA_SHA_256)`);
  if (pk.KeyUsage && pk.KeyUsage !== 'SIGN_VERIFY') throw new IntegrityError('key', `KMS key ${o.keyId} is not a SIGN_VERIFY key`);
  if (!pk.PublicKey) throw new IntegrityError('key', `KMS returned no public key for ${o.keyId}`);
  const publicKey = publicKeyFrom(createPublicKey({ key: Buffer.from(pk.PublicKey), format: 'der', type: 'spki' }));
  return {
    hint: keyHint(publicKey),
    publicKey,
    publicKeyPem: pemOf(publicKey),
    describe: `KMS key ${pk.KeyId ?? o.keyId}`,
    async sign(data) {
      const digest = createHash('sha256').update(data).digest();
      const r = await client.send(
        new SignCommand({ KeyId: o.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
      );
      if (!r.Signature) throw new IntegrityError('signature', `KMS returned no signature for ${o.keyId}`);
      const sig = Buffer.from(r.Signature);
      // never ship a signature that does not verify with the key we put in the bundle
      if (!verify('sha256', data, publicKey, sig))
        throw new IntegrityError('signature', `the KMS signature does not verify with ${o.keyId}'s public key`);
      return sig;
    },
  };
}
