/**
 * How long an origin response may be shared at the edge (docs/contracts.md#templates): `Surrogate-Control: max-age`
 * over `Cache-Control: s-maxage` over `max-age`; null when it must not be shared at all
 * (`Set-Cookie`, `private`, `no-store`, `no-cache`) or when no lifetime is given.
 */

const UNSHAREABLE = new Set(['private', 'no-store', 'no-cache']);

export function responseTtlMs(headers: Headers): number | null {
  if (headers.has('set-cookie')) return null;
  const cacheControl = directives(headers.get('cache-control'));
  for (const name of UNSHAREABLE) if (cacheControl.has(name)) return null;
  const surrogate = directives(headers.get('surrogate-control'));
  const seconds = parseSeconds(surrogate.get('max-age')) ?? parseSeconds(cacheControl.get('s-maxage')) ?? parseSeconds(cacheControl.get('max-age'));
  return seconds === null ? null : seconds * 1000;
}

/** Parses a comma-separated directive list (RFC 9111 §5.2) into lower-cased names and raw values. */
export function directives(value: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!value) return out;
  for (const part of value.slice(0, 1024).split(',')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name || out.has(name)) continue;
    out.set(name, eq < 0 ? '' : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

function parseSeconds(raw: string | undefined): number | null {
  if (raw === undefined || !/^\d{1,9}$/.test(raw)) return null;
  return Number(raw);
}
