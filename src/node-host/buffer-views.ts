/**
 * The ESI tokenizer's search port (src/core/esi/chunk-view.ts) for the Node host. On Node 20's V8,
 * `Uint8Array.prototype.indexOf` is a plain loop (~1 ms per MB per search), while
 * `Buffer.prototype.indexOf` of one byte is memchr (~0.03 ms per MB); it also takes a plain
 * `Uint8Array`, so no Buffer is made per chunk. Needles are still found by their rarest byte (see
 * byte-view.ts): a native string search anchors on a needle's first byte, and the `e` of `esi:`
 * is about five times as common in HTML as its `:`. The same contract tests run against this and
 * the core's views.
 */
import { Buffer } from 'node:buffer';
import { viewsSearchingWith } from '../core/esi/byte-view.ts';

/** Called on a plain `Uint8Array`: Node's search only needs a byte view (the prototype is untyped). */
const memchr = Reflect.get(Buffer.prototype, 'indexOf') as (this: Uint8Array, byte: number, from: number) => number;

export const bufferViews = viewsSearchingWith((bytes, byte, from) => memchr.call(bytes, byte, from));
