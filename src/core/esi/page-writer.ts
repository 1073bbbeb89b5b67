/**
 * The assembled page's way out. The ESI engine hands each output chunk to a `PageSink`, a port with
 * one contract on both hosts: inside the Wasm guest the sink is the response's web stream
 * (`pageStream`); the Node host takes the bytes straight to its socket, because on Node 20 a web
 * stream costs more to make (`makeTransferable`) and read than assembling a small page.
 *
 * The writer also tells the copy the edge keeps (`tap`), closes both when the page is done, and
 * remembers that the client went away, so nothing more is written and neither copy is kept (a
 * cancelled page is not whole). A sink's `write` throwing means its consumer cancelled: the same
 * answer as a `cancel` call.
 */
import type { ByteTap } from './template-reader.ts';
import type { Hole } from './ranked-include.ts';
import { concatBytes } from '../http/concat-bytes.ts';

/** Where a page's bytes go, in order, then the end. */
export interface PageSink {
  /** One chunk of the page; throws when the consumer has gone. The chunk is the sink's from now on. */
  write(bytes: Uint8Array): void;
  /**
   * Optional: several chunks at once, for a sink to which a chunk costs little (the Node host's
   * socket); without it they are joined into one chunk first (a chunk of a web stream costs the
   * guest a few promises).
   */
  writeParts?(parts: readonly Uint8Array[]): void;
  /** The page is complete: called once, after the last `write`, never after a cancel. */
  close(): void;
}

/** A page being written: its report once it is done, and how its consumer stops it. */
export interface WritingPage<Report> {
  report: Promise<Report>;
  cancel(reason: unknown): void;
}

/**
 * A part at least this long goes out as a chunk of its own instead of being copied into a joined
 * one: a chunk costs the guest a few promises (~10–30 µs), a copy ~0.4 µs per KiB (the 24 fragments
 * of 256 KiB a hostile page inserts at the cap were one 6 MiB copy: ~2.5 ms).
 */
const ALONE_FROM = 64 * 1024;

export class PageWriter {
  cancelled = false;

  constructor(
    private readonly sink: PageSink,
    private tap: ByteTap | undefined,
    private readonly templateTap: ByteTap | undefined,
    /**
     * The page's include runner: once a part is this visitor's alone, the page is never stored
     * (page-finish.ts); its ranked outputs are holes in the copy (ranked-include.ts).
     */
    private readonly page?: { readonly perVisitor: boolean; readonly holes: ReadonlyMap<Uint8Array, Hole> | null },
  ) {}

  /** What the output queue has ready, in order. */
  write(parts: Uint8Array[]): void {
    if (this.cancelled) return;
    const tap = this.tapFor(parts);
    try {
      if (parts.length > 1 && this.sink.writeParts !== undefined) return this.writeParts(parts, tap);
      // Each run of shorter parts joined into one chunk, each long part a chunk of its own.
      let from = 0;
      for (let i = 0; i <= parts.length; i++) {
        if (i < parts.length && parts[i]!.length < ALONE_FROM) continue;
        if (i - from > 1) this.writeChunk(concatBytes(from === 0 && i === parts.length ? parts : parts.slice(from, i)), tap);
        else if (i - from === 1) this.writeChunk(parts[from]!, tap);
        if (i < parts.length) this.writeChunk(parts[i]!, tap);
        from = i + 1;
      }
    } catch {
      this.cancel();
    }
  }

  /**
   * The tap to tell each chunk as it is written, or undefined: none, given up at once for a copy
   * nobody will store (no copy of the page's last chunk, no join at its end), or told part by part
   * here when the page has holes, before the parts are joined and lose their identity.
   */
  private tapFor(parts: readonly Uint8Array[]): ByteTap | undefined {
    const tap = this.tap;
    const holes = this.page?.holes ?? null;
    if (tap === undefined || (holes === null && this.page?.perVisitor !== true)) return tap;
    if (this.page?.perVisitor === true || tap.hole === undefined) {
      tap.fail();
      this.tap = undefined;
      return undefined;
    }
    for (let i = 0; i < parts.length; i++) {
      const hole = holes!.get(parts[i]!);
      if (hole === undefined) tap.add(parts[i]!);
      else tap.hole(hole, parts[i]!);
    }
    return undefined;
  }

  private writeChunk(bytes: Uint8Array, tap: ByteTap | undefined): void {
    tap?.add(bytes);
    this.sink.write(bytes);
  }

  private writeParts(parts: Uint8Array[], tap: ByteTap | undefined): void {
    if (tap !== undefined) for (let i = 0; i < parts.length; i++) tap.add(parts[i]!);
    this.sink.writeParts!(parts);
  }

  close(): void {
    if (this.cancelled) return;
    this.sink.close();
    this.tap?.end();
  }

  cancel(): void {
    this.cancelled = true;
    this.tap?.fail();
    this.templateTap?.fail();
  }
}

/**
 * How a host turns a page writer into the page's body: `pageStream` by default (the Wasm guest's
 * response body must be a stream); the Node host's writes to its socket and gives no body.
 */
export type PageBodies = <Report>(start: (sink: PageSink) => WritingPage<Report>) => { body: ReadableStream<Uint8Array> | null; report: Promise<Report> };

/**
 * The page as a web stream (the guest's response body): `start` begins writing into the stream's
 * sink at once, and the stream's cancel is the page's.
 */
export function pageStream<Report>(start: (sink: PageSink) => WritingPage<Report>): { body: ReadableStream<Uint8Array>; report: Promise<Report> } {
  const made: { page?: WritingPage<Report> } = {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      made.page = start({ write: (bytes) => controller.enqueue(bytes), close: () => controller.close() });
    },
    cancel(reason) {
      made.page!.cancel(reason);
    },
  });
  // The stream's `start` runs inside its constructor, so the page exists by now.
  return { body, report: made.page!.report };
}
