/**
 * The `vid` visitor id cookie of docs/contracts.md#cookies-identity-and-consent: `<id>.<sig>` with `id` in `[A-Za-z0-9_-]{1,64}`.
 * New ids are 16 random bytes from `crypto.getRandomValues`, base64url: 22 characters.
 */
import { base64url } from '../http/base64url.ts';
import { verifyToken } from './signed-token.ts';
import { signToken } from '../crypto/token-mint.ts';
import type { HmacKey } from '../ports.ts';

export const VID_COOKIE = 'vid';
export const VID_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
/** The `vid` Set-Cookie attributes after its value: kept for one year. */
export const VID_ATTRIBUTES = `Max-Age=${VID_MAX_AGE_SECONDS}; Path=/; Secure; HttpOnly; SameSite=Lax`;

const MAX_ID_CHARS = 64;
/** id + '.' + 43 signature characters. */
export const MAX_VID_CHARS = MAX_ID_CHARS + 1 + 43;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isVisitorId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function mintVisitorId(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The id of a valid `vid` cookie value, else null (absent, tampered, truncated, oversize). */
export async function readVisitorId(key: HmacKey, value: string | undefined): Promise<string | null> {
  if (value === undefined) return null;
  return visitorIdFrom(await verifyToken(key, value, MAX_VID_CHARS));
}

/** The id in a verified `vid` payload (null for none or one that is not an id). */
export function visitorIdFrom(payload: string | null): string | null {
  return payload !== null && isVisitorId(payload) ? payload : null;
}

/** The Set-Cookie value that stores `id` for one year. */
export async function visitorIdCookie(key: HmacKey, id: string): Promise<string> {
  return `${VID_COOKIE}=${await signToken(key, id)}; ${VID_ATTRIBUTES}`;
}
