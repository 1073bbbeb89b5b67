/**
 * The page's decision token, `$(DECISION)`: what the page was rendered with, signed with
 * `preview_signing_key` so a beacon can carry it back and be attributed to that page without the
 * edge recomputing anything. Format: `<payload>.<sig>`, payload base64url(JSON), sig
 * base64url(HMAC-SHA256(key, payload)); both halves URL-safe. The JSON is
 * `{"v":1,"s":"vip","x":{"hero-copy":["bold",["hero"]]},"t":"/","e":1767225600,"p":1}`:
 * segment, exposed experiments with the variant rendered and the slots its variable shaped,
 * template path, expiry (Unix seconds) and, for a QA preview, `p`. Nothing per visitor: pages
 * sharing a stored copy share the token.
 */
import type { HmacKey } from '../ports.ts';
import type { Exposure } from './exposure.ts';
import { verifyJson } from './signed-json.ts';
import { signJson, signJsonInto } from '../crypto/token-mint.ts';
import { rejected } from '../backend/rejected.ts';

export interface PageDecision {
  segment: string;
  /** Exposed experiment → the variant rendered and the slots its variable shaped. */
  exposed: Readonly<Record<string, { variant: string; slots: readonly string[] }>>;
  templatePath: string;
  /** Unix seconds. */
  expires: number;
  preview: boolean;
}

/** Long enough for a visit that ends in a purchase; a stored page copy lives far shorter. */
export const DECISION_TTL_SECONDS = 24 * 60 * 60;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** What a page was rendered with, as the page knows it: the token exposes each exposed experiment the decision has a variant for. */
export interface RenderedPage {
  segment: string;
  variants: Readonly<Record<string, string>>;
  exposure: Exposure;
  templatePath: string;
  nowMs: number;
  preview: boolean;
}

/**
 * The token's document, then its signature (the service's one minter of outgoing tokens). Not
 * async: it would wrap signJson's promise in one more, and inside the Wasm guest every promise
 * costs ~10 µs. A synchronous throw still reaches the caller as a rejection.
 */
export function signDecision(key: HmacKey, decision: PageDecision): Promise<string> {
  try {
    const json = decisionJson(decision);
    return signJson(key, json);
  } catch (error) {
    return rejected(error);
  }
}

/**
 * The page's token, or null when it could not be signed, handed to `done` from the MAC's own
 * reaction (the page's `$(DECISION)` parts): one promise job fewer than a reaction on a promise.
 * The document is built straight from the page, not through a `PageDecision` (an object per
 * experiment fewer for the guest's interpreter); `verifyDecision` reads it back as one.
 */
export function signPageDecision(key: HmacKey, page: RenderedPage, done: (token: string | null) => void): void {
  const x: Record<string, [string, readonly string[]]> = {};
  // Indexed loops: in the Wasm guest `for…of` and destructuring run the engine's self-hosted iterator, interpreted.
  const experiments = Object.keys(page.exposure);
  for (let i = 0; i < experiments.length; i++) {
    const experiment = experiments[i]!;
    const variant = Object.hasOwn(page.variants, experiment) ? page.variants[experiment] : undefined;
    if (variant !== undefined) x[experiment] = [variant, page.exposure[experiment]!];
  }
  signJsonInto(key, tokenJson(page.segment, x, page.templatePath, Math.floor(page.nowMs / 1000) + DECISION_TTL_SECONDS, page.preview), done);
}

function decisionJson(decision: PageDecision): unknown {
  const x: Record<string, [string, readonly string[]]> = {};
  const experiments = Object.keys(decision.exposed);
  for (let i = 0; i < experiments.length; i++) {
    const { variant, slots } = decision.exposed[experiments[i]!]!;
    x[experiments[i]!] = [variant, slots];
  }
  return tokenJson(decision.segment, x, decision.templatePath, decision.expires, decision.preview);
}

/** The token's document, the one place its wire names are written (`readDecision` reads them back). */
function tokenJson(segment: string, x: Record<string, [string, readonly string[]]>, templatePath: string, expires: number, preview: boolean): unknown {
  const json: Record<string, unknown> = { v: 1, s: segment, x, t: templatePath, e: expires };
  if (preview) json.p = 1;
  return json;
}

/** The decision of a valid, unexpired token; null for anything else (forged, expired, malformed). */
export async function verifyDecision(key: HmacKey, token: string, nowMs: number): Promise<PageDecision | null> {
  const decision = readDecision(await verifyJson(key, token));
  return decision !== null && decision.expires * 1000 > nowMs ? decision : null;
}

function readDecision(raw: unknown): PageDecision | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1 || typeof r.s !== 'string' || !NAME.test(r.s) || typeof r.t !== 'string' || typeof r.e !== 'number') return null;
  if (typeof r.x !== 'object' || r.x === null || Array.isArray(r.x)) return null;
  const exposed: Record<string, { variant: string; slots: readonly string[] }> = {};
  for (const [experiment, entry] of Object.entries(r.x as Record<string, unknown>)) {
    if (!NAME.test(experiment) || !Array.isArray(entry) || entry.length !== 2) return null;
    const [variant, slots] = entry as [unknown, unknown];
    if (typeof variant !== 'string' || !NAME.test(variant) || !Array.isArray(slots)) return null;
    if (!slots.every((slot): slot is string => typeof slot === 'string' && NAME.test(slot))) return null;
    exposed[experiment] = { variant, slots };
  }
  return { segment: r.s, exposed, templatePath: r.t, expires: r.e, preview: r.p === 1 };
}
