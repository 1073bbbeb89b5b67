/**
 * The query of a normalized URL (url-normalize.ts). Only `&` separates parameters; `;` is data and
 * is emitted as `%3B`, so an origin that splits on `;` can never see a parameter the key did not. A
 * parameter is split at its first `=`; `a` and `a=` stay distinct. Duplicate names: the first
 * occurrence wins (later ones are dropped, so the origin sees exactly one value), matching
 * `$(QUERY_STRING{name})`. Names are compared after encoding normalization and are case-sensitive;
 * tracking names case-insensitively. Tracking parameters are dropped, the rest sorted by name.
 */
import { normalizeEncoding, QUERY_RAW } from './encoding-normalize.ts';
import { isTrackingAsciiName, isTrackingParameter, TRACKING_NAME_SOURCE } from './tracking-parameters.ts';

/**
 * The last query a caller's general path read and its normal form (`normalizeQuery(lastSearch)` is
 * `lastNormal`). A page keeps one while it is assembled: its includes may each carry the client's
 * query (`$(QUERY_STRING{q})`, up to 8 KB), worked out once. Never module state: on the Node host one
 * process serves many visitors, and a module's memo would keep one visitor's query past its request.
 */
export interface QueryMemo {
  lastSearch: string;
  lastNormal: string;
}

/** A memo that starts from a query already normal (the page's own): a normal form is its own normal form. */
export function queryMemo(normal: string): QueryMemo {
  return { lastSearch: normal, lastNormal: normal };
}

/** The normal form of `search` (`''` or `'?…'`, with its `?`): '' when no parameter stays. */
export function normalizeQuery(search: string, memo?: QueryMemo): string {
  if (search.length <= 1) return '';
  const simple = SIMPLE_QUERY.test(search) ? simpleQuery(search) : null;
  if (simple !== null) return simple;
  if (memo === undefined) return generalQuery(search);
  if (search !== memo.lastSearch) {
    memo.lastNormal = generalQuery(search);
    memo.lastSearch = search;
  }
  return memo.lastNormal;
}

/**
 * Each parameter's name and value normalized, the first of a name kept, tracking names dropped, the
 * rest sorted by name. The sort is the native default one over `name \0 =value` keys: a normalized
 * name or value never holds NUL (it is escaped), so the keys sort as their names do (a name that is
 * a prefix of another sorts first), and the NULs go in one native split and join. A comparator
 * is an interpreted call per comparison in the Wasm guest: 2,000 parameters cost ~5 ms of them.
 */
function generalQuery(search: string): string {
  const seen = new Set<string>();
  const keys: string[] = [];
  const parts = search.slice(1).split('&');
  // An indexed loop: in the Wasm guest `for…of` runs the engine's self-hosted iterator, interpreted.
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const name = normalizeEncoding(eq < 0 ? part : part.slice(0, eq), QUERY_RAW);
    if (seen.has(name) || isTrackingParameter(name)) continue;
    seen.add(name);
    keys.push(eq < 0 ? `${name}\0` : `${name}\0=${normalizeEncoding(part.slice(eq + 1), QUERY_RAW)}`);
  }
  if (keys.length === 0) return '';
  return `?${keys.sort().join('&').split('\0').join('')}`;
}

/** A query whose every character is already normal (no escape, no `;`, no `'`) or `&`/`=` syntax. */
const SIMPLE_QUERY = /^\?[A-Za-z0-9\-._~!$()*+,:@/?&=]*$/;

/**
 * The common query (`?seg=vip`, `?utm_source=x&color=red`): every character already normal, and
 * the parameters that stay already in order with no value holding a second `=` (which would be
 * escaped). Its normal form is its kept parameters as they are, found with one native RegExp and a
 * split instead of the per-parameter encoding checks, set, objects, sort and callbacks of
 * `normalizeQuery` (interpreted in the Wasm guest). Null when the general path must decide.
 * `search` must already match SIMPLE_QUERY (a caller whose own pattern checked it skips the test).
 */
export function simpleQuery(search: string): string | null {
  // The usual query passes one native test and is kept whole (names in order): no split, slices or test per parameter.
  if (!ASKS_A_LOOK.test(search)) return search.indexOf('&') === -1 || namesInOrder(search) ? search : null;
  const parts = search.slice(1).split('&');
  const kept: string[] = [];
  let last = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    if (eq >= 0 && part.indexOf('=', eq + 1) >= 0) return null;
    const name = eq < 0 ? part : part.slice(0, eq);
    if (part.length === 0 || isTrackingAsciiName(name)) continue;
    // Equal names (the first wins) or names out of order: the general path sorts and drops.
    if (kept.length > 0 && name <= last) return null;
    last = name;
    kept.push(part);
  }
  if (kept.length === 0) return '';
  return kept.length === parts.length ? search : `?${kept.join('&')}`;
}

/**
 * What makes a query of SIMPLE_QUERY's characters more than its parameters as written: an empty parameter (`?&`, `&&`,
 * a trailing `&`), a value holding a second `=`, or a tracking name (a name starts after the `?` or an `&`; a `?` or `&`
 * inside a value may also match, which only sends the query to the per-parameter loop). Linear: each alternative is
 * tried at a `?`, `&` or `=`, and `=[^&]*=` stops at the parameter's end.
 */
const ASKS_A_LOOK = new RegExp(`^\\?&|&&|&$|=[^&]*=|[?&](?:${TRACKING_NAME_SOURCE})(?:[=&]|$)`, 'i');

/**
 * The names of a two-parameter query (groups 1 and 2), read by one native match. Linear on a client's URL: a name
 * stops at `=` or `&`, and a shorter one is followed by a name character, which neither `=` nor `&` matches.
 */
const TWO_NAMES = /^\?([^=&]*)(?:=[^&]*)?&([^=&]*)(?:=[^&]*)?$/;

/** Whether the names of a query with several parameters, each kept as it is, are in strictly increasing order. */
function namesInOrder(search: string): boolean {
  // The usual case, two parameters (`?seg=vip&v=bold`): one match instead of a split, slices and a loop.
  const two = TWO_NAMES.exec(search);
  if (two !== null) return two[1]! < two[2]!;
  const parts = search.slice(1).split('&');
  let last = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (i > 0 && name <= last) return false;
    last = name;
  }
  return true;
}
