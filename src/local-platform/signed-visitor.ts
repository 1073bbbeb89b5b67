/**
 * Signs demo visitor cookies with the manifest's DEV-ONLY `cookie_signing_key`, for demos,
 * the README's examples and end-to-end tests. Production keys never live in a manifest.
 */
import type { LocalManifest } from './manifest.ts';
import { importHmacKey } from '../core/log/pseudonym.ts';
import { signToken } from '../core/visitor/signed-token.ts';
import { isVisitorId } from '../core/visitor/visitor-id.ts';

export async function signedVid(manifest: LocalManifest, id: string): Promise<string> {
  if (!isVisitorId(id)) throw new Error(`${JSON.stringify(id)} is not a visitor id ([A-Za-z0-9_-]{1,64})`);
  const secret = manifest.secretStores.get('personalization_secrets')?.get('cookie_signing_key');
  if (!secret) throw new Error(`${manifest.file}: no cookie_signing_key in secret store personalization_secrets`);
  return signToken(await importHmacKey(secret), id);
}

/** The `Cookie` value of a visitor who consents to personalization and analytics, with a valid vid. */
export async function consentingVisitorCookie(manifest: LocalManifest, id: string): Promise<string> {
  return `consent=personalization,analytics; vid=${await signedVid(manifest, id)}`;
}

/** A Cookie header for a consenting visitor with a valid vid. */
export async function demoCookieHeader(manifest: LocalManifest, id: string): Promise<string> {
  return `Cookie: ${await consentingVisitorCookie(manifest, id)}`;
}
