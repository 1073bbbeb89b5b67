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
import { signJson, verifyJson } from './signed-json.ts';

export const PREVIEW_PARAMETER = '__preview';

export interface PreviewForce {
  segment: string | null;
  variants: Readonly<Record<string, string>>;
  /** Unix seconds. */
  expires: number;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function signPreview(key: HmacKey, force: PreviewForce): Promise<string> {
  return signJson(key, { v: 1, e: force.expires, ...(force.segment === null ? {} : { s: force.segment }), x: force.variants });
}

/** The preview the request's URL asks for, when its token is valid and unexpired. */
export async function readPreview(key: HmacKey | null, requestUrl: string, nowMs: number): Promise<PreviewForce | null> {
  if (key === null || !requestUrl.includes(PREVIEW_PARAMETER)) return null;
  let token: string | null;
  try {
    token = new URL(requestUrl).searchParams.get(PREVIEW_PARAMETER);
  } catch {
    return null;
  }
  if (token === null) return null;
  const raw = await verifyJson(key, token);
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1 || typeof r.e !== 'number' || r.e * 1000 <= nowMs) return null;
  const segment = typeof r.s === 'string' && NAME.test(r.s) ? r.s : null;
  const x = typeof r.x === 'object' && r.x !== null && !Array.isArray(r.x) ? (r.x as Record<string, unknown>) : {};
  const variants: Record<string, string> = {};
  for (const [experiment, variant] of Object.entries(x)) if (typeof variant === 'string') variants[experiment] = variant;
  return segment === null && Object.keys(variants).length === 0 ? null : { segment, variants, expires: r.e };
}

/** The decision with the preview's forces applied; null when it names a segment or variant the config lacks. */
export function forcedDecision(decision: Decision, force: PreviewForce, config: { segments: SegmentConfig; experiments: ExperimentConfig }): Decision | null {
  if (force.segment !== null && !config.segments.segments.includes(force.segment)) return null;
  const variants: Record<string, string> = { ...decision.variants };
  for (const [experiment, variant] of Object.entries(force.variants)) {
    const known = config.experiments.find((e) => e.id === experiment);
    if (!known || !known.variants.some((v) => v.id === variant)) return null;
    variants[experiment] = variant;
  }
  return { segment: force.segment ?? decision.segment, variants: Object.freeze(variants), enrolled: Object.freeze({}) };
}
