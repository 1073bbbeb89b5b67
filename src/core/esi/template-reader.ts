/**
 * Reads the ESI template into the tokenizer up to `MAX_TEMPLATE_BYTES`, writing what is ready after
 * each batch (template-batches.ts). Past the cap the rest is not read; a read error ends the page
 * the same way; both are told as problems. A template whose bytes are all there (a cached copy)
 * comes whole, from one native read (`WholeTemplate`); its first batch is tokenized and written one
 * promise turn before the rest, so the page's head still leaves before the whole template is parsed.
 */
import { MAX_TEMPLATE_BYTES } from './esi-limits.ts';
import { viewOf } from './chunk-cursor.ts';
import type { Reading, TemplateSource } from './template-input.ts';
import { firstPartBytes, TemplateBatches } from './template-batches.ts';

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

/**
 * A `then` per read rather than an async loop: inside the Wasm guest every promise an `await`
 * adds costs about 10 µs. The two callbacks a read needs are made once per page, not per read,
 * and assigned in the constructor rather than declared as arrow-function fields: on the Node host
 * (tsx) each such field costs a defineProperty per page (~1.2 µs); the rest are prototype methods.
 */
class TemplateReader {
  private total = 0;
  private over = false;
  private whole = false; // The next batch is the whole template (a cached copy within its first part).
  private readonly batches: TemplateBatches;

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
    this.batches = new TemplateBatches(reading.batchBytes, () => this.stalled());
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
        this.tokenize();
        this.end();
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
    const first = Math.min(bytes.length, firstPartBytes(this.reading.batchBytes));
    this.whole = first === bytes.length;
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
      if (this.batches.add(chunk, this.total)) this.tokenize();
      return true;
    }
    this.batches.add(new Uint8Array(chunk.buffer, chunk.byteOffset, room), this.total);
    this.reading.problem(`template over ${MAX_TEMPLATE_BYTES} bytes: the page ends there`);
    this.reading.tap?.fail();
    void this.reader?.cancel().catch(() => undefined);
    this.tokenize();
    this.end();
    return false;
  }

  private tokenize(): void {
    const bytes = this.batches.take();
    if (bytes === null) return;
    this.reading.tokenizer.write(bytes, this.whole);
    this.reading.output.flush();
  }

  private stalled(): void {
    if (this.over) return;
    try {
      this.tokenize();
    } catch {
      this.failed();
    }
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

