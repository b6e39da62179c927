/**
 * Sigstore bundles (v0.3, public-key hint, DSSE envelope, no transparency log) built and verified with the
 * `@sigstore/*` packages, offline: our own signer signs the DSSE pre-authentication encoding, `@sigstore/bundle`
 * assembles and serialises the bundle, and `@sigstore/verify` checks the envelope with a key chosen by hint from
 * the trust policy (thresholds set to 0: no Rekor, no timestamps).
 */
import type { KeyObject } from 'node:crypto';
import { IntegrityError, PAYLOAD_TYPE, pae } from '@fnguard/shield/integrity';
import type { CodeSigner } from './signers.js';

export type BundleJson = Record<string, unknown>;

export async function buildBundle(statement: unknown, signer: CodeSigner): Promise<BundleJson> {
  const { toDSSEBundle, bundleToJSON } = await import('@sigstore/bundle');
  const payload = Buffer.from(JSON.stringify(statement));
  const signature = await signer.sign(pae(PAYLOAD_TYPE, payload));
  const bundle = toDSSEBundle({ artifact: payload, artifactType: PAYLOAD_TYPE, signature, keyHint: signer.hint });
  return bundleToJSON(bundle) as unknown as BundleJson;
}

/** The key hint a bundle names (untrusted: it only selects which trusted key to try). */
export async function bundleHint(json: unknown): Promise<string> {
  const { bundleFromJSON } = await import('@sigstore/bundle');
  let bundle: ReturnType<typeof bundleFromJSON>;
  try {
    bundle = bundleFromJSON(json);
  } catch (e) {
    throw new IntegrityError('bundle', `not a valid sigstore bundle: ${(e as Error).message}`);
  }
  const vm = bundle.verificationMaterial.content;
  if (vm.$case !== 'publicKey')
    throw new IntegrityError('bundle', 'the bundle is signed with a certificate (keyless); fnguard verifies public-key bundles offline');
  if (bundle.content.$case !== 'dsseEnvelope') throw new IntegrityError('bundle', 'the bundle holds no DSSE envelope');
  return vm.publicKey.hint;
}

/**
 * Verify the bundle's signature with `key` (the trusted key whose hint the bundle names). Returns the signed payload.
 * Throws IntegrityError('signature') when the signature does not verify.
 */
export async function verifyBundleSignature(json: unknown, key: KeyObject): Promise<Buffer> {
  const [{ bundleFromJSON }, { Verifier, toSignedEntity }] = await Promise.all([import('@sigstore/bundle'), import('@sigstore/verify')]);
  const bundle = bundleFromJSON(json);
  if (bundle.content.$case !== 'dsseEnvelope') throw new IntegrityError('bundle', 'the bundle holds no DSSE envelope');
  const verifier = new Verifier(
    {
      certificateAuthorities: [],
      timestampAuthorities: [],
      tlogs: [],
      ctlogs: [],
      publicKey: () => ({ publicKey: key, validFor: () => true }),
    },
    { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 },
  );
  try {
    verifier.verify(toSignedEntity(bundle));
  } catch (e) {
    throw new IntegrityError('signature', `the signature does not verify (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
  if (bundle.content.dsseEnvelope.payloadType !== PAYLOAD_TYPE)
    throw new IntegrityError('signature', `payload type ${bundle.content.dsseEnvelope.payloadType}, expected ${PAYLOAD_TYPE}`);
  return Buffer.from(bundle.content.dsseEnvelope.payload);
}
