/**
 * ESI variables put into the page: in `src`/`alt` values percent-encoded as URI components, inside
 * `<esi:vars>` HTML-escaped, so a value can add text but never structure. Each substitution counts
 * as a read of the variable (variable-reads.ts).
 */
import { readVariableReference, REFERENCE_SOURCE } from './variable-reference.ts';
import { latin1Text } from './latin1-view.ts';
import { viewOf } from './chunk-cursor.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import type { EsiVariables } from './esi-variables.ts';
import { variableValue } from './variable-reads.ts';

/**
 * Substitutes variables in a `src` or `alt` value (encodeURIComponent semantics), each variable read
 * added to `reads` as (name, key): no listener and no result object per value (each costs the
 * guest's interpreter on every include whose URL reads a variable).
 */
export function substituteInUri(value: string, vars: EsiVariables, reads: Array<readonly [string, string | null]>): string {
  return substituted(value, vars, reads);
}

/**
 * The value with every variable replaced by `v`: its shape, to check that values added no path
 * structure (include-resolver.ts). Only values that need the URL parser ask for it.
 */
export function uriShape(value: string): string {
  return substituted(value, null, null);
}

/** A reference at a given index (variable-reference.ts's grammar): name in group 1, key in group 2. */
const REFERENCE_AT = new RegExp(REFERENCE_SOURCE, 'y');

/**
 * Each reference of `value` encoded from `vars` and added to `reads`, or without `vars` replaced by `v`. The
 * match is read as it is, without readVariableReference's object per reference (each include's URL pays it).
 */
function substituted(value: string, vars: EsiVariables | null, reads: Array<readonly [string, string | null]> | null): string {
  let text = '';
  let last = 0;
  let at = value.indexOf('$(');
  while (at !== -1) {
    REFERENCE_AT.lastIndex = at;
    const ref = REFERENCE_AT.exec(value);
    if (ref === null) {
      at = value.indexOf('$(', at + 1);
      continue;
    }
    const name = ref[1]!;
    const key = ref[2] ?? null;
    text += value.slice(last, at) + (vars === null ? 'v' : encodeComponent(variableValue(vars, name, key)));
    reads?.push([name, key]);
    last = REFERENCE_AT.lastIndex;
    at = value.indexOf('$(', last);
  }
  return last === 0 ? value : text + value.slice(last);
}

const encoder = new TextEncoder();

/** How a value's bytes are made within the page's inserted bytes (InsertBudget). */
export interface ValueBudget {
  valueBytes(value: string, encode: (value: string) => Uint8Array): Uint8Array | null;
}

function htmlBytes(value: string): Uint8Array {
  return encoder.encode(escapeHtml(value));
}

/**
 * The bytes as text with one UTF-16 unit per byte, so that offsets in it are byte offsets:
 * `String.prototype.indexOf` and regular expressions run natively inside the Wasm guest, where
 * `Uint8Array.prototype.indexOf` is interpreted. Without a latin1 decoder, a copy made by hand.
 */
export function byteText(bytes: Uint8Array): string {
  const text = latin1Text(bytes);
  if (text !== null) return text;
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

/**
 * Substitutes variables in the bytes of an `<esi:vars>` body, HTML-escaping the values; `text` is `byteText(bytes)`.
 * Each value's bytes come through `budget` (the page's inserted bytes, insert-budget.ts): past its caps the rest is left as it is.
 */
export function substituteInHtml(bytes: Uint8Array, vars: EsiVariables, text = byteText(bytes), budget?: ValueBudget): Uint8Array {
  const parts: Uint8Array[] = [];
  let last = 0;
  let at = text.indexOf('$(');
  while (at !== -1) {
    const ref = readVariableReference(text, at);
    if (ref !== null) {
      const value = variableValue(vars, ref.name, ref.key);
      const valueBytes = budget === undefined ? htmlBytes(value) : budget.valueBytes(value, htmlBytes);
      if (valueBytes === null) break;
      parts.push(viewOf(bytes, last, at), valueBytes);
      last = ref.end;
    }
    at = text.indexOf('$(', ref === null ? at + 1 : last);
  }
  if (parts.length === 0) return bytes;
  parts.push(viewOf(bytes, last, bytes.length));
  return concatBytes(parts);
}

/** A character `escapeHtml` replaces: most values (a locale, a segment) have none, told by one native test. */
const HTML_SPECIAL = /[&<>"']/;

/**
 * `&` `<` `>` `"` `'` as character references, `&` first so that no reference is escaped again. Each
 * replacement is a native `split` and `join`: a loop over the characters ran ~0.8 µs of interpreted
 * code a character in the Wasm guest, and a value is the client's (a query parameter of 2,000 `<`,
 * written 1,000 times in a template, cost ~34 ms of vCPU under the variable caps); a RegExp `replace`
 * with a function runs self-hosted code, interpreted too (`npx tsx bench/wasm-builtins.ts`).
 */
export function escapeHtml(value: string): string {
  if (!HTML_SPECIAL.test(value)) return value;
  return value.split('&').join('&amp;').split('<').join('&lt;').split('>').join('&gt;').split('"').join('&quot;').split("'").join('&#39;');
}

/** encodeURIComponent, with lone surrogates (which make it throw) replaced by U+FFFD first. */
function encodeComponent(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    let fixed = '';
    for (const char of value) {
      const code = char.charCodeAt(0);
      fixed += char.length === 1 && code >= 0xd800 && code <= 0xdfff ? '\ufffd' : char;
    }
    return encodeURIComponent(fixed);
  }
}
