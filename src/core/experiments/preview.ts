/**
 * QA preview links: `?__preview=<token>`, the token a signed JSON document
 * `{"v":1,"e":<expiry, Unix seconds>,"s":"vip","x":{"hero-copy":"bold"}}` (segment and variants
 * optional, at least one). A valid token renders the page as forced; the page is never stored in
 * or served from the page cache and its event says `preview: true` with no exposure. A bad
 * signature, an expired token or one forcing unknown names is ignored: a normal page.
 */
import type { HmacKey } from '../ports.ts';
import type { ExperimentConfig } from '../config/experiments.ts';
import type { SegmentConfig } from '../config/segments.ts';
import type { Decision } from '../decision/decide.ts';
import { readJson } from './signed-json.ts';
import { signJson } from '../crypto/token-mint.ts';

export { PREVIEW_PARAMETER } from '../visitor/visitor-facts.ts';

export interface PreviewForce {
  segment: string | null;
  variants: Readonly<Record<string, string>>;
  /** Unix seconds. */
  expires: number;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

type PreviewConfig = { segments: SegmentConfig; experiments: ExperimentConfig };

export function signPreview(key: HmacKey, force: PreviewForce): Promise<string> {
  return signJson(key, { v: 1, e: force.expires, ...(force.segment === null ? {} : { s: force.segment }), x: force.variants });
}

/**
 * The decision that the request's preview link forces on `decided`, read and checked in this one
 * call from the token's payload, verified with the visitor's other signed inputs
 * (`VisitorFacts.preview`). Null when there is no valid preview link, when the token is expired, or
 * when it names a segment or variant that the config lacks: the page is then a normal one.
 */
export function previewDecision(payload: string | undefined, nowMs: number, decided: Decision, config: PreviewConfig): Decision | null {
  const raw = payload === undefined ? null : readJson(payload);
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1 || typeof r.e !== 'number' || r.e * 1000 <= nowMs) return null;
  const segment = typeof r.s === 'string' && NAME.test(r.s) ? r.s : null;
  if (segment !== null && !config.segments.segments.includes(segment)) return null;
  const x = typeof r.x === 'object' && r.x !== null && !Array.isArray(r.x) ? (r.x as Record<string, unknown>) : {};
  const variants: Record<string, string> = { ...decided.variants };
  let forces = segment !== null;
  for (const [experiment, variant] of Object.entries(x)) {
    if (typeof variant !== 'string') continue;
    const known = config.experiments.find((e) => e.id === experiment);
    if (!known || !known.variants.some((v) => v.id === variant)) return null;
    variants[experiment] = variant;
    forces = true;
  }
  return forces ? { segment: segment ?? decided.segment, variants: Object.freeze(variants), enrolled: Object.freeze({}) } : null;
}
