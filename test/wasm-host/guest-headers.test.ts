/**
 * The ABI's cursor-based header listing and the client address octets given to the guest.
 */
import { describe, expect, it } from 'vitest';
import { Status } from '../../wasm-host/abi.ts';
import { writeMultiValue } from '../../wasm-host/guest-headers.ts';
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
