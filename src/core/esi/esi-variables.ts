/**
 * The ESI variables (docs/contracts.md, "ESI dialect") and their substitution: in `src`/`alt` values are
 * percent-encoded as URI components, inside `<esi:vars>` they are HTML-escaped. An unknown
 * variable or a missing key is the empty string, so `$(HTTP_COOKIE)` reveals nothing.
 */
import { readVariableReference } from './variable-reference.ts';
import { latin1Text } from './latin1-view.ts';
import { viewOf } from './chunk-cursor.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import type { RankSignals } from '../recs/rank-signals.ts';

export interface EsiVariables {
  segment: string;
  variants: Readonly<Record<string, string>>;
  geo: { region: string; country: string | null };
  device: string;
  locale: string;
  visitor: string | null;
  /** Raw query of the page URL, without '?'. */
  query: string;
  /** What ranked includes adjust for; absent or null without consent or without anything that could change the order. */
  signals?: RankSignals | null;
}

const queries = new WeakMap<EsiVariables, URLSearchParams>();
/** Each variable read once, in a list beside the set: spreading a set runs interpreted iterator code in the guest. */
const reads = new WeakMap<EsiVariables, { seen: Set<string>; list: string[] }>();
const listeners = new WeakMap<EsiVariables, (name: string, key: string | null) => void>();

/**
 * Runs `work` (synchronous) with `listener` told of every variable it reads, so a caller can tell
 * which part of the page read what (experiment exposure) without a second scan.
 */
export function withReadListener<T>(vars: EsiVariables, listener: (name: string, key: string | null) => void, work: () => T): T {
  const previous = listeners.get(vars);
  listeners.set(vars, listener);
  try {
    return work();
  } finally {
    if (previous) listeners.set(vars, previous);
    else listeners.delete(vars);
  }
}

/**
 * Every variable read so far for these values (`SEGMENT`, `VARIANT{hero-copy}`, ...), in any
 * attribute, test or `<esi:vars>` body. The page's output is a function of the template, the
 * fragments and exactly these values, which is what lets the page cache key on them alone.
 * `also` is one more read told at the end (a `$(DECISION)` token names the segment), so the part
 * that used it need not come back here mid-page.
 */
export function variablesRead(vars: EsiVariables, also: string | null = null): string[] {
  const read = reads.get(vars);
  const list = (read?.list ?? []).slice();
  if (also !== null && read?.seen.has(also) !== true) list.push(also);
  return list.sort();
}

function recordRead(vars: EsiVariables, name: string, key: string | null): void {
  let read = reads.get(vars);
  if (!read) reads.set(vars, (read = { seen: new Set(), list: [] }));
  const id = key === null ? name : `${name}{${key}}`;
  if (!read.seen.has(id)) {
    read.seen.add(id);
    read.list.push(id);
  }
  listeners.get(vars)?.(name, key);
}

/** The value of `$(name{key})`; '' when unknown or missing. */
export function variableValue(vars: EsiVariables, name: string, key: string | null): string {
  recordRead(vars, name, key);
  return valueOf(vars, name, key);
}

/** The value of `$(name{key})` without counting it as read by the page (page keys read them all). */
export function valueOf(vars: EsiVariables, name: string, key: string | null): string {
  switch (name) {
    case 'SEGMENT':
      return key === null ? vars.segment : '';
    case 'DEVICE':
      return key === null ? vars.device : '';
    case 'LOCALE':
      return key === null ? vars.locale : '';
    case 'VISITOR':
      return key === null ? (vars.visitor ?? '') : '';
    case 'VARIANT':
      return key !== null && Object.hasOwn(vars.variants, key) ? (vars.variants[key] ?? '') : '';
    case 'GEO':
      return key === 'region' ? vars.geo.region : key === 'country' ? (vars.geo.country ?? '') : '';
    case 'QUERY_STRING':
      return key === null ? '' : (queryOf(vars).get(key) ?? '');
    case 'RANKING':
      return key === null && vars.signals != null ? 'visitor' : '';
    default:
      return '';
  }
}

export interface UriSubstitution {
  /** The value with every variable percent-encoded in place. */
  text: string;
  /** The value with every variable replaced by `v`: its shape, to check values added no structure. */
  shape: string;
  hasVariables: boolean;
  usesVisitor: boolean;
}

/** Substitutes variables in a `src` or `alt` value (encodeURIComponent semantics). */
export function substituteInUri(value: string, vars: EsiVariables): UriSubstitution {
  const result: UriSubstitution = { text: '', shape: '', hasVariables: false, usesVisitor: false };
  let last = 0;
  let at = value.indexOf('$(');
  while (at !== -1) {
    const ref = readVariableReference(value, at);
    if (ref === null) {
      at = value.indexOf('$(', at + 1);
      continue;
    }
    const literal = value.slice(last, at);
    result.text += literal + encodeComponent(variableValue(vars, ref.name, ref.key));
    result.shape += `${literal}v`;
    result.hasVariables = true;
    result.usesVisitor ||= ref.name === 'VISITOR';
    last = ref.end;
    at = value.indexOf('$(', last);
  }
  result.text += value.slice(last);
  result.shape += value.slice(last);
  return result;
}

const encoder = new TextEncoder();

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

/** Substitutes variables in the bytes of an `<esi:vars>` body, HTML-escaping the values; `text` is `byteText(bytes)`. */
export function substituteInHtml(bytes: Uint8Array, vars: EsiVariables, text = byteText(bytes)): Uint8Array {
  const parts: Uint8Array[] = [];
  let last = 0;
  let at = text.indexOf('$(');
  while (at !== -1) {
    const ref = readVariableReference(text, at);
    if (ref !== null) {
      parts.push(viewOf(bytes, last, at), encoder.encode(escapeHtml(variableValue(vars, ref.name, ref.key))));
      last = ref.end;
    }
    at = text.indexOf('$(', ref === null ? at + 1 : last);
  }
  if (parts.length === 0) return bytes;
  parts.push(viewOf(bytes, last, bytes.length));
  return concatBytes(parts);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < value.length; i++) {
    const escaped = HTML_ESCAPES[value.charAt(i)];
    if (escaped !== undefined) {
      out += value.slice(last, i) + escaped;
      last = i + 1;
    }
  }
  return last === 0 ? value : out + value.slice(last);
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

function queryOf(vars: EsiVariables): URLSearchParams {
  let params = queries.get(vars);
  if (params === undefined) {
    params = new URLSearchParams(vars.query);
    queries.set(vars, params);
  }
  return params;
}
