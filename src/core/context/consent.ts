/**
 * The consent state of a request (docs/contracts.md#cookies-identity-and-consent): `Sec-GPC: 1` (exactly) always wins as `gpc`;
 * otherwise the `consent` cookie decides, read according to `settings.consentMode`.
 */
import type { ConsentMode } from '../config/settings.ts';
import type { ConsentState } from '../log/vocabulary.ts';

export { CONSENT_STATES, type ConsentState } from '../log/vocabulary.ts';

export const CONSENT_COOKIE = 'consent';
const MAX_CONSENT_CHARS = 256;
const PURPOSE = 'personalization';

/**
 * - `opt-in`: granted only when the cookie lists `personalization`.
 * - `opt-out`: granted unless a readable cookie exists that does not list `personalization`
 *   (`consent=none` is the documented way; `consent=analytics` is read as the same choice).
 * A GPC header other than exactly `1` (e.g. `0`, `yes`, `1, 1`) is no signal at all.
 */
export function resolveConsent(mode: ConsentMode, gpcHeader: string | null, consentCookie: string | undefined): ConsentState {
  if (gpcHeader !== null && gpcHeader.trim() === '1') return 'gpc';
  const purposes = parsePurposes(consentCookie);
  if (purposes === null) return mode === 'opt-out' ? 'granted' : 'denied';
  return purposes.includes(PURPOSE) ? 'granted' : 'denied';
}

/** The listed purposes, lowercased; null when the cookie is absent or unreadable. */
function parsePurposes(value: string | undefined): string[] | null {
  if (value === undefined || value.length === 0 || value.length > MAX_CONSENT_CHARS) return null;
  const purposes = decodeComma(value).split(',').map((p) => p.trim().toLowerCase());
  return purposes.every((p) => /^[a-z0-9_-]{1,64}$/.test(p)) ? purposes : null;
}

/** Sites often write the cookie with `encodeURIComponent`, turning `,` into `%2C`. */
function decodeComma(value: string): string {
  return value.replaceAll('%2C', ',').replaceAll('%2c', ',');
}
