/**
 * What an assembled page varies on. Its bytes are a function of the template and fragments
 * (requested for the normalized URL and the locale, and nothing else from the visitor) and of the
 * ESI variables it read, so it is keyed on the URL, the locale and the values of exactly those
 * variables, like an HTTP `Vary` the edge learns per template. The set is remembered per template in
 * the edge cache and only grows (a union), so a page that reads one variable more is stored under
 * a finer key, and a lookup never finds a copy built from fewer inputs than it differs in.
 */
import type { EdgeCache, EdgeCacheEntry } from '../ports.ts';
import type { EsiVariables } from '../esi/esi-variables.ts';
import { valueOf } from '../esi/esi-variables.ts';
import { allStrings } from './string-list.ts';
import { documentEntry, documentText } from '../edge-cache-document.ts';
import { readEntrySoon } from '../edge-cache-read.ts';
import { PASS_MARKER_TTL_MS } from './page-fill.ts';

/** Remembered variations expire so a template that stops reading a variable is keyed coarser again. */
export const VARIATION_TTL_MS = 60 * 60 * 1000;

/** At most this many variables per template: past it the page is not stored (a key stays bounded). */
export const MAX_VARIED_VARIABLES = 32;


function variationKey(templateKey: string): string {
  return `vary:v1:${templateKey}`;
}

export function readVariation(cache: EdgeCache, templateKey: string): string[] | null | Promise<string[] | null> {
  return readVariationThen(cache, templateKey, (known) => known);
}

/**
 * The variation, handed to `then` at once when the cache knows it at once (a miss, or the usual
 * entry with it in the metadata: `then`'s answer is returned as it is), else in the lookup's own
 * reaction: written with `then`, not async/await, since it is read once or twice per page and in
 * the Wasm guest each async frame and promise job costs ~10 µs. An unreadable one is null.
 * `passed`: the locale a pass marker kept in its place names (writeVariationPass), else null.
 */
export function readVariationThen<T>(cache: EdgeCache, templateKey: string, then: (known: string[] | null, passed: string | null) => T): T | Promise<T> {
  return readEntrySoon(cache, variationKey(templateKey), (entry) => {
    const known = variationOf(entry);
    // A variation (every stored page's) is no pass marker: its entry is not looked at again.
    return then(known, known === null ? passedLocale(entry) : null);
  });
}

/**
 * The pass marker of a template with no variation yet (a page per visitor, never stored): kept in
 * the variation's entry, not beside it under the page key, so such a page's visitors learn both in
 * one lookup (in the Wasm guest a lookup is ~0.1 ms of guest and host time). It names its locale
 * (the page key's other part); it is an object, not a list, so it reads as no variation at all.
 */
export function writeVariationPass(cache: EdgeCache, templateKey: string, locale: string): Promise<void> {
  return cache.insert(variationKey(templateKey), EMPTY, { ttlMs: PASS_MARKER_TTL_MS, meta: JSON.stringify({ pass: locale }) });
}

const EMPTY = new Uint8Array(0);

/** The locale a variation pass marker names; null for any other entry. */
function passedLocale(entry: EdgeCacheEntry | null): string | null {
  if (entry === null || !entry.meta.startsWith('{"pass":')) return null;
  try {
    const { pass } = JSON.parse(entry.meta) as { pass: unknown };
    return typeof pass === 'string' ? pass : null;
  } catch {
    return null;
  }
}

/** Kept in the entry's metadata (writeVariation); an entry written with it in the body reads too. */
function variationOf(entry: EdgeCacheEntry | null): string[] | null {
  if (!entry) return null;
  try {
    const list: unknown = JSON.parse(documentText(entry));
    return Array.isArray(list) && allStrings(list) ? list : null;
  } catch {
    return null;
  }
}

/**
 * In the entry's metadata with an empty body: every page reads it back, and in the Wasm guest a
 * body costs a stream reader, a read's promise and two hostcalls. A list of unusually long names
 * (a query parameter's name is the template's to choose) stays in the body.
 */
export async function writeVariation(cache: EdgeCache, templateKey: string, variables: readonly string[]): Promise<void> {
  const { body, meta } = documentEntry(JSON.stringify(variables));
  await cache.insert(variationKey(templateKey), body, { ttlMs: VARIATION_TTL_MS, meta });
}

/**
 * The union of two variable lists, sorted; null when it grows past the bound. Joined, sorted
 * natively, then repeats dropped beside each other: no Set or spreads, which the Wasm guest runs as
 * the engine's self-hosted iterators, interpreted (a page stores its copy with it).
 */
export function widen(known: readonly string[] | null, read: readonly string[]): string[] | null {
  const all = known === null ? read.slice() : known.concat(read);
  all.sort();
  const union: string[] = [];
  for (let i = 0; i < all.length; i++) {
    if (i > 0 && all[i] === all[i - 1]) continue;
    if (union.length === MAX_VARIED_VARIABLES) return null;
    union.push(all[i]!);
  }
  return union;
}

/** The variables whose values come from the decision (and so from the profile). */
// RANKING depends on the profile's affinities, so it is only known once the decision is in.
const DECISION_VARIABLES = ['SEGMENT', 'VARIANT', 'RANKING'] as const;

/** True when a page key over `variables` needs the decision: the segment or a variant. */
export function readsDecision(variables: readonly string[]): boolean {
  // An indexed loop and one RegExp: in the Wasm guest `some` callbacks are interpreted calls.
  for (let i = 0; i < variables.length; i++) if (DECISION_VARIABLE.test(variables[i]!)) return true;
  return false;
}

const DECISION_VARIABLE = new RegExp(`^(?:${DECISION_VARIABLES.join('|')})(?:\\{|$)`);

/** `[name, value]` pairs for a variable list, in list order: the varying part of the page key. */
export function variationValues(variables: readonly string[], vars: EsiVariables): Array<[string, string]> {
  // `valueOf`, not `variableValue`: these reads are the key's, not the page's, so none is recorded
  // (no probe copy of `vars`, whose spread runs self-hosted code in the guest). An indexed loop, no callback.
  const values: Array<[string, string]> = [];
  for (let i = 0; i < variables.length; i++) {
    const variable = variables[i]!;
    const brace = variable.indexOf('{');
    const name = brace < 0 ? variable : variable.slice(0, brace);
    const key = brace < 0 ? null : variable.slice(brace + 1, -1);
    values.push([variable, valueOf(vars, name, key)]);
  }
  return values;
}
