/**
 * The geolocation and device-detection stand-ins remember each answer per worker: the guest must
 * read the same bytes on every call, for a known and an unknown question alike.
 */
import { describe, expect, it } from 'vitest';
import { deviceImports, geoImports } from '../../wasm-host/imports/platform-imports.ts';
import { GuestMemory } from '../../wasm-host/guest-memory.ts';
import { Status } from '../../wasm-host/abi.ts';
import type { HostContext } from '../../wasm-host/imports/host-context.ts';
import type { GuestConfig } from '../../wasm-host/guest-config.ts';

const GEO = { countryCode: 'DE', continent: 'EU', region: 'BE', city: 'Berlin' };
const PHONE = { isMobile: true, isTablet: false, isDesktop: false, isBot: false };

function context(): { ctx: HostContext; bytes: Uint8Array } {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const guest = new GuestMemory();
  guest.attach(memory);
  const config = {
    geolocation: { useDefaultLoopback: false, addresses: new Map([['192.0.2.7', GEO]]) },
    deviceDetection: new Map([['phone-agent', PHONE]]),
  } as unknown as GuestConfig;
  return { ctx: { memory: guest, config } as unknown as HostContext, bytes: new Uint8Array(memory.buffer) };
}

/** Calls `lookup` with the question at 0 and the answer buffer at 1024; returns status and the text. */
function ask(lookup: (...args: number[]) => number | void, bytes: Uint8Array, question: Uint8Array): { status: number | void; text: string } {
  bytes.set(question, 0);
  const status = lookup(0, question.length, 1024, 2048, 512);
  const length = new DataView(bytes.buffer).getUint32(512, true);
  return { status, text: status === Status.ok ? new TextDecoder().decode(bytes.subarray(1024, 1024 + length)) : '' };
}

describe('platform stand-ins remember their answers', () => {
  it('answers a geolocation question the same way every time', () => {
    const { ctx, bytes } = context();
    const lookup = geoImports(ctx).lookup as (...args: number[]) => number;
    const first = ask(lookup, bytes, new Uint8Array([192, 0, 2, 7]));
    expect(first.status).toBe(Status.ok);
    expect(JSON.parse(first.text)).toMatchObject({ country_code: 'DE', region: 'BE', city: 'Berlin' });
    expect(ask(lookup, bytes, new Uint8Array([192, 0, 2, 7]))).toEqual(first);
    expect(ask(lookup, bytes, new Uint8Array([192, 0, 2, 8])).status).toBe(Status.none);
    expect(ask(lookup, bytes, new Uint8Array([192, 0, 2, 8])).status).toBe(Status.none);
  });

  it('answers a device question the same way every time, per user agent', () => {
    const { ctx, bytes } = context();
    const lookup = deviceImports(ctx).lookup as (...args: number[]) => number;
    const first = ask(lookup, bytes, new TextEncoder().encode('phone-agent'));
    expect(JSON.parse(first.text)).toMatchObject({ device: { is_mobile: true, is_tablet: false } });
    expect(ask(lookup, bytes, new TextEncoder().encode('phone-agent'))).toEqual(first);
    expect(ask(lookup, bytes, new TextEncoder().encode('other-agent')).status).toBe(Status.none);
  });
});
