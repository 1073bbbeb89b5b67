/**
 * The `POST /__beacon` body of docs/contracts.md#beacon, parsed at the boundary into a total type. Strict on
 * purpose: four required fields, each a closed value or a short token, plus an optional `value`
 * (a finite amount ≥ 0, at most two decimals) and an optional `decision` token (checked later: a bad
 * token is not a bad beacon), so nothing a page (or an attacker) sends can add a field to the
 * clickstream log or smuggle free text into it.
 */
import { normalizeUrl } from '../cache-key/url-normalize.ts';
import { BEACON_TYPES, type BeaconType } from '../log/vocabulary.ts';

export type { BeaconType } from '../log/vocabulary.ts';
const TYPES: readonly BeaconType[] = BEACON_TYPES;
export const MAX_BEACON_VALUE = 1_000_000;
/** Longer than any token the edge signs. */
export const MAX_DECISION_CHARS = 2048;

export interface Beacon {
  type: BeaconType;
  slot: string;
  item: string;
  /** The normalized page path: query and fragment dropped, dot segments removed. */
  page: string;
  value: number | null;
  /** The page's decision token as sent, unverified. */
  decision: string | null;
}

export type BeaconParse = { ok: true; beacon: Beacon } | { ok: false; error: string };

export const MAX_PAGE_CHARS = 512;
const FIELDS = new Set(['type', 'slot', 'item', 'page', 'value', 'decision']);
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
/** Only the hostname is irrelevant here: the page is resolved against it to read its path. */
const BASE = 'https://beacon.invalid';

export function parseBeaconBody(text: string): BeaconParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('body is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('body must be a JSON object');
  const record = raw as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => !FIELDS.has(key));
  if (extra !== undefined) return fail(`unknown field "${extra.slice(0, 32)}"`);
  const { type, slot, item, page, value, decision } = record;
  if (!TYPES.includes(type as BeaconType)) return fail(`type must be one of ${TYPES.join(', ')}`);
  if (typeof slot !== 'string' || !TOKEN.test(slot)) return fail('slot must match [A-Za-z0-9_-]{1,64}');
  if (typeof item !== 'string' || !TOKEN.test(item)) return fail('item must match [A-Za-z0-9_-]{1,64}');
  const path = pagePath(page);
  if (path === null) return fail(`page must be a path starting with "/" of at most ${MAX_PAGE_CHARS} characters`);
  const amount = value === undefined || value === null ? null : readValue(value);
  if (amount === undefined) return fail(`value must be a number from 0 to ${MAX_BEACON_VALUE} with at most two decimals`);
  if (decision !== undefined && decision !== null && (typeof decision !== 'string' || decision.length > MAX_DECISION_CHARS)) {
    return fail(`decision must be a string of at most ${MAX_DECISION_CHARS} characters`);
  }
  const token = typeof decision === 'string' && decision.length > 0 ? decision : null;
  return { ok: true, beacon: { type: type as BeaconType, slot, item, page: path, value: amount, decision: token } };
}

/** An amount in the store's currency; undefined when malformed. */
function readValue(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_BEACON_VALUE) return undefined;
  return Math.abs(Math.round(value * 100) - value * 100) < 1e-6 ? value : undefined;
}

/** Characters refused anywhere in a page: control characters, whitespace and `\`. One native test (a loop is interpreted in the Wasm guest). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const REFUSED = /[\u0000-\u0020\u007f\\]/;

/**
 * A same-site path only: `//host` and `/\host` (which URL parsers read as another host), control
 * characters and whitespace are refused rather than repaired. The query is cut off first (the path
 * ends at the first `?` or `#`; a fragment is left to the parser), so it is not normalized only to be
 * dropped, and a path already normal is read by normalizeUrl's one native match, without a URL parse.
 */
function pagePath(page: unknown): string | null {
  if (typeof page !== 'string' || page.length === 0 || page.length > MAX_PAGE_CHARS) return null;
  if (!page.startsWith('/') || page.startsWith('//') || REFUSED.test(page)) return null;
  try {
    const query = page.indexOf('?');
    const path = normalizeUrl(BASE + (query < 0 ? page : page.slice(0, query))).path;
    return path.length <= MAX_PAGE_CHARS ? path : null;
  } catch {
    return null;
  }
}

function fail(error: string): BeaconParse {
  return { ok: false, error };
}
