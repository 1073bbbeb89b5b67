/**
 * Reads and writes the guest's linear memory for hostcalls. The buffer is looked up on every access
 * because `memory.grow` inside the guest detaches the previous ArrayBuffer.
 */

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class GuestMemory {
  private memory: WebAssembly.Memory | null = null;

  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  private get buffer(): ArrayBuffer {
    if (!this.memory) throw new Error('guest memory is not attached yet');
    return this.memory.buffer;
  }

  view(): DataView {
    return new DataView(this.buffer);
  }

  /** A copy of `len` bytes at `ptr` (copies survive memory growth and can be posted). */
  bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.buffer, ptr, len).slice();
  }

  string(ptr: number, len: number): string {
    return decoder.decode(new Uint8Array(this.buffer, ptr, len));
  }

  write(ptr: number, data: Uint8Array): void {
    new Uint8Array(this.buffer, ptr, data.byteLength).set(data);
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
