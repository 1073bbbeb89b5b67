/**
 * How a streamed template's chunks are gathered before the tokenizer sees them (template-reader.ts).
 * Inside the Wasm guest every chunk costs tens of microseconds whatever its size (a host body's
 * read, its enqueue and promises; the tokenizer's and the output's bookkeeping), so once the
 * template has passed its first batch its chunks are gathered into batches of `batchBytes`; a page
 * that fits in one batch (most pages) is tokenized as it comes, without a timer. A gathered chunk
 * waits at most `STALL_MS` of wall time, so a stalling origin never holds bytes back. (Not "the
 * read did not answer at once": a host body's read always settles through the event loop, so that
 * test wrote every 8 KiB chunk on its own.)
 */
import { concatBytes } from '../http/concat-bytes.ts';

/** The longest a gathered chunk waits for its batch to fill (wall ms). */
const STALL_MS = 3;

/** A whole template's first part, written on its own: one batch, or 64 KiB where chunks are not batched. */
export function firstPartBytes(batchBytes: number): number {
  return batchBytes || 64 * 1024;
}

export class TemplateBatches {
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** Armed while a batch is gathering: one timer per batch, not per read. */
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The timer's callback, made once per page. */
  private readonly fire: () => void;

  /** `stalled` is told when a gathered batch has waited `STALL_MS`: time to write what there is. */
  constructor(
    private readonly batchBytes: number,
    stalled: () => void,
  ) {
    this.fire = () => {
      this.timer = null;
      stalled();
    };
  }

  /** Gathers a chunk; true when what is gathered is to be written now. `total`: the template's bytes so far. */
  add(chunk: Uint8Array, total: number): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const batching = this.batchBytes > 0 && total > this.batchBytes;
    if (!batching || this.size >= this.batchBytes) return true;
    if (this.timer === null) this.timer = setTimeout(this.fire, STALL_MS);
    return false;
  }

  /** What is gathered, as one chunk (null for nothing), with the timer disarmed. */
  take(): Uint8Array | null {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.size === 0) return null;
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : concatBytes(this.chunks);
    this.chunks = [];
    this.size = 0;
    return bytes;
  }
}
