/**
 * The alternation the paired A/B tools share: `warmup` requests to each side, then `pairs` pairs
 * whose order flips every pair, so neither side always runs right after the other.
 */
export interface Pair<T> {
  a: T;
  b: T;
}

export async function alternate<S, T>(a: S, b: S, warmup: number, pairs: number, once: (side: S) => Promise<T>): Promise<Array<Pair<T>>> {
  for (let i = 0; i < warmup; i++) {
    await once(a);
    await once(b);
  }
  const out: Array<Pair<T>> = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      const va = await once(a);
      out.push({ a: va, b: await once(b) });
    } else {
      const vb = await once(b);
      out.push({ a: await once(a), b: vb });
    }
  }
  return out;
}
