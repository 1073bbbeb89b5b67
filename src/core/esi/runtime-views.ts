/** Which search primitive (chunk-view.ts) each host runs the ESI tokenizer on. */
import type { ChunkViews } from './chunk-view.ts';
import { byteViews } from './byte-view.ts';
import { latin1Views } from './latin1-view.ts';
import { pairViews } from './pair-views.ts';

export { byteViews, latin1Views, pairViews };

/** Inside the Wasm guest only native decoding and string search are fast; on V8 typed-array search is. */
export function chunkViewsFor(runtime: 'fastly' | 'node'): ChunkViews {
  return runtime === 'fastly' ? pairViews : byteViews;
}
