/**
 * The copy of a body the edge keeps (of a template for the stale tier, of an assembled page for
 * the page tier) up to a cap. The ESI engine tells it the bytes as they pass (processEsi's `tap`
 * and `templateTap`) rather than a second stream teeing the body: inside the Wasm guest that stream
 * cost a pull, a read and their promises per chunk.
 */
import { concatBytes } from '../http/concat-bytes.ts';
import type { ByteTap } from '../esi/esi-processor.ts';
import type { Hole } from '../esi/ranked-include.ts';
import type { PlacedHole } from './page-holes.ts';

/**
 * Keeps the chunks up to `cap` bytes. `copy` settles once: with the bytes when the body ended, or
 * null as soon as the copy is impossible or of no use (over the cap, or `fail`: a read error, the
 * consumer cancelling, a page that turned out to be one visitor's), so nothing waits on a body
 * that will never finish. The promise and the joined bytes are made only when `copy` is read: in
 * the Wasm guest a promise costs two clock reads, and many pages' copies are never read (a page
 * that reads `$(VISITOR)` is not stored). A ranked include's output is not copied: it is a hole at
 * the copy's length so far, its candidate document kept (page-holes.ts), and it counts to the cap.
 */
export class BodyCopy implements ByteTap {
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** The holes' documents' bytes, which count to the cap with the copy's. */
  private holed = 0;
  readonly holes: PlacedHole[] = [];
  private state: 'open' | 'ended' | 'failed' = 'open';
  private made: Promise<Uint8Array<ArrayBuffer> | null> | null = null;
  private settle: ((bytes: Uint8Array<ArrayBuffer> | null) => void) | null = null;

  constructor(private readonly cap: number) {}

  get copy(): Promise<Uint8Array<ArrayBuffer> | null> {
    if (this.made === null) this.made = this.state === 'open' ? new Promise((resolve) => (this.settle = resolve)) : Promise.resolve(this.joined());
    return this.made;
  }

  add(bytes: Uint8Array): void {
    if (this.state !== 'open') return;
    this.size += bytes.byteLength;
    // A copy: the chunk may be a view of bytes its consumer owns from now on. Made by the typed
    // array's constructor, native: `slice` runs the engine's self-hosted code, interpreted in the
    // Wasm guest (~15 µs for the demo home page's last 7 KB chunk).
    if (this.size + this.holed <= this.cap) return void this.chunks.push(new Uint8Array(bytes));
    this.fail();
  }

  hole(hole: Hole, _bytes: Uint8Array): void {
    if (this.state !== 'open') return;
    this.holed += hole.doc.byteLength;
    if (this.size + this.holed > this.cap) return this.fail();
    this.holes.push({ at: this.size, doc: hole.doc, mediaType: hole.mediaType, spec: hole.spec });
  }

  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    this.settle?.(this.joined());
  }

  fail(): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.chunks = [];
    this.holes.length = 0;
    this.settle?.(null);
  }

  /** The whole body once ended, else null; the chunks are let go once joined. */
  private joined(): Uint8Array<ArrayBuffer> | null {
    if (this.state !== 'ended') return null;
    const bytes = concatBytes(this.chunks, this.size);
    this.chunks = [];
    return bytes;
  }
}
