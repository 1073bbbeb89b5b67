/**
 * The consent state of a request: `Sec-GPC: 1` always wins as `gpc`; otherwise the `consent`
 * cookie decides, read according to `settings.consentMode`. Purposes are separate:
 * `personalization` gates the profile, `vid`, `$(VISITOR)` and the profile write path;
 * `analytics` gates the visitor pseudonym in log events.
 */
import type { ConsentMode } from '../config/settings.ts';
import type { ConsentState } from '../log/vocabulary.ts';

export { CONSENT_STATES, type ConsentState } from '../log/vocabulary.ts';

export const CONSENT_COOKIE = 'consent';
const MAX_CONSENT_CHARS = 256;

export interface ConsentPurposes {
  /** `granted` means the personalization purpose is granted (and no GPC). */
  state: ConsentState;
  /** The pseudonym may be logged. */
  analytics: boolean;
}

/**
 * - `opt-in`: a purpose is granted only when the cookie lists it.
 * - `opt-out`: a purpose is granted unless a readable cookie exists that does not list it
 *   (`consent=none` is the documented way to refuse everything).
 * A cookie listing `none` grants nothing, whatever else it lists: the refusal is the safer reading.
 */
export function resolveConsentPurposes(mode: ConsentMode, gpcHeader: string | null, consentCookie: string | undefined): ConsentPurposes {
  if (gpcSignal(gpcHeader)) return { state: 'gpc', analytics: false };
  const purposes = parsePurposes(consentCookie);
  const grants = (purpose: string): boolean => {
    if (purposes === null) return mode === 'opt-out';
    return !purposes.includes('none') && purposes.includes(purpose);
  };
  return { state: grants('personalization') ? 'granted' : 'denied', analytics: grants('analytics') };
}

export function resolveConsent(mode: ConsentMode, gpcHeader: string | null, consentCookie: string | undefined): ConsentState {
  return resolveConsentPurposes(mode, gpcHeader, consentCookie).state;
}

/**
 * `Sec-GPC: 1` (https://privacycg.github.io/gpc-spec/). A repeated header reaches us joined with
 * commas; it fails closed: a list whose members are all `1` is the signal. `0`, `yes` or a list
 * mixing other values is no signal.
 */
function gpcSignal(header: string | null): boolean {
  if (header === null || header.length > MAX_CONSENT_CHARS) return false;
  const members = header.split(',').map((member) => member.trim());
  return members.every((member) => member === '1');
}

/** The listed purposes, lowercased; null when the cookie is absent or unreadable. */
function parsePurposes(value: string | undefined): string[] | null {
  if (value === undefined || value.length === 0 || value.length > MAX_CONSENT_CHARS) return null;
  // Indexed, no map/every callbacks: in the Wasm guest each callback is an interpreted call.
  const parts = decodeComma(value).split(',');
  const purposes: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const purpose = parts[i]!.trim().toLowerCase();
    if (!PURPOSE.test(purpose)) return null;
    purposes.push(purpose);
  }
  return purposes;
}

const PURPOSE = /^[a-z0-9_-]{1,64}$/;

/** Sites often write the cookie with `encodeURIComponent`, turning `,` into `%2C`. */
function decodeComma(value: string): string {
  return value.replaceAll('%2C', ',').replaceAll('%2c', ',');
}
