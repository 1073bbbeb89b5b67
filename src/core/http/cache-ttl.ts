/**
 * How long an origin response may be shared at the edge (docs/contracts.md#templates): `Surrogate-Control: max-age`
 * over `Cache-Control: s-maxage` over `max-age`; null when it must not be shared at all
 * (`Set-Cookie`, `private`, `no-store`, `no-cache`) or when no lifetime is given.
 *
 * Written for the Wasm guest, where this runs several times per backend response and every
 * JavaScript operation is interpreted: indexed loops (a `for…of` runs the engine's self-hosted
 * iterator), no `String.replace` with a RegExp (self-hosted too), each header read once.
 */
import type { HeaderReader } from './header-reader.ts';

/** The caching headers of one response, each read once. */
export interface CachingHeaders {
  setCookie: boolean;
  cacheControl: Map<string, string>;
  surrogateControl: Map<string, string>;
}

export function cachingHeaders(headers: HeaderReader): CachingHeaders {
  return {
    setCookie: headers.has('set-cookie'),
    cacheControl: directives(headers.get('cache-control')),
    surrogateControl: directives(headers.get('surrogate-control')),
  };
}

export function responseTtlMs(headers: HeaderReader): number | null {
  return ttlMsOf(cachingHeaders(headers));
}

/**
 * What is left of a response's shared lifetime once its `Age` is taken off (the current age of
 * RFC 9111 §4.2.3): a page stored from a template or fragment that has sat in the edge cache for
 * 50 of its 60 minutes must not be kept for another 60. Null when nothing is left, or none was given.
 */
export function freshnessLeftMs(headers: HeaderReader): number | null {
  const ttlMs = responseTtlMs(headers);
  if (ttlMs === null) return null;
  const left = ttlMs - (parseSeconds(headers.get('age') ?? undefined) ?? 0) * 1000;
  return left > 0 ? left : null;
}

/** `responseTtlMs` over headers already read. */
export function ttlMsOf({ setCookie, cacheControl, surrogateControl }: CachingHeaders): number | null {
  if (setCookie || unshareable(cacheControl) !== null) return null;
  const seconds = parseSeconds(surrogateControl.get('max-age')) ?? parseSeconds(cacheControl.get('s-maxage')) ?? parseSeconds(cacheControl.get('max-age'));
  return seconds === null ? null : seconds * 1000;
}

/** The first Cache-Control directive that keeps a response to one visitor, or null. */
export function unshareable(cacheControl: Map<string, string>): 'private' | 'no-store' | 'no-cache' | null {
  if (cacheControl.has('private')) return 'private';
  if (cacheControl.has('no-store')) return 'no-store';
  return cacheControl.has('no-cache') ? 'no-cache' : null;
}

/** Parses a comma-separated directive list (RFC 9111 §5.2) into lower-cased names and raw values. */
export function directives(value: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!value) return out;
  const parts = value.slice(0, 1024).split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name || out.has(name)) continue;
    out.set(name, eq < 0 ? '' : unquote(part.slice(eq + 1).trim()));
  }
  return out;
}

/** One pair of surrounding double quotes removed (a quoted-string value, RFC 9110 §5.6.4). */
function unquote(text: string): string {
  return text.length >= 2 && text.charCodeAt(0) === 34 && text.charCodeAt(text.length - 1) === 34 ? text.slice(1, -1) : text;
}

const SECONDS = /^\d{1,9}$/;

export function parseSeconds(raw: string | undefined): number | null {
  return raw !== undefined && SECONDS.test(raw) ? Number(raw) : null;
}
