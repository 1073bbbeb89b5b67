/**
 * The `sess` cookie: the visitor's most recent categories (at most 5, most recent first,
 * deduplicated, each `[a-z0-9-]{1,32}`), signed like `vid`. Format: `s1~cat1~cat2.<sig>` where
 * sig = base64url(HMAC-SHA256(cookie_signing_key, "s1~cat1~cat2")). The `~` can never occur in a
 * visitor id, so a `sess` token can never pass as a `vid` token (or the reverse). It is a
 * browser-session cookie (no Max-Age) and only read or written with consent.
 */
import { verifyToken } from './signed-token.ts';
import { signToken } from '../crypto/token-mint.ts';
import { isCategory } from './page-category.ts';
import type { HmacKey } from '../ports.ts';

export const SESS_COOKIE = 'sess';
export const MAX_SESSION_CATEGORIES = 5;
/** The `sess` Set-Cookie attributes after its value: a browser-session cookie. */
export const SESS_ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Lax';
const VERSION = 's1';
/** The version, then at most five categories (isCategory's pattern), each after a `~`. */
const SESSION_PAYLOAD = new RegExp(`^${VERSION}(?:~[a-z0-9-]{1,32}){0,${MAX_SESSION_CATEGORIES}}$`);
/** 's1' + 5 × ('~' + 32) + '.' + 43 signature characters. */
export const MAX_SESS_CHARS = VERSION.length + MAX_SESSION_CATEGORIES * 33 + 1 + 43;

/** The categories of a valid `sess` value; an empty list for anything absent or invalid. */
export async function readSession(key: HmacKey, value: string | undefined): Promise<readonly string[]> {
  if (value === undefined) return [];
  return sessionFrom(await verifyToken(key, value, MAX_SESS_CHARS));
}

/** The categories of a verified `sess` payload; an empty list for none or a malformed one. */
export function sessionFrom(payload: string | null): readonly string[] {
  // One native RegExp for the shape instead of one test per category: in the Wasm guest each call
  // is interpreted. No destructuring, `every` or Set-from-array: they run self-hosted iterator code.
  if (payload === null || !SESSION_PAYLOAD.test(payload)) return [];
  const categories = payload.split('~').slice(1);
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

/** The Set-Cookie value storing `categories` (invalid entries dropped, capped). */
export async function sessionCookie(key: HmacKey, categories: readonly string[]): Promise<string> {
  return `${SESS_COOKIE}=${await signToken(key, sessionPayload(categories))}; ${SESS_ATTRIBUTES}`;
}

/** The signed part of a `sess` cookie storing `categories` (invalid entries dropped, capped). */
export function sessionPayload(categories: readonly string[]): string {
  const clean = [...new Set(categories.filter(isCategory))].slice(0, MAX_SESSION_CATEGORIES);
  return [VERSION, ...clean].join('~');
}
