/**
 * Deterministic pseudo-random numbers for the demo dataset: mulberry32 seeded from a string hash,
 * so the same id always yields the same profile and the catalog never changes between runs.
 */

/** mulberry32 (Tommy Ettinger, public domain): a fast 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the UTF-16 code units of `text`, mixed with `salt`: a stable 32-bit seed. */
export function seedFrom(text: string, salt = 0): number {
  let hash = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Picks from `options` by cumulative weight, using one draw in [0, 1). */
export function pickWeighted<T>(draw: number, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = draw * total;
  for (const [value, weight] of options) {
    if (threshold < weight) return value;
    threshold -= weight;
  }
  const last = options[options.length - 1];
  if (!last) throw new Error('pickWeighted needs at least one option');
  return last[0];
}
