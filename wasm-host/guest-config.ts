/**
 * What a guest worker needs from the manifest, in structured-cloneable form (Maps and plain
 * objects; no URL instances), so each worker answers store, geo and backend hostcalls locally.
 */
import type { DeviceRecord } from '../src/core/ports.ts';
import type { GeolocationConfig, LocalManifest } from '../src/local-platform/manifest.ts';

export interface GuestBackend {
  host: string;
  port: number;
  ssl: boolean;
  overrideHost: string | null;
  firstByteTimeoutMs: number;
  betweenBytesTimeoutMs: number;
}

export interface GuestConfig {
  configStores: Map<string, Map<string, string>>;
  secretStores: Map<string, Map<string, string>>;
  geolocation: GeolocationConfig;
  deviceDetection: Map<string, DeviceRecord>;
  backends: Map<string, GuestBackend>;
  /** The environment Viceroy gives a guest (FASTLY_POP, FASTLY_HOSTNAME, ...). */
  env: Record<string, string>;
  /** Print every hostcall name to stderr (WASM_HOST_TRACE=1). */
  trace: boolean;
  /**
   * Benchmarks only: `get_vcpu_ms` reports microseconds instead of whole milliseconds, so a
   * measuring guest can time a phase inside one run with `vCpuTime()` (which Compute truncates to
   * milliseconds). Never set for the service.
   */
  vcpuMicroseconds?: boolean;
  /** Print each instance's hostcall timeline to stderr (WASM_HOST_TIMELINE=1; hostcall-timeline.ts). */
  timeline?: boolean;
  /** Benchmarks only: sum the CPU spent inside hostcalls per instance (`hostMs`, hostcall-timeline.ts). */
  hostTime?: boolean;
}

export function guestConfig(manifest: LocalManifest, trace = false, vcpuMicroseconds = false, timeline = false): GuestConfig {
  const backends = new Map<string, GuestBackend>();
  for (const [name, backend] of manifest.backends) {
    const ssl = backend.url.protocol === 'https:';
    backends.set(name, {
      host: backend.url.hostname,
      port: Number(backend.url.port || (ssl ? 443 : 80)),
      ssl,
      overrideHost: backend.overrideHost,
      firstByteTimeoutMs: backend.firstByteTimeoutMs,
      betweenBytesTimeoutMs: backend.betweenBytesTimeoutMs,
    });
  }
  return {
    configStores: manifest.configStores,
    secretStores: manifest.secretStores,
    geolocation: manifest.geolocation,
    deviceDetection: manifest.deviceDetection,
    backends,
    env: viceroyEnvironment(),
    trace,
    vcpuMicroseconds,
    timeline,
  };
}

/** Viceroy's guest environment (src/execute.rs): fixed ids, a local POP, a fresh trace id per run. */
function viceroyEnvironment(): Record<string, string> {
  return {
    FASTLY_CACHE_GENERATION: '0',
    FASTLY_CUSTOMER_ID: '0000000000000000000000',
    FASTLY_HOSTNAME: 'localhost',
    FASTLY_IS_STAGING: '0',
    FASTLY_POP: 'XXX',
    FASTLY_REGION: 'Somewhere',
    FASTLY_SERVICE_ID: '0000000000000000000000',
    FASTLY_SERVICE_VERSION: '0',
  };
}
