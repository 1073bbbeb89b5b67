/**
 * A response's headers, each read from the platform at most once. Inside the Wasm guest every
 * `Headers.get` is a hostcall plus a new string, and a template's head is read by several steps
 * (the ESI opt-in, the body's encoding, its TTL, how its body is read, the page's content type):
 * ten reads of seven names, each ~20–50 µs there. The steps read through one of these instead.
 *
 * Names are looked up as given: callers pass them in lower case, as every header name in this
 * code is written. The headers must not change while it is in use (a fetched response's do not).
 */

/** What the header-reading steps need of a `Headers`; a `Headers` is one. */
export type HeaderReader = Pick<Headers, 'get' | 'has'>;

export function readOnce(headers: Headers): HeaderReader {
  const seen = new Map<string, string | null>();
  const get = (name: string): string | null => {
    let value = seen.get(name);
    if (value === undefined) seen.set(name, (value = headers.get(name)));
    return value;
  };
  return { get, has: (name) => get(name) !== null };
}
