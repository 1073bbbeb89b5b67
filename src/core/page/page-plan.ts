/**
 * Decide before acting: everything the page needs to know about this visitor, worked out as plain
 * data. It comes in two steps: `planVisitor` (config, URL, trusted context, identity) is cheap;
 * `planDecision` waits on the profile store, and the route starts the template fetch before
 * awaiting it (routes/page.ts), since the template does not depend on the profile.
 */
import type { Deps, RequestContext } from '../ports.ts';
import { loadConfig, type LoadedConfig } from '../config/load-config.ts';
import { resolveVisitorContext, type VisitorContext } from '../decision/visitor-context.ts';
import { decide, type Decision } from '../decision/decide.ts';
import { responseCookies } from '../identity/response-cookies.ts';
import { normalizeUrl, type NormalizedUrl } from '../cache-key/url-normalize.ts';
import { lookupProfile, type ProfileLookup } from '../profile/profile-client.ts';
import { importHmacKey, pseudonym } from '../log/pseudonym.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import { rankSignalsFor } from '../recs/rank-signals.ts';

export interface VisitorPlan {
  url: NormalizedUrl;
  config: LoadedConfig;
  context: VisitorContext;
  signingKey: CryptoKey | null;
  /** Pseudonym of the visitor id (for logs and per-visitor cache entries); null without consent. */
  visitor: string | null;
  problems: string[];
}

export interface DecisionPlan {
  profile: ProfileLookup;
  decision: Decision;
  /** Set-Cookie values for a personalized page (a minted vid, an updated sess). */
  cookies: string[];
}

export async function planVisitor(request: Request, deps: Deps, context: RequestContext): Promise<VisitorPlan> {
  const config = loadConfig(deps);
  const [signingKey, logKey] = await Promise.all([secretKey(deps, 'cookie_signing_key'), secretKey(deps, 'log_hash_key')]);
  const url = normalizeUrl(new URL(request.url));
  const visitorContext = await resolveVisitorContext({
    request,
    clientAddress: context.clientAddress,
    settings: config.settings,
    signingKey,
    geo: (address) => deps.geo(address),
    device: (userAgent) => deps.device(userAgent),
  });
  const id = visitorContext.personalize ? visitorContext.visitorId : null;
  const visitor = id !== null && logKey !== null ? await pseudonym(logKey, id) : null;
  const problems = [...config.problems, ...visitorContext.problems];
  if (logKey === null) problems.push('secret log_hash_key missing: visitor pseudonyms disabled');
  return { url, config, context: visitorContext, signingKey, visitor, problems };
}

export async function planDecision(plan: VisitorPlan, deps: Deps, context: RequestContext): Promise<DecisionPlan> {
  const { context: visitorContext, config } = plan;
  const profile = await lookupProfile({
    // A freshly minted id cannot have a profile yet: no request for it.
    visitorId: visitorContext.mintedVisitorId ? null : visitorContext.visitorId,
    personalize: visitorContext.personalize,
    cacheId: plan.visitor,
    settings: config.settings,
    deps,
    waitUntil: (work) => context.waitUntil(work),
  });
  const decision = decide(visitorContext, profile.profile, config);
  const cookies = await responseCookies(visitorContext, plan.signingKey, plan.url.path);
  return { profile, decision, cookies };
}

/**
 * The values ESI templates can read. `$(VISITOR)` is the raw id, only with consent. Before the
 * decision is in (null), the segment and variants are empty: good for a page key that reads neither.
 */
export function esiVariablesFor(plan: VisitorPlan, decision: DecisionPlan | null): EsiVariables {
  const { context } = plan;
  return {
    segment: decision?.decision.segment ?? '',
    variants: decision?.decision.variants ?? {},
    geo: context.geo,
    device: context.device,
    locale: context.locale,
    visitor: context.personalize ? context.visitorId : null,
    query: plan.url.query.replace(/^\?/, ''),
    signals: rankSignalsFor(context.personalize, decision?.profile.profile ?? null, context.session.categories),
  };
}

async function secretKey(deps: Deps, name: 'cookie_signing_key' | 'log_hash_key'): Promise<CryptoKey | null> {
  try {
    const secret = await deps.secret(name);
    return secret ? await importHmacKey(secret) : null;
  } catch {
    return null;
  }
}
