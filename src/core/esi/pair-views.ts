/**
 * The chunk views of the Wasm guest: a `PairView` per chunk (pair-view.ts) where the runtime decodes
 * `latin1`, with their expressions compiled at module load.
 */
import type { ChunkView, ChunkViews } from './chunk-view.ts';
import { latin1Text, latin1View } from './latin1-view.ts';
import { PairView } from './pair-view.ts';

let windows: boolean | undefined;
/** A whole template up to this size is decoded whole as latin1 at once (see `views`). */
const SMALL_WHOLE = 64 * 1024;

/**
 * A small template read whole (a demo page's 7–35 KB) holds its page's every construct, a few
 * hundred bytes apart: decoded whole as latin1 at once, each is one native match, where the pair
 * view would decode the pairs, then most bytes again in windows, with a search object and
 * per-needle bookkeeping besides. A streamed chunk keeps the pair view: an ESI-free 8 KiB read
 * decodes ~5x cheaper as pairs.
 */
const views = (bytes: Uint8Array, whole?: boolean): ChunkView => {
  // Tags are decoded as latin1 windows: without that decoder, the latin1 view's own fallback.
  windows ??= latin1Text(Uint8Array.of(0xff)) !== null;
  return windows && (whole !== true || bytes.length > SMALL_WHOLE) ? new PairView(bytes) : latin1View(bytes);
};

/** 64 KiB batches, as latin1Views (template-reader.ts). */
export const pairViews: ChunkViews = Object.assign(views, { batchBytes: 64 * 1024 });

/**
 * Runs each expression once at module load: inside the guest that is build time (the Wizer
 * snapshot keeps their compiled code), while a RegExp first run inside a request costs ~0.5 ms.
 * A RegExp is compiled apart for one-byte and two-byte strings, and a window is two-byte as soon
 * as it holds a UTF-8 byte (the `latin1` decoder maps 0x80–0x9F above U+00FF): the samples give
 * both, else every fresh instance compiled the two-byte code on a UTF-8 page's first tag
 * (~0.3 ms measured in the guest).
 */
function warm(): void {
  const encoder = new TextEncoder();
  for (const text of ['x<esi:a b="1"/>y<!--esi </esi:c> -->', 'x<esi:a b="1"/>y<!--esi </esi:c> -->\u201a']) {
    const sample = encoder.encode(text);
    // Both alignments, outside and inside a comment.
    for (const chunk of [sample, sample.subarray(1)]) {
      const view = views(chunk);
      for (const inComment of [false, true]) {
        for (let match = view.nextMatch!(0, inComment); match !== null; match = view.nextMatch!(match.at + 1, inComment)) view.tagEnd!(match.at);
      }
    }
  }
}
warm();
