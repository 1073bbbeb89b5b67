/** The core cache's write options as a guest passes them to `insert` and the transaction calls. */
import { CacheWriteMask } from '../abi.ts';
import type { GuestMemory } from '../guest-memory.ts';

const NS_PER_MS = 1_000_000n;

export interface WriteOptions {
  ttlMs: number;
  swrMs: number;
  surrogateKeys: string[];
  meta: string;
}

/** `CacheWriteOptions` (fastly.h, wasm32): u64 max_age_ns @0, swr @32, surrogate keys @40/44, metadata @56/60. */
export function readWriteOptions(memory: GuestMemory, mask: number, ptr: number): WriteOptions {
  const view = memory.view();
  const ms = (ns: bigint): number => Number(ns / NS_PER_MS);
  const text = (at: number): string => memory.string(view.getUint32(at, true), view.getUint32(at + 4, true));
  return {
    ttlMs: ms(view.getBigUint64(ptr, true)),
    swrMs: mask & CacheWriteMask.staleWhileRevalidateNs ? ms(view.getBigUint64(ptr + 32, true)) : 0,
    surrogateKeys: mask & CacheWriteMask.surrogateKeys ? text(ptr + 40).split(' ').filter(Boolean) : [],
    meta: mask & CacheWriteMask.userMetadata ? text(ptr + 56) : '',
  };
}
