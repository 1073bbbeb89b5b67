/**
 * Mints every signed token the service sends: the `vid` and `sess` cookies (cookie_signing_key)
 * and the page's `$(DECISION)` token or a QA preview link (preview_signing_key). A token is
 * `<payload>.<sig>`, sig the base64url (no padding) of HMAC-SHA256(key, payload); a JSON document's
 * payload is the base64url of its JSON. `visitor/signed-token.ts` reads the format back, and its
 * tests sign here and verify there, so the two halves cannot drift apart.
 *
 * One owner, so a request's outgoing tokens are signed in one place: its cookies together, once
 * the decision is known (`signTokens`), and its `$(DECISION)` token once the page has settled.
 */
import { base64url, base64urlOfBinary } from '../http/base64url.ts';
import type { HmacKey } from '../ports.ts';
import { rejected } from '../backend/rejected.ts';

const encoder = new TextEncoder();
// eslint-disable-next-line no-control-regex -- every char below 0x80, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/** A reaction on the MAC, not an async function: inside the Wasm guest each async frame and await costs ~10 µs. */
export function signToken(key: HmacKey, payload: string): Promise<string> {
  try {
    if (key.signTextNow) return Promise.resolve(`${payload}.${key.signTextNow(payload)}`);
    return key.sign(encoder.encode(payload)).then((mac) => `${payload}.${base64url(mac)}`);
  } catch (error) {
    return rejected(error);
  }
}

/** Each payload signed, all under one wait (a key that fails rejects the whole, as one signature would). */
export function signTokens(key: HmacKey, payloads: readonly string[]): Promise<string[]> {
  const tokens: Promise<string>[] = [];
  // An indexed loop: in the Wasm guest `map`'s callback and `for…of` run interpreted.
  for (let i = 0; i < payloads.length; i++) tokens.push(signToken(key, payloads[i]!));
  return Promise.all(tokens);
}

/** A JSON document as a URL-safe token: base64url(JSON) + '.' + its signature. */
export function signJson(key: HmacKey, value: unknown): Promise<string> {
  try {
    return signToken(key, jsonPayload(value));
  } catch (error) {
    return rejected(error);
  }
}

/**
 * `signJson` handing the token, or null on any failure, to `done` from the MAC's own reaction:
 * a reaction on signJson's promise would be one more promise job (~10 µs and two clock reads
 * inside the Wasm guest). `done` is called once, never inside this call's `try`.
 */
export function signJsonInto(key: HmacKey, value: unknown, done: (token: string | null) => void): void {
  let now: string | null = null;
  try {
    const payload = jsonPayload(value);
    if (key.signTextNow) now = `${payload}.${key.signTextNow(payload)}`;
    else return void key.sign(encoder.encode(payload)).then((mac) => done(`${payload}.${base64url(mac)}`), () => done(null));
  } catch {
    now = null;
  }
  done(now);
}

function jsonPayload(value: unknown): string {
  const json = JSON.stringify(value);
  // ASCII JSON (the usual token) is its own UTF-8: `btoa` takes it as is, without a byte array.
  return ASCII.test(json) ? base64urlOfBinary(json) : base64url(encoder.encode(json));
}
