/**
 * Request headers for the in-guest decision: a consenting visitor with a valid `vid` and the `sess`
 * bound to its id (one HMAC verify), signed with the manifest's DEV-ONLY key, an iPhone and a language list,
 * sent for a site's domain as on Compute (the Wasm host builds the request URL from `Host`), not the
 * host's loopback address and port.
 */
import { loadManifest } from '../src/local-platform/manifest.ts';
import { importHmacKey } from '../src/core/log/pseudonym.ts';
import { signToken } from '../src/core/visitor/signed-token.ts';
import { sessionPayload } from '../src/core/visitor/session-cookie.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

export async function guestDecisionCookie(manifestPath: string): Promise<Record<string, string>> {
  const secret = loadManifest(manifestPath).secretStores.get('personalization_secrets')?.get('cookie_signing_key');
  if (!secret) throw new Error(`${manifestPath}: no cookie_signing_key`);
  const key = await importHmacKey(secret);
  const vid = await signToken(key, 'u00042');
  const sess = await signToken(key, sessionPayload('u00042', ['shoes', 'hats']));
  return {
    host: 'www.example.com',
    cookie: `consent=personalization,analytics; vid=${vid}; sess=${sess}; _ga=GA1.2.3.4`,
    'user-agent': IPHONE,
    'accept-language': 'en-GB,en;q=0.9,de;q=0.5',
  };
}
