/**
 * Reads the ESI template into the tokenizer up to `MAX_TEMPLATE_BYTES`, writing what is ready after
 * each batch. Past the cap the rest is not read; a read error ends the page the same way; both are
 * told as problems. Inside the Wasm guest every chunk costs tens of microseconds whatever its size
 * (a host body's read, its enqueue and promises; the tokenizer's and the output's bookkeeping), so:
 * - a template whose bytes are all there (a cached copy) comes whole, from one native read
 *   (`WholeTemplate`); its first batch is tokenized and written one promise turn before the rest,
 *   so the page's head still leaves before the whole template is parsed;
 * - a streamed template's chunks are gathered into batches of `batchBytes` once it has passed its
 *   first batch, but a gathered chunk waits at most `STALL_MS` of wall time, so a stalling origin
 *   never holds bytes back. (Not "the read did not answer at once": a host body's read always
 *   settles through the event loop, so that test wrote every 8 KiB chunk on its own.)
 */
import { MAX_TEMPLATE_BYTES } from './esi-limits.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import { viewOf } from './chunk-cursor.ts';
import type { Reading, TemplateSource } from './template-input.ts';

export type { ByteTap, Reading, TemplateSource, WholeTemplate } from './template-input.ts';

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/**
 * Feeds the template, streamed or whole, to the tokenizer up to the byte cap, then calls `ended`;
 * never throws. Returns what stops the reading when the page's consumer cancels.
 */
export function readTemplate(source: TemplateSource, reading: Reading, ended: () => void): (reason: unknown) => void {
  if ('whole' in source) {
    const whole = new TemplateReader(null, reading, ended);
    source.whole.then((bytes) => whole.arrived(bytes), whole.onFail);
    return () => undefined;
  }
  const reader = source.getReader();
  new TemplateReader(reader, reading, ended).read();
  return (reason) => void reader.cancel(reason).catch(() => undefined);
}

/** The longest a gathered chunk waits for its batch to fill (wall ms). */
const STALL_MS = 3;

/** The first part written on its own: one batch, or 64 KiB where chunks are not batched. */
const FIRST_PART = 64 * 1024;

/**
 * A `then` per read rather than an async loop: inside the Wasm guest every promise an `await`
 * adds costs about 10 µs. The two callbacks a read needs are made once per page, not per read,
 * and assigned in the constructor rather than declared as arrow-function fields: on the Node host
 * (tsx) each such field costs a defineProperty per page (~1.2 µs); the rest are prototype methods.
 */
class TemplateReader {
  private total = 0;
  private over = false;
  private batch: Uint8Array[] = [];
  private batched = 0;
  /** Armed while a batch is gathering: one timer per batch, not per read. */
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Null for a template read whole. */
    private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null,
    private readonly reading: Reading,
    private readonly ended: () => void,
  ) {
    this.onRead = (result) => {
      if (this.take(result)) this.read();
    };
    this.onFail = () => this.failed();
  }

  /** A read's result: taken, then the next read if the template goes on. */
  private declare readonly onRead: (result: ReadResult) => void;

  /** `failed` as a callback. */
  declare readonly onFail: () => void;

  read(): void {
    this.reader!.read().then(this.onRead, this.onFail);
  }

  /** Takes one read's result; true when the template goes on. */
  private take(result: ReadResult): boolean {
    if (this.over) return false;
    try {
      const cancelled = this.reading.cancelled();
      if (result.done || cancelled) {
        if (!cancelled) this.reading.tap?.end();
        this.finish();
        return false;
      }
      return this.add(result.value);
    } catch {
      this.failed();
      return false;
    }
  }

  /** A whole template: its first part now, the rest one promise turn later (after that part is written). */
  arrived(whole: ArrayBuffer | Uint8Array): void {
    const bytes = whole instanceof Uint8Array ? whole : new Uint8Array(whole);
    const first = Math.min(bytes.length, this.reading.batchBytes || FIRST_PART);
    if (!this.take({ done: false, value: viewOf(bytes, 0, first) })) return;
    if (first === bytes.length) return void this.take({ done: true, value: undefined });
    void Promise.resolve().then(() => {
      if (this.take({ done: false, value: viewOf(bytes, first, bytes.length) })) this.take({ done: true, value: undefined });
    });
  }

  /** Gathers a chunk, tokenizing at the batch size; false when the byte cap ended the page. */
  private add(chunk: Uint8Array): boolean {
    const room = MAX_TEMPLATE_BYTES - this.total;
    this.total += chunk.length;
    if (chunk.length <= room) {
      this.reading.tap?.add(chunk);
      this.gather(chunk);
      if (!this.batching() || this.batched >= this.reading.batchBytes) this.tokenize();
      else if (this.timer === null) this.timer = setTimeout(() => this.stalled(), STALL_MS);
      return true;
    }
    this.gather(new Uint8Array(chunk.buffer, chunk.byteOffset, room));
    this.reading.problem(`template over ${MAX_TEMPLATE_BYTES} bytes: the page ends there`);
    this.reading.tap?.fail();
    void this.reader?.cancel().catch(() => undefined);
    this.finish();
    return false;
  }

  /**
   * Batching starts once the template has passed one batch: a page that fits in one (most pages)
   * is tokenized as it comes, without a stall timer.
   */
  private batching(): boolean {
    return this.reading.batchBytes > 0 && this.total > this.reading.batchBytes;
  }

  private gather(chunk: Uint8Array): void {
    this.batch.push(chunk);
    this.batched += chunk.length;
  }

  private tokenize(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.batched === 0) return;
    const bytes = this.batch.length === 1 ? this.batch[0]! : concatBytes(this.batch);
    this.batch = [];
    this.batched = 0;
    this.reading.tokenizer.write(bytes);
    this.reading.output.flush();
  }

  private stalled(): void {
    this.timer = null;
    if (this.over) return;
    try {
      this.tokenize();
    } catch {
      this.failed();
    }
  }

  private finish(): void {
    this.tokenize();
    this.end();
  }

  failed(): void {
    if (this.over) return;
    this.reading.problem('template read failed: the page ends there');
    this.reading.tap?.fail();
    try {
      this.tokenize();
    } catch {
      // The page ends with what was tokenized.
    }
    this.end();
  }

  private end(): void {
    if (this.over) return;
    this.over = true;
    this.reading.tokenizer.end();
    this.ended();
  }
}

