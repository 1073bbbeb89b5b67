/**
 * What a page's `vid` and `sess` cookies prove, for one MAC check where the old format took two.
 * A `sess` names the id it was written for (session-cookie.ts). When it names the id the `vid`
 * claims, its MAC alone is checked: the edge signs a `sess` only for an id it has verified or just
 * minted, so a valid one proves that id as well as the `vid`'s own MAC would. Otherwise the `vid`'s
 * MAC is checked and the `sess` counts as absent, unchecked.
 *
 * Why that is safe:
 * - A forged `vid` beside another visitor's `sess` fails: the ids differ, so the forged `vid`'s own
 *   MAC is checked. Only the `sess` of the very id the `vid` claims can stand in for its MAC, and
 *   that `sess` is sent with the same attributes (`Secure; HttpOnly; SameSite=Lax; Path=/`) as the
 *   `vid`: whoever can read one can read the other.
 * - A `sess` without a `vid` identifies nobody: there is no id to compare with, a new id is minted
 *   and the `sess` is rewritten for it.
 * - A token of one kind never passes as the other: a `sess` payload starts `s2~`, and `~` never
 *   occurs in an id.
 * - A bound `sess` whose MAC fails (tampered, or signed under a rotated key) proves nothing, and the
 *   `vid` is then checked on its own, so a visitor keeps a valid `vid` whatever happened to `sess`.
 */
import type { HmacKey } from '../ports.ts';
import { sessionIdOf } from './session-cookie.ts';
import { verifyParts, type TokenParts } from './signed-token.ts';

export interface CookieCheck {
  /** The one MAC check started: the `sess`'s when it names the `vid`'s id, else the `vid`'s. Never throws; may reject. */
  check: Promise<boolean> | boolean;
  /** The `sess` names the id the `vid` claims: `check` is the `sess`'s. */
  bound: boolean;
}

/** The payloads whose MAC (or bound `sess`) holds; null for an absent, malformed, forged or unbound cookie. */
export interface ProvenCookies {
  vid: string | null;
  sess: string | null;
}

/** Starts the one MAC check the two cookies need (none without a key or a `vid`). */
export function startCookieCheck(key: HmacKey | null, vid: TokenParts | null, sess: TokenParts | null): CookieCheck {
  const bound = key !== null && vid !== null && sess !== null && sessionIdOf(sess.payload) === vid.payload;
  return { check: verifyParts(key, bound ? sess : vid), bound };
}

/**
 * What the check's outcome `held` proves. Synchronous but for a bound `sess` that fails, where the
 * `vid`'s own MAC is checked after all (a second wait on that rare path only). Never rejects.
 */
export function provenCookies(key: HmacKey | null, vid: TokenParts | null, sess: TokenParts | null, cookieCheck: CookieCheck, held: boolean): ProvenCookies | Promise<ProvenCookies> {
  if (held) return cookieCheck.bound ? { vid: vid!.payload, sess: sess!.payload } : { vid: vid!.payload, sess: null };
  if (!cookieCheck.bound) return NOTHING;
  const own = verifyParts(key, vid);
  if (typeof own === 'boolean') return own ? { vid: vid!.payload, sess: null } : NOTHING;
  return own.then((valid) => (valid ? { vid: vid!.payload, sess: null } : NOTHING), () => NOTHING);
}

const NOTHING: ProvenCookies = Object.freeze({ vid: null, sess: null });
