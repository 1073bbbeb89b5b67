/**
 * The `POST /__beacon` body of docs/contracts.md#beacon, parsed at the boundary into a total type. Strict on
 * purpose: exactly the four fields, each a closed value or a short token, so nothing a page (or an
 * attacker) sends can add a field to the clickstream log or smuggle free text into it.
 */
import { normalizeUrl } from '../cache-key/url-normalize.ts';

export type BeaconType = 'impression' | 'click';

export interface Beacon {
  type: BeaconType;
  slot: string;
  item: string;
  /** The normalized page path: query and fragment dropped, dot segments removed. */
  page: string;
}

export type BeaconParse = { ok: true; beacon: Beacon } | { ok: false; error: string };

export const MAX_PAGE_CHARS = 512;
const FIELDS = new Set(['type', 'slot', 'item', 'page']);
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
  const { type, slot, item, page } = record;
  if (type !== 'impression' && type !== 'click') return fail('type must be "impression" or "click"');
  if (typeof slot !== 'string' || !TOKEN.test(slot)) return fail('slot must match [A-Za-z0-9_-]{1,64}');
  if (typeof item !== 'string' || !TOKEN.test(item)) return fail('item must match [A-Za-z0-9_-]{1,64}');
  const path = pagePath(page);
  if (path === null) return fail(`page must be a path starting with "/" of at most ${MAX_PAGE_CHARS} characters`);
  return { ok: true, beacon: { type, slot, item, page: path } };
}

/**
 * A same-site path only: `//host` and `/\host` (which URL parsers read as another host), control
 * characters and whitespace are refused rather than repaired.
 */
function pagePath(page: unknown): string | null {
  if (typeof page !== 'string' || page.length === 0 || page.length > MAX_PAGE_CHARS) return null;
  if (!page.startsWith('/') || page.startsWith('//') || page.includes('\\')) return null;
  for (let i = 0; i < page.length; i++) {
    const code = page.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return null;
  }
  try {
    const path = normalizeUrl(new URL(page, BASE)).path;
    return path.length <= MAX_PAGE_CHARS ? path : null;
  } catch {
    return null;
  }
}

function fail(error: string): BeaconParse {
  return { ok: false, error };
}
