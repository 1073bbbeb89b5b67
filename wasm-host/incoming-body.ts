/**
 * A body on the main thread (a backend response, or the client's upload): pumped ahead into a
 * buffer so a guest's `select` can see when bytes are ready, and read in pieces of the size the guest
 * asks for. The pump stops while the buffer holds a megabyte, so a slow reader (a guest, or a backend
 * taking an upload) holds the source back instead of the host holding the whole body.
 */
const HIGH_WATER_BYTES = 1024 * 1024;

export class IncomingBody {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private resumePump: (() => void) | null = null;
  private ended = false;
  private failure: string | null = null;
  private waiters: (() => void)[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null;

  constructor(
    stream: ReadableStream<Uint8Array> | null,
    private readonly onChange: () => void,
  ) {
    this.reader = stream?.getReader() ?? null;
    if (this.reader) void this.pump(this.reader);
    else this.ended = true;
  }

  get ready(): boolean {
    return this.chunks.length > 0 || this.ended || this.failure !== null;
  }

  get error(): string | null {
    return this.chunks.length > 0 ? null : this.failure;
  }

  /** True once every byte has been taken and the stream ended. */
  get finished(): boolean {
    return this.chunks.length === 0 && this.ended;
  }

  take(max: number): Uint8Array {
    const first = this.chunks[0];
    if (!first) return new Uint8Array(0);
    const bytes = first.byteLength <= max ? first : first.subarray(0, max);
    if (bytes === first) this.chunks.shift();
    else this.chunks[0] = first.subarray(max);
    this.buffered -= bytes.byteLength;
    if (this.buffered < HIGH_WATER_BYTES) this.wakePump();
    return bytes;
  }

  /** Resolves at the next change (bytes, end or error). */
  changed(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  cancel(): void {
    this.chunks = [];
    this.buffered = 0;
    this.ended = true;
    this.wakePump();
    this.reader?.cancel().catch(() => undefined);
  }

  /** Every remaining chunk, in order; throws if the backend body breaks. */
  async *drain(): AsyncGenerator<Uint8Array> {
    for (;;) {
      await this.changed();
      if (this.chunks.length > 0) yield this.take(Number.MAX_SAFE_INTEGER);
      else if (this.failure !== null) throw new Error(this.failure);
      else if (this.ended) return;
    }
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.ended) break;
        if (value.byteLength > 0) {
          this.chunks.push(value);
          this.buffered += value.byteLength;
        }
        this.notify();
        if (this.buffered >= HIGH_WATER_BYTES) await new Promise<void>((resolve) => (this.resumePump = resolve));
      }
    } catch (error) {
      this.failure = error instanceof Error ? error.message : 'body failed';
    }
    this.ended = true;
    this.notify();
  }

  private wakePump(): void {
    const resume = this.resumePump;
    this.resumePump = null;
    resume?.();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    this.onChange();
  }
}
