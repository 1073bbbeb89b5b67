/**
 * Decides whether and for how long a backend response may be stored, following Fastly's HTTP
 * caching semantics: cacheable statuses, TTL from Surrogate-Control over Cache-Control over
 * Expires (default 3600 s), stale-while-revalidate, and the responses never stored.
 */

/** Statuses Fastly caches by default ("HTTP caching semantics"). */
const CACHEABLE_STATUSES = new Set([200, 203, 300, 301, 302, 404, 410]);
export const DEFAULT_TTL_SECONDS = 3600;

export type CachePolicy =
  | { store: true; ttlSeconds: number; swrSeconds: number; sieSeconds: number; initialAgeSeconds: number; surrogateKeys: string[]; vary: string[] }
  | { store: false; reason: string };

/** The parts of a response the policy reads (a Response, or a response head held by a host). */
export interface ResponseHead {
  status: number;
  headers: Headers;
}

export function cachePolicy(response: ResponseHead, nowMs: number): CachePolicy {
  if (!CACHEABLE_STATUSES.has(response.status)) return { store: false, reason: `status ${response.status}` };
  const headers = response.headers;
  if (headers.has('set-cookie')) return { store: false, reason: 'set-cookie' };
  const surrogate = parseDirectives(headers.get('surrogate-control'));
  const control = parseDirectives(headers.get('cache-control'));
  for (const directive of ['private', 'no-store', 'no-cache']) {
    if (control.has(directive)) return { store: false, reason: `cache-control ${directive}` };
  }
  if (surrogate.has('no-store')) return { store: false, reason: 'surrogate-control no-store' };
  const vary = (headers.get('vary') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (vary.includes('*')) return { store: false, reason: 'vary *' };
  const ttlSeconds =
    seconds(surrogate.get('max-age')) ??
    seconds(control.get('s-maxage')) ??
    seconds(control.get('max-age')) ??
    expiresTtl(headers, nowMs) ??
    DEFAULT_TTL_SECONDS;
  const swrSeconds = seconds(surrogate.get('stale-while-revalidate')) ?? seconds(control.get('stale-while-revalidate')) ?? 0;
  const sieSeconds = seconds(surrogate.get('stale-if-error')) ?? seconds(control.get('stale-if-error')) ?? 0;
  const initialAgeSeconds = seconds(headers.get('age') ?? undefined) ?? 0;
  if (ttlSeconds + swrSeconds <= initialAgeSeconds) return { store: false, reason: 'already expired' };
  const surrogateKeys = (headers.get('surrogate-key') ?? '').split(' ').filter((key) => key !== '');
  return { store: true, ttlSeconds, swrSeconds, sieSeconds, initialAgeSeconds, surrogateKeys, vary };
}

/**
 * Cache-Control style directives (RFC 9111 §5.2) as a lowercase name → value map. A linear scan
 * that honours quoted strings, so `private="a, b"` stays one directive.
 */
export function parseDirectives(header: string | null): Map<string, string> {
  const directives = new Map<string, string>();
  if (header === null) return directives;
  let part = '';
  let quoted = false;
  const flush = (): void => {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim().replace(/^"(.*)"$/s, '$1');
    if (name !== '' && !directives.has(name)) directives.set(name, value);
    part = '';
  };
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) flush();
    else part += char;
  }
  flush();
  return directives;
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  return Number(value);
}

function expiresTtl(headers: Headers, nowMs: number): number | undefined {
  const expires = headers.get('expires');
  if (expires === null) return undefined;
  const at = Date.parse(expires);
  if (Number.isNaN(at)) return 0;
  const date = Date.parse(headers.get('date') ?? '');
  return Math.max(0, Math.floor((at - (Number.isNaN(date) ? nowMs : date)) / 1000));
}
