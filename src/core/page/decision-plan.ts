/**
 * Decide before acting, step two: the visitor's profile (the one wait on another system), the
 * decision it leads to (or the one a valid QA preview link forces), the cookies the page sets and
 * the ESI variables with the decision in, as plain data. The route starts it before fetching the
 * template, since the template does not depend on the profile (routes/page.ts).
 */
import type { VisitorPlan } from './visitor-plan.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import type { ProfileLookup } from '../profile/profile-client.ts';
import { decide, type Decision } from '../decision/decide.ts';
import { previewDecision } from '../experiments/preview.ts';
import { responseCookies } from '../visitor/response-cookies.ts';
import { sessionCategories } from '../visitor/identity.ts';
import { rankSignalsFor } from '../recs/rank-signals.ts';

export interface DecisionPlan {
  profile: ProfileLookup;
  decision: Decision;
  /** Set-Cookie values for a personalized page (a minted vid, an updated sess). */
  cookies: string[];
  /** A valid QA preview link forced the decision: never cached, never counted. */
  preview: boolean;
  /** The ESI variables with the decision in. */
  vars: EsiVariables;
}

/** The decision once the visitor's profile lookup (started by the route beside it) has answered. */
export async function planDecision(plan: VisitorPlan, lookup: Promise<ProfileLookup>): Promise<DecisionPlan> {
  const { facts, config } = plan;
  const { identity } = facts;
  const profile = await lookup;
  const decided = decide(facts, profile.profile, config);
  // The preview link's token was verified with the visitor's other signed inputs (visitor step).
  const forced = facts.preview === undefined ? null : previewDecision(facts.preview, Date.now(), decided, config);
  // Awaited only when there is something to wait for: most pages sign no cookie, and in the Wasm
  // guest each async call and await costs ~10 µs.
  const signed = responseCookies(identity, plan.signingKey);
  const cookies = Array.isArray(signed) ? signed : await signed;
  const decision = forced ?? decided;
  const signals = rankSignalsFor(identity.consent === 'granted', profile.profile, sessionCategories(identity));
  // Written out, not an object spread: in the Wasm guest a spread runs self-hosted (interpreted) code.
  const early = plan.vars;
  const vars = { segment: decision.segment, variants: decision.variants, signals, geo: early.geo, device: early.device, locale: early.locale, visitor: early.visitor, query: early.query };
  return { profile, decision, cookies, preview: forced !== null, vars };
}
