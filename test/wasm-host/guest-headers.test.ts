/**
 * The ABI's cursor-based header listing, header lists, the guest memory's reused views, and the
 * client address octets given to the guest.
 */
import { describe, expect, it } from 'vitest';
import { Status } from '../../wasm-host/abi.ts';
import { HeaderList, writeLatin1Value, writeMultiValue } from '../../wasm-host/guest-headers.ts';
import { GuestMemory } from '../../wasm-host/guest-memory.ts';
import { ipOctets } from '../../wasm-host/imports/http-resp-imports.ts';

function memory(): GuestMemory {
  const guest = new GuestMemory();
  guest.attach(new WebAssembly.Memory({ initial: 1 }));
  return guest;
}

describe('writeMultiValue', () => {
  it('writes NUL-terminated items and ends with cursor -1 when all fit', () => {
    const guest = memory();
    expect(writeMultiValue(guest, ['accept', 'host'], 0, 64, 0, 100, 108)).toBe(Status.ok);
    expect(guest.string(0, guest.readU32(108))).toBe('accept\0host\0');
    expect(guest.view().getBigInt64(100, true)).toBe(-1n);
  });

  it('stops before the item that does not fit and returns its index as the next cursor', () => {
    const guest = memory();
    expect(writeMultiValue(guest, ['accept', 'host'], 0, 9, 0, 100, 108)).toBe(Status.ok);
    expect(guest.string(0, guest.readU32(108))).toBe('accept\0');
    expect(guest.view().getBigInt64(100, true)).toBe(1n);
  });

  it('answers buflen with the needed size when not even the first item fits', () => {
    const guest = memory();
    expect(writeMultiValue(guest, ['content-type'], 0, 4, 0, 100, 108)).toBe(Status.buflen);
    expect(guest.readU32(108)).toBe('content-type\0'.length);
  });

  it('writes nothing past the end of the list', () => {
    const guest = memory();
    expect(writeMultiValue(guest, ['a'], 0, 64, 1, 100, 108)).toBe(Status.ok);
    expect(guest.readU32(108)).toBe(0);
  });
});

describe('writeMultiValue and writeLatin1Value bytes', () => {
  it('write each char as one byte, as Buffer.from(text, latin1) does', () => {
    const guest = memory();
    const value = 'caf\u00e9 \u00ff';
    expect(writeLatin1Value(guest, value, 0, 64, 108)).toBe(Status.ok);
    expect(guest.readU32(108)).toBe(value.length);
    expect([...guest.bytes(0, value.length)]).toEqual([...Buffer.from(value, 'latin1')]);
    expect(guest.latin1(0, value.length)).toBe(value);
  });

  it('answers buflen with the needed size and writes nothing when the value does not fit', () => {
    const guest = memory();
    expect(writeLatin1Value(guest, 'abcdef', 0, 3, 108)).toBe(Status.buflen);
    expect(guest.readU32(108)).toBe(6);
    expect([...guest.bytes(0, 3)]).toEqual([0, 0, 0]);
  });
});

describe('GuestMemory', () => {
  it('reads and writes the new buffer after the guest grows its memory', () => {
    const raw = new WebAssembly.Memory({ initial: 1 });
    const guest = new GuestMemory();
    guest.attach(raw);
    guest.u32(0, 7);
    raw.grow(1);
    const far = 65536 + 8;
    guest.u32(far, 9);
    guest.writeLatin1(far + 4, 'hi');
    guest.write(far + 6, new Uint8Array([1, 2]));
    expect([guest.readU32(0), guest.readU32(far), guest.latin1(far + 4, 2), [...guest.bytes(far + 6, 2)]]).toEqual([7, 9, 'hi', [1, 2]]);
  });

  it('follows every growth, not only the first, and sees a shared memory grow in place', () => {
    const raw = new WebAssembly.Memory({ initial: 1 });
    const guest = new GuestMemory();
    guest.attach(raw);
    raw.grow(1);
    guest.u32(65536, 1);
    raw.grow(2);
    guest.u32(3 * 65536, 3);
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const sharedGuest = new GuestMemory();
    sharedGuest.attach(shared);
    shared.grow(1);
    sharedGuest.u32(65536, 5);
    expect([guest.readU32(65536), guest.readU32(3 * 65536), guest.u8s().byteLength, sharedGuest.readU32(65536)]).toEqual([1, 3, 4 * 65536, 5]);
  });

  it('refuses a range past the end as a typed-array view would', () => {
    const guest = memory();
    expect(() => guest.bytes(65530, 10)).toThrow(RangeError);
    expect(() => guest.string(65530, 10)).toThrow(RangeError);
    expect(() => guest.latin1(-1, 2)).toThrow(RangeError);
    expect(() => guest.writeLatin1(65535, 'ab')).toThrow(RangeError);
    expect(() => guest.write(65535, new Uint8Array(2))).toThrow(RangeError);
  });

  it('gives copies from bytes(), not views', () => {
    const guest = memory();
    const copy = guest.bytes(0, 4);
    guest.u32(0, 0xffffffff);
    expect([...copy]).toEqual([0, 0, 0, 0]);
  });
});

describe('HeaderList', () => {
  it('finds the first value of a name and removes every value of it', () => {
    const headers = new HeaderList();
    headers.append('Vary', 'a');
    headers.append('host', 'x');
    headers.append('vary', 'b');
    expect([headers.first('vary'), headers.first('none'), headers.values('VARY')]).toEqual(['a', undefined, ['a', 'b']]);
    expect([headers.remove('Vary'), headers.remove('vary')]).toEqual([true, false]);
    expect(headers.pairs()).toEqual([['host', 'x']]);
  });

  it('gives copies from pairs(), so a handle keeps what it had when the list changes', () => {
    const headers = new HeaderList([['a', '1']]);
    const copy = headers.pairs();
    headers.insert('a', '2');
    expect([copy, headers.view()]).toEqual([[['a', '1']], [['a', '2']]]);
  });

  it('keeps a pairs() snapshot as it was through appends, inserts and removes, however many follow', () => {
    const headers = new HeaderList([['a', '1'], ['b', '2']]);
    const first = headers.pairs();
    headers.append('c', '3');
    const second = headers.pairs();
    headers.insert('a', '4');
    headers.remove('b');
    headers.append('d', '5');
    expect([first, second, headers.pairs()]).toEqual([
      [['a', '1'], ['b', '2']],
      [['a', '1'], ['b', '2'], ['c', '3']],
      [['c', '3'], ['a', '4'], ['d', '5']],
    ]);
  });
});

describe('ipOctets', () => {
  it.each([
    { text: '127.0.0.1', octets: [127, 0, 0, 1] },
    { text: '::ffff:10.1.2.3', octets: [10, 1, 2, 3] },
    { text: '::1', octets: [...new Array<number>(15).fill(0), 1] },
    { text: '2001:db8::8a2e:370:7334', octets: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34] },
    { text: 'not-an-ip', octets: [] },
  ])('turns $text into its octets', ({ text, octets }) => {
    expect([...ipOctets(text)]).toEqual(octets);
  });
});
