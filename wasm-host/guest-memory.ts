/**
 * Reads and writes the guest's linear memory for hostcalls. The buffer is looked up on every access
 * because `memory.grow` inside the guest detaches the previous ArrayBuffer.
 */

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const NO_BYTES = new Uint8Array(0);
const NO_BUFFER = Buffer.alloc(0);

export class GuestMemory {
  private memory: WebAssembly.Memory | null = null;
  // Views over the current buffer, made again only when `memory.grow` replaced it: a hostcall's
  // reads and writes then allocate no view objects (this host's ~200 hostcalls a page add up).
  // A memory of 0 pages has empty views too and asks for its buffer on every access (still exact).
  private dataView: DataView | null = null;
  private u8View = NO_BYTES;
  private nodeView = NO_BUFFER;
  /** A shared memory grows without detaching its old buffer: its views are made again on every access. */
  private growsInPlace = false;

  /** Makes the views at once: a host that knows the memory before the instance runs attaches it then. */
  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
    const buffer = memory.buffer;
    this.growsInPlace = (buffer as ArrayBufferLike) instanceof SharedArrayBuffer;
    this.refresh(buffer);
  }

  /** Forgets the finished instance's memory (instance-kit.ts), so it is not kept alive until the next attach. */
  detach(): void {
    this.memory = null;
    this.dataView = null;
    this.u8View = NO_BYTES;
    this.nodeView = NO_BUFFER;
    this.growsInPlace = false;
  }

  private get buffer(): ArrayBuffer {
    if (!this.memory) throw new Error('guest memory is not attached yet');
    return this.memory.buffer;
  }

  /**
   * Whether the views still cover the memory. `memory.grow` detaches the buffer they were made on,
   * which leaves them empty, so an empty view is the only case that asks the memory for its buffer
   * (a native getter, and each hostcall reads or writes several times).
   */
  private current(): void {
    if (this.u8View.byteLength === 0 || this.growsInPlace) this.refresh(this.buffer);
  }

  view(): DataView {
    this.current();
    return this.dataView!;
  }

  /** The whole memory as bytes (valid until the guest next grows its memory). */
  u8s(): Uint8Array {
    this.current();
    return this.u8View;
  }

  private refresh(buffer: ArrayBuffer): void {
    this.dataView = new DataView(buffer);
    this.u8View = new Uint8Array(buffer);
    this.nodeView = Buffer.from(buffer);
  }

  /** A copy of `len` bytes at `ptr` (copies survive memory growth and can be posted). */
  bytes(ptr: number, len: number): Uint8Array {
    return this.u8s().slice(ptr, checkedEnd(this.u8View, ptr, len));
  }

  string(ptr: number, len: number): string {
    return decoder.decode(this.u8s().subarray(ptr, checkedEnd(this.u8View, ptr, len)));
  }

  write(ptr: number, data: Uint8Array): void {
    this.u8s().set(data, ptr);
  }

  /** Writes `text` one byte per char (latin1, as `Buffer.from(text, 'latin1')`) at `ptr`, without a copy in between. */
  writeLatin1(ptr: number, text: string): void {
    checkedEnd(this.u8s(), ptr, text.length);
    this.nodeView.write(text, ptr, text.length, 'latin1');
  }

  /** `len` bytes at `ptr` as latin1 text (one char per byte), without copying them first. */
  latin1(ptr: number, len: number): string {
    const end = checkedEnd(this.u8s(), ptr, len);
    return this.nodeView.toString('latin1', ptr, end);
  }

  u8(ptr: number, value: number): void {
    this.view().setUint8(ptr, value);
  }

  u16(ptr: number, value: number): void {
    this.view().setUint16(ptr, value, true);
  }

  u32(ptr: number, value: number): void {
    this.view().setUint32(ptr, value >>> 0, true);
  }

  u64(ptr: number, value: bigint | number): void {
    this.view().setBigUint64(ptr, BigInt(value), true);
  }

  i64(ptr: number, value: bigint | number): void {
    this.view().setBigInt64(ptr, BigInt(value), true);
  }

  readU32(ptr: number): number {
    return this.view().getUint32(ptr, true);
  }

  readU64(ptr: number): bigint {
    return this.view().getBigUint64(ptr, true);
  }
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** `ptr + len`, or a RangeError as `new Uint8Array(buffer, ptr, len)` gives for a range past the end. */
function checkedEnd(bytes: Uint8Array, ptr: number, len: number): number {
  if (ptr < 0 || len < 0 || ptr + len > bytes.byteLength) throw new RangeError(`guest memory range ${ptr}+${len} is out of bounds`);
  return ptr + len;
}
