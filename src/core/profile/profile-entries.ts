/**
 * How `parseProfile` (profile-parse.ts) reads a list or the affinities map: the first usable,
 * distinct entries up to the field's cap, among at most `PROFILE_EXAMINED_PER_KEPT` times the cap
 * entries examined. A cap counts what is kept, so without the second bound a profile of 6,000
 * copies of one segment and 2,500 affinities out of range was read to its end (64 KiB: +9 ms over
 * a profile miss in the Wasm guest, where each entry's checks run interpreted). An entry past the
 * bound is neither examined nor type-checked, as an entry past a reached cap never was.
 */

/** Entries examined per entry a field may keep: segments 128, recentCategories 64, recentItems 128, purchased and affinities 256. */
export const PROFILE_EXAMINED_PER_KEPT = 4;

/** A field of the wrong JSON type: the whole profile is invalid. */
export class WrongType extends Error {}

/** True for a non-empty string of at most 64 units without control characters. */
// One native RegExp test instead of a loop over characters: in the Wasm guest every loop
// iteration is interpreted, and a profile holds dozens of strings.
// eslint-disable-next-line no-control-regex
const CLEAN_STRING = /^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,64}$/;

export function isCleanString(value: string): boolean {
  return CLEAN_STRING.test(value);
}

/**
 * The distinct clean strings of `items`, in order, at most `cap`, from the first `cap` ×
 * PROFILE_EXAMINED_PER_KEPT items. A non-string among those throws for a strict `field` and is
 * skipped otherwise. Indexed, with `includes` over the short result: in the Wasm guest `for…of`,
 * Sets from arrays and spreads run the engine's self-hosted iterator, interpreted.
 */
export function distinctClean(items: unknown[], cap: number, field: string | null): readonly string[] {
  const kept: string[] = [];
  const end = Math.min(items.length, cap * PROFILE_EXAMINED_PER_KEPT);
  for (let i = 0; i < end && kept.length < cap; i++) {
    const item = items[i];
    if (typeof item !== 'string') {
      if (field !== null) throw new WrongType(`${field}: wrong type`);
      continue;
    }
    if (isCleanString(item) && !kept.includes(item)) kept.push(item);
  }
  return Object.freeze(kept);
}

/**
 * The usable entries of an affinities object (a clean key, a finite number in 0..1), at most `cap`,
 * from its first `cap` × PROFILE_EXAMINED_PER_KEPT own keys in enumeration order (a JSON object's:
 * integer-like keys ascending, then the rest as written). A value that is not a number among those
 * throws. A null-prototype result, so keys are plain data.
 */
export function usableAffinities(raw: Record<string, unknown>, cap: number): Readonly<Record<string, number>> {
  const out = Object.create(null) as Record<string, number>;
  const bound = cap * PROFILE_EXAMINED_PER_KEPT;
  let count = 0;
  let examined = 0;
  for (const key in raw) {
    if (count === cap || examined === bound) break;
    if (!Object.hasOwn(raw, key)) continue;
    examined++;
    const value = raw[key];
    if (typeof value !== 'number') throw new WrongType('affinities: wrong type');
    if (isCleanString(key) && Number.isFinite(value) && value >= 0 && value <= 1) {
      out[key] = value;
      count++;
    }
  }
  return Object.freeze(out);
}
