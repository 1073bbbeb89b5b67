/**
 * Decide before acting, step one: everything the edge knows about this visitor without asking
 * anyone (config, secrets, the normalized URL, the trusted facts and the consented identity),
 * worked out as plain data. It is cheap and local; the page's second step (decision-plan.ts)
 * waits on the profile store, and the beacon route needs this step alone.
 */
import type { Deps, HmacKey, RequestContext } from '../ports.ts';
import { readServiceKeys } from '../crypto/service-keys.ts';
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
  /** Signs and checks `$(DECISION)` tokens and preview links; without the secret every use fails (service-keys.ts). */
  previewKey: HmacKey;
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
  // Nothing is read yet: the identity secrets only if the visitor consents (resolveVisitorFacts
  // asks), the preview secret on the preview key's first use.
  const keys = readServiceKeys(deps);
  const { previewKey } = keys;
  const url = normalizeUrl(request.url);
  const visitorFacts = await resolveVisitorFacts({
    request,
    clientAddress: context.clientAddress,
    settings: config.settings,
    signingKey: null,
    identityKeys: keys.identityKeys,
    previewKey,
    geo: (address) => deps.geo(address),
    device: (userAgent) => deps.device(userAgent),
  });
  const { identity } = visitorFacts;
  const { signingKey, logKey } = keys.identity;
  const id = consentedId(identity);
  // Usually already signed beside the cookie checks (resolveVisitorFacts); a minted id is signed here.
  const early = visitorFacts.idPseudonym;
  const pseudonymOfId = id === null || logKey === null ? null : early !== undefined && early.id === id ? early.pseudonym : await pseudonym(logKey, id);
  // concat, not a spread: in the Wasm guest a spread runs the engine's self-hosted iterator.
  const problems = config.problems.concat(visitorFacts.problems);
  // Only a consenting visitor has a pseudonym to lose (and only then is the secret read).
  if (identity.consent === 'granted' && logKey === null) problems.push('secret log_hash_key missing: visitor pseudonyms disabled');
  const loggedPseudonym = identity.consent === 'granted' && identity.analytics ? pseudonymOfId : null;
  const { geo, device, locale } = visitorFacts;
  const vars = { segment: '', variants: {}, signals: null, geo, device, locale, visitor: id, query: url.query.startsWith('?') ? url.query.slice(1) : url.query };
  return { url, config, facts: visitorFacts, signingKey, previewKey, pseudonym: pseudonymOfId, loggedPseudonym, problems, requestUrl: request.url, vars };
}
