/**
 * The write options of `fastly_http_cache` in guest memory, and the options and storage action the
 * host suggests for a backend response (Fastly's HTTP caching semantics, as the Node host's
 * readthrough cache applies them). Layout of `fastly_http_cache_write_options` (wasm32, 8-aligned,
 * js-compute-runtime host-api/fastly.h): u64 max_age_ns @0, vary rule ptr/len @8/@12, u64
 * initial_age_ns @16, u64 swr_ns @24, surrogate keys ptr/len @32/@36, u64 length @40, u64 sie_ns @48.
 */
import { cachePolicy } from '../../src/local-platform/cache-policy.ts';
import { HttpCacheWriteMask, HttpStorageAction, Status } from '../abi.ts';
import { fromLatin1, latin1 } from '../guest-headers.ts';
import type { GuestMemory } from '../guest-memory.ts';
import type { GuestResponse } from '../guest-state.ts';
import type { HttpCacheWrite } from '../http-cache-objects.ts';

const NS_PER_MS = 1_000_000n;
const MS_PER_S = 1000;

const toMs = (ns: bigint): number => Number(ns / NS_PER_MS);
const toNs = (ms: number): bigint => BigInt(Math.max(0, Math.round(ms))) * NS_PER_MS;

/** Reads the options a guest passes to an insert or update; absent optional fields are zero or empty. */
export function readWriteOptions(memory: GuestMemory, mask: number, ptr: number): HttpCacheWrite {
  const view = memory.view();
  const u64 = (at: number, bit: number): number => (mask & bit ? toMs(view.getBigUint64(ptr + at, true)) : 0);
  const text = (at: number, bit: number): string =>
    mask & bit ? latin1(memory.bytes(view.getUint32(ptr + at, true), view.getUint32(ptr + at + 4, true))) : '';
  return {
    maxAgeMs: toMs(view.getBigUint64(ptr, true)),
    initialAgeMs: u64(16, HttpCacheWriteMask.initialAgeNs),
    swrMs: u64(24, HttpCacheWriteMask.staleWhileRevalidateNs),
    sieMs: u64(48, HttpCacheWriteMask.staleIfErrorNs),
    surrogateKeys: words(text(32, HttpCacheWriteMask.surrogateKeys)),
    vary: words(text(8, HttpCacheWriteMask.varyRule)).map((name) => name.toLowerCase()),
    sensitive: (mask & HttpCacheWriteMask.sensitiveData) !== 0,
  };
}

function words(text: string): string[] {
  return text.split(/[\s,]+/).filter((word) => word !== '');
}

/** Insert when Fastly's semantics would store the response; otherwise do not store it. */
export function suggestedAction(response: GuestResponse, nowMs: number): number {
  return cachePolicy(headOf(response), nowMs).store ? HttpStorageAction.insert : HttpStorageAction.doNotStore;
}

/** The options Fastly's semantics derive from the response head (zero lifetimes when it must not be stored). */
export function suggestedOptions(response: GuestResponse, nowMs: number): HttpCacheWrite {
  const policy = cachePolicy(headOf(response), nowMs);
  const age = Number(response.headers.values('age')[0] ?? '0');
  const initialAgeMs = Number.isFinite(age) && age > 0 ? age * MS_PER_S : 0;
  if (!policy.store) return { maxAgeMs: initialAgeMs, initialAgeMs, swrMs: 0, sieMs: 0, surrogateKeys: [], vary: [], sensitive: false };
  return {
    maxAgeMs: (policy.initialAgeSeconds + policy.ttlSeconds) * MS_PER_S,
    initialAgeMs: policy.initialAgeSeconds * MS_PER_S,
    swrMs: policy.swrSeconds * MS_PER_S,
    sieMs: policy.sieSeconds * MS_PER_S,
    surrogateKeys: policy.surrogateKeys,
    vary: policy.vary,
    sensitive: false,
  };
}

/**
 * Writes `options` as `get_suggested_cache_options` answers: the struct at `out`, its mask at
 * `maskOut`, and the vary rule and surrogate keys into the buffers the guest lent in the `input`
 * struct (truncated to whole words when they do not fit).
 */
export function writeSuggested(memory: GuestMemory, options: HttpCacheWrite, input: number, maskOut: number, out: number): number {
  const view = memory.view();
  const lend = (at: number, items: readonly string[]): number => {
    const ptr = view.getUint32(input + at, true);
    const capacity = view.getUint32(input + at + 4, true);
    const bytes = fromLatin1(fitting(items, capacity));
    memory.write(ptr, bytes);
    view.setUint32(out + at, ptr, true);
    view.setUint32(out + at + 4, bytes.byteLength, true);
    return bytes.byteLength;
  };
  view.setBigUint64(out, toNs(options.maxAgeMs), true);
  view.setBigUint64(out + 16, toNs(options.initialAgeMs), true);
  view.setBigUint64(out + 24, toNs(options.swrMs), true);
  view.setBigUint64(out + 48, toNs(options.sieMs), true);
  let mask = HttpCacheWriteMask.initialAgeNs | HttpCacheWriteMask.staleWhileRevalidateNs | HttpCacheWriteMask.staleIfErrorNs;
  if (lend(8, options.vary) > 0) mask |= HttpCacheWriteMask.varyRule;
  if (lend(32, options.surrogateKeys) > 0) mask |= HttpCacheWriteMask.surrogateKeys;
  memory.view().setUint32(maskOut, mask, true);
  return Status.ok;
}

function fitting(items: readonly string[], capacity: number): string {
  let text = '';
  for (const item of items) {
    const next = text === '' ? item : `${text} ${item}`;
    if (next.length > capacity) break;
    text = next;
  }
  return text;
}

function headOf(response: GuestResponse): { status: number; headers: Headers } {
  const headers = new Headers();
  for (const [name, value] of response.headers.view()) {
    try {
      headers.append(name, value);
    } catch {
      // A header value Headers rejects cannot be one the caching rules read.
    }
  }
  return { status: response.status, headers };
}
