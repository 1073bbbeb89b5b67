/**
 * Numbers of the Compute hostcall ABI (compute-at-edge-abi typenames.witx) and of WASI preview1
 * that the host returns or writes: status codes, errnos, send-error tags and cache state bits.
 */

/** `fastly_status` (typenames.witx): the i32 every `fastly_*` hostcall returns. */
export const Status = {
  ok: 0,
  error: 1,
  inval: 2,
  badf: 3,
  buflen: 4,
  unsupported: 5,
  badalign: 6,
  httpinvalid: 7,
  httpuser: 8,
  httpincomplete: 9,
  none: 10,
  httpheadtoolarge: 11,
  httpinvalidstatus: 12,
  limitexceeded: 13,
} as const;

/** WASI preview1 errno values the host uses. */
export const Errno = { success: 0, badf: 8, inval: 28, nosys: 52, spipe: 70, notcapable: 76 } as const;

/** `send_error_detail_tag` values written by `pending_req_wait_v2` when a send fails. */
export const SendErrorTag = {
  ok: 1,
  destinationNotFound: 4,
  connectionRefused: 7,
  connectionTerminated: 8,
  httpIncompleteResponse: 13,
  httpResponseTimeout: 16,
  internalError: 22,
} as const;

/** `cache_lookup_state` bits of the core cache (fastly_cache.get_state). */
export const CacheLookupState = { found: 1, usable: 2, stale: 4, mustInsertOrUpdate: 8 } as const;

/** `cache_lookup_state` bits as `fastly_http_cache.get_state` reports them (adds usable-if-error). */
export const HttpCacheState = { ...CacheLookupState, usableIfError: 16 } as const;

/** `http_cache_write_options_mask` bits (fastly_http_cache transaction_insert and friends). */
export const HttpCacheWriteMask = {
  varyRule: 1 << 1,
  initialAgeNs: 1 << 2,
  staleWhileRevalidateNs: 1 << 3,
  surrogateKeys: 1 << 4,
  length: 1 << 5,
  sensitiveData: 1 << 6,
  staleIfErrorNs: 1 << 7,
} as const;

/** `http_cache_lookup_options_mask`: the guest supplies its own (SHA-256) cache key. */
export const HTTP_CACHE_LOOKUP_OVERRIDE_KEY = 1 << 1;

/** `http_storage_action` values of `prepare_response_for_storage`. */
export const HttpStorageAction = { insert: 0, update: 1, doNotStore: 2, recordUncacheable: 3 } as const;

/** `purge_options_mask`: mark stale instead of dropping. */
export const PURGE_SOFT = 1 << 0;

/** `cache_write_options_mask` bits (fastly_cache.insert). */
export const CacheWriteMask = {
  requestHeaders: 1 << 1,
  varyRule: 1 << 2,
  initialAgeNs: 1 << 3,
  staleWhileRevalidateNs: 1 << 4,
  surrogateKeys: 1 << 5,
  length: 1 << 6,
  userMetadata: 1 << 7,
} as const;

/** `cache_override_tag` bits (fastly_http_req.cache_override_v2_set). */
export const CacheOverrideTag = { pass: 1, ttl: 2, staleWhileRevalidate: 4, pci: 8 } as const;

/** `http_version` enum: the host reports HTTP/1.1 for every message. */
export const HTTP_1_1 = 2;

/** `async_io.select` writes this index when the timeout expired first. */
export const SELECT_TIMED_OUT = 0xffff_ffff;
