/**
 * Decide before acting, step one: everything the edge knows about this visitor without asking
 * anyone (config, secrets, the normalized URL, the trusted facts and the consented identity),
 * worked out as plain data. It is cheap and local; the page's second step (decision-plan.ts)
 * waits on the profile store, and the beacon route needs this step alone.
 */
import type { Deps, HmacKey, RequestContext, SecretKey } from '../ports.ts';
import { loadConfig, type LoadedConfig } from '../config/load-config.ts';
import { resolveVisitorFacts, type VisitorFacts } from '../visitor/visitor-facts.ts';
import { consentedId } from '../visitor/identity.ts';
import { normalizeUrl, type NormalizedUrl } from '../cache-key/url-normalize.ts';
import { pseudonym } from '../log/pseudonym.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';

export interface VisitorPlan {
  url: NormalizedUrl;
  config: LoadedConfig;
  facts: VisitorFacts;
  signingKey: HmacKey | null;
  /** Signs and checks `$(DECISION)` tokens and preview links; null when the secret is missing. */
  previewKey: HmacKey | null;
  /** Pseudonym of the visitor id (for per-visitor cache entries); null without consent. */
  pseudonym: string | null;
  /** The pseudonym as logged: null without the analytics purpose. */
  loggedPseudonym: string | null;
  problems: string[];
  /** The URL as requested (the normalized one drops the preview parameter). */
  requestUrl: string;
  /**
   * The values ESI templates can read, as known before the decision: no segment, variants or ranking
   * signals yet, so only a page key that reads none of them (page-variation.ts) may use these.
   * `$(VISITOR)` is the raw id, only with consent.
   */
  vars: EsiVariables;
}

export async function planVisitor(request: Request, deps: Deps, context: RequestContext): Promise<VisitorPlan> {
  const config = loadConfig(deps);
  const { signingKey, logKey, previewSecret } = await readKeys(deps);
  const previewKey = previewSecret === null ? null : importedOnUse(deps, previewSecret);
  const url = normalizeUrl(new URL(request.url));
  const visitorFacts = await resolveVisitorFacts({
    request,
    clientAddress: context.clientAddress,
    settings: config.settings,
    signingKey,
    logKey,
    previewKey,
    geo: (address) => deps.geo(address),
    device: (userAgent) => deps.device(userAgent),
  });
  const { identity } = visitorFacts;
  const id = consentedId(identity);
  // Usually already signed beside the cookie checks (resolveVisitorFacts); a minted id is signed here.
  const early = visitorFacts.idPseudonym;
  const pseudonymOfId = id === null || logKey === null ? null : early !== undefined && early.id === id ? early.pseudonym : await pseudonym(logKey, id);
  // concat, not a spread: in the Wasm guest a spread runs the engine's self-hosted iterator.
  const problems = config.problems.concat(visitorFacts.problems);
  if (logKey === null) problems.push('secret log_hash_key missing: visitor pseudonyms disabled');
  const loggedPseudonym = identity.consent === 'granted' && identity.analytics ? pseudonymOfId : null;
  const { geo, device, locale } = visitorFacts;
  const vars = { segment: '', variants: {}, signals: null, geo, device, locale, visitor: id, query: url.query.startsWith('?') ? url.query.slice(1) : url.query };
  return { url, config, facts: visitorFacts, signingKey, previewKey, pseudonym: pseudonymOfId, loggedPseudonym, problems, requestUrl: request.url, vars };
}

interface Keys {
  signingKey: HmacKey | null;
  logKey: HmacKey | null;
  /** The preview secret's text: its key is imported on first use (importedOnUse). */
  previewSecret: string | null;
}

/**
 * The three secrets read at once and the two keys every page uses imported at once: two awaits in
 * all. In the Wasm guest each promise, await or async call costs ~10 µs, and one async helper per
 * secret (each awaiting its read, then its import) made about twice as many. A secret that cannot
 * be read, is empty or fails to import disables its key alone: on any failure each is read again
 * on its own (`safeKeys`), which a healthy store never reaches.
 */
async function readKeys(deps: Deps): Promise<Keys> {
  try {
    const [signing, log, preview] = await Promise.all([deps.secret('cookie_signing_key'), deps.secret('log_hash_key'), deps.secret('preview_signing_key')]);
    const [signingKey, logKey] = await Promise.all([signing ? deps.crypto.hmacKey(signing) : null, log ? deps.crypto.hmacKey(log) : null]);
    return { signingKey, logKey, previewSecret: preview || null };
  } catch {
    return safeKeys(deps);
  }
}

async function safeKeys(deps: Deps): Promise<Keys> {
  const [signingKey, logKey, previewSecret] = await Promise.all([
    secretKey(deps, 'cookie_signing_key'), secretKey(deps, 'log_hash_key'), readSecret(deps, 'preview_signing_key'),
  ]);
  return { signingKey, logKey, previewSecret };
}

async function secretKey(deps: Deps, name: SecretKey): Promise<HmacKey | null> {
  try {
    const secret = await deps.secret(name);
    return secret ? await deps.crypto.hmacKey(secret) : null;
  } catch {
    return null;
  }
}

/** The secret's text; null when absent, empty or unreadable (the key is then disabled). */
async function readSecret(deps: Deps, name: SecretKey): Promise<string | null> {
  try {
    return (await deps.secret(name)) || null;
  } catch {
    return null;
  }
}

/**
 * A key imported on its first use: most pages never sign or check a preview or decision token, and
 * in the Wasm guest an import costs a few promises (~10 µs each) and a native call. A key that
 * fails to import fails each use, which every caller treats as an invalid or missing token.
 */
function importedOnUse(deps: Deps, secret: string): HmacKey {
  let imported: Promise<HmacKey> | null = null;
  const key = (): Promise<HmacKey> => (imported ??= deps.crypto.hmacKey(secret));
  // Reactions, not async wrappers: one promise fewer per use (~10 µs each in the guest).
  return {
    sign: (data) => key().then((imported) => imported.sign(data)),
    verify: (signature, data) => key().then((imported) => imported.verify(signature, data)),
  };
}
