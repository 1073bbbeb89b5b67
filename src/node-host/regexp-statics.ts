/**
 * V8 keeps the subject of the last successful RegExp match, anywhere in the process, in the legacy
 * statics (`RegExp.input` and `$_`, `lastMatch`, `leftContext`, `rightContext`, `lastParen`, `$1`…`$9`),
 * readable by any code until the next match. The Node host serves every visitor from one process, and
 * a request's last match is often its own text: the page's decision token (segment, variants, path),
 * a beacon's pseudonym. So the host forgets it when a request's handling (edge-request.ts) and each
 * of its `waitUntil` tasks (background-work.ts) end. In the Wasm guest each request has its own
 * instance, which ends with it.
 */

/** Matches the empty string: a match of it leaves every static empty and holds no text. */
const EMPTY = /(?:)/;

/** Overwrites the legacy RegExp statics with an empty match (well under a microsecond). */
export function forgetLastMatch(): void {
  EMPTY.exec('');
}
