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
  if (purposes === null) return mode === 'opt-out' ? OPTED_OUT_DEFAULT : OPTED_IN_DEFAULT;
  if (purposes.includes(',none,')) return OPTED_IN_DEFAULT;
  return { state: purposes.includes(',personalization,') ? 'granted' : 'denied', analytics: purposes.includes(',analytics,') };
}

/** No readable cookie: everything granted in `opt-out` mode, nothing in `opt-in` mode (or with `none`). */
const OPTED_OUT_DEFAULT: ConsentPurposes = Object.freeze({ state: 'granted', analytics: true });
const OPTED_IN_DEFAULT: ConsentPurposes = Object.freeze({ state: 'denied', analytics: false });

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

/**
 * The listed purposes, lowercased, as one string with a comma before and after each (`,a,b,`), so
 * a purpose is listed when `,name,` occurs in it; null when the cookie is absent or unreadable.
 */
function parsePurposes(value: string | undefined): string | null {
  if (value === undefined || value.length === 0 || value.length > MAX_CONSENT_CHARS) return null;
  // The whole list checked by one RegExp, not per purpose, and looked up with native `includes`
  // instead of a `split` array: in the Wasm guest each call is interpreted, and a RegExp or `split`
  // call costs several µs of self-hosted glue around the native work. Lowercasing the whole text equals lowercasing each
  // purpose (it maps character by character here, and a character that lowercases to more than
  // one fails the pattern either way).
  const list = decodeComma(value).toLowerCase();
  if (PLAIN_LIST.test(list)) return `,${list},`;
  if (!PURPOSE_LIST.test(list)) return null;
  // Purposes hold no whitespace, so dropping all of it trims each one.
  return `,${list.replace(WHITESPACE_ALL, '')},`;
}

/** Comma-separated purposes `[a-z0-9_-]{1,64}` without whitespace: the usual cookie, read by one test. */
const PLAIN_LIST = /^[a-z0-9_-]{1,64}(?:,[a-z0-9_-]{1,64})*$/;
/** The same, each purpose with optional whitespace around it (what `trim` drops). */
const PURPOSE_LIST = /^\s*[a-z0-9_-]{1,64}\s*(?:,\s*[a-z0-9_-]{1,64}\s*)*$/;
const WHITESPACE_ALL = /\s+/g;

/** Sites often write the cookie with `encodeURIComponent`, turning `,` into `%2C`. */
function decodeComma(value: string): string {
  return value.includes('%') ? value.replaceAll('%2C', ',').replaceAll('%2c', ',') : value;
}
