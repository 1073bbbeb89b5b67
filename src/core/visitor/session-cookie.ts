/**
 * The `sess` cookie: the visitor's most recent categories (at most 5, most recent first,
 * deduplicated, each `[a-z0-9-]{1,32}`), bound to the visitor's id and signed like `vid`. Format:
 * `s2~<id>~cat1~cat2.<sig>` where sig = base64url(HMAC-SHA256(cookie_signing_key, "s2~<id>~cat1~cat2"))
 * and `<id>` is the id of the `vid` it was written beside. It is a browser-session cookie (no
 * Max-Age) and only read or written with consent.
 *
 * Why the id is in it: a valid `sess` whose id equals the `vid` cookie's id proves that id as well
 * as the `vid`'s own MAC would (the edge only ever signs a `sess` for an id it has verified or
 * just minted), so a page holding both checks one MAC instead of two (identity-cookies.ts). A
 * `sess` alone identifies nobody: it counts only beside a `vid` carrying the same id, and one bound
 * to another id, or in the old unbound `s1` format, is treated as absent (and rewritten). The `~`
 * can never occur in a visitor id, so a `sess` token can never pass as a `vid` token (or the reverse).
 */
import { verifyToken } from './signed-token.ts';
import { signToken } from '../crypto/token-mint.ts';
import { isCategory } from './page-category.ts';
import type { HmacKey } from '../ports.ts';

export const SESS_COOKIE = 'sess';
export const MAX_SESSION_CATEGORIES = 5;
/** The `sess` Set-Cookie attributes after its value: a browser-session cookie. */
export const SESS_ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Lax';
const VERSION = 's2';
const PREFIX = `${VERSION}~`;
/** The version, the id (visitor-id.ts's pattern), then at most five categories (isCategory's pattern), each after a `~`. */
const SESSION_PAYLOAD = new RegExp(`^${VERSION}~([A-Za-z0-9_-]{1,64})((?:~[a-z0-9-]{1,32}){0,${MAX_SESSION_CATEGORIES}})$`);
/** 's2~' + a 64-character id + 5 × ('~' + 32) + '.' + 43 signature characters. */
export const MAX_SESS_CHARS = PREFIX.length + 64 + MAX_SESSION_CATEGORIES * 33 + 1 + 43;

/**
 * The id a `sess` payload claims, before any MAC is checked: what follows `s2~` up to the next
 * `~`; null for another version. Only a comparison with the `vid` cookie's id uses it.
 */
export function sessionIdOf(payload: string): string | null {
  if (!payload.startsWith(PREFIX)) return null;
  const end = payload.indexOf('~', PREFIX.length);
  return payload.slice(PREFIX.length, end < 0 ? payload.length : end);
}

/** The categories of a valid `sess` value bound to `id`; an empty list for anything absent, invalid or bound to another id. */
export async function readSession(key: HmacKey, value: string | undefined, id: string): Promise<readonly string[]> {
  if (value === undefined) return [];
  return sessionFrom(await verifyToken(key, value, MAX_SESS_CHARS), id);
}

/** The categories of a verified `sess` payload bound to `id`; an empty list for none, a malformed one or another id's. */
export function sessionFrom(payload: string | null, id: string): readonly string[] {
  // One native RegExp for the shape instead of one test per category: in the Wasm guest each call
  // is interpreted. No destructuring, `every` or Set-from-array: they run self-hosted iterator code.
  const match = payload === null ? null : SESSION_PAYLOAD.exec(payload);
  if (match === null || match[1] !== id || match[2] === '') return [];
  const categories = match[2]!.slice(1).split('~');
  for (let i = 1; i < categories.length; i++) {
    if (categories.indexOf(categories[i]!) !== i) return [];
  }
  return categories;
}

/** `category` moved to the front, duplicates removed, capped at five. */
export function pushCategory(categories: readonly string[], category: string | null): readonly string[] {
  if (category === null) return categories;
  const pushed = [category];
  for (let i = 0; i < categories.length && pushed.length < MAX_SESSION_CATEGORIES; i++) {
    if (categories[i] !== category) pushed.push(categories[i]!);
  }
  return pushed;
}

/** Element by element, not two joins: usually the lengths differ, or a page's category is already first. */
export function sameCategories(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The Set-Cookie value storing `categories` (invalid entries dropped, capped) for the visitor `id`. */
export async function sessionCookie(key: HmacKey, id: string, categories: readonly string[]): Promise<string> {
  return `${SESS_COOKIE}=${await signToken(key, sessionPayload(id, categories))}; ${SESS_ATTRIBUTES}`;
}

/**
 * The signed part of a `sess` cookie storing `categories` (invalid entries and repeats dropped,
 * capped) for the visitor `id`. An indexed loop, no Set or spreads: a page that moves the session's
 * categories signs one, and in the Wasm guest each spread runs the engine's self-hosted iterator.
 */
export function sessionPayload(id: string, categories: readonly string[]): string {
  let payload = `${PREFIX}${id}`;
  const kept: string[] = [];
  for (let i = 0; i < categories.length && kept.length < MAX_SESSION_CATEGORIES; i++) {
    const category = categories[i]!;
    if (!isCategory(category) || kept.indexOf(category) >= 0) continue;
    kept.push(category);
    payload += `~${category}`;
  }
  return payload;
}
