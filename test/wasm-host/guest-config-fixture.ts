/** A guest configuration for hostcall unit tests: empty stores and tables unless `with` fills some. */
import type { GuestConfig } from '../../wasm-host/guest-config.ts';

export function testConfig(overrides: Partial<GuestConfig> = {}): GuestConfig {
  return {
    configStores: new Map(),
    secretStores: new Map(),
    geolocation: { useDefaultLoopback: true, addresses: new Map() },
    deviceDetection: new Map(),
    backends: new Map(),
    env: {},
    trace: false,
    ...overrides,
  };
}
