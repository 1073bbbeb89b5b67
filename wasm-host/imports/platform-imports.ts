/**
 * Geolocation and device detection from the manifest (as the JSON documents Viceroy returns),
 * static backend introspection, vCPU time, surrogate-key purges and the edge rate limiter.
 */
import { PURGE_SOFT, Status } from '../abi.ts';
import { utf8 } from '../guest-memory.ts';
import { lookupGeo } from '../../src/local-platform/manifest-geo-device.ts';
import type { DeviceRecord, GeoRecord } from '../../src/core/ports.ts';
import type { HostContext, HostModule } from './host-context.ts';
import { valueOut } from './store-imports.ts';
import { RateLimiter } from '../../src/node-host/rate-limiter.ts';

/**
 * Each lookup's answer (its JSON bytes, or null for none) per question, made once per worker and
 * manifest table: on Compute these lookups are native code, while this host's JavaScript building
 * an 18-field JSON document per call weighed in the guest's vCPU figures (the worker thread's CPU)
 * at ~20–80 µs a page. What the guest reads is unchanged. Bounded: a flood of distinct user agents
 * starts the table over.
 */
const answers = new WeakMap<object, Map<string, Uint8Array | null>>();
const MAX_ANSWERS = 1024;

function remembered(table: object, question: string, answer: () => Uint8Array | null): Uint8Array | null {
  let known = answers.get(table);
  if (!known) answers.set(table, (known = new Map<string, Uint8Array | null>()));
  let bytes = known.get(question);
  if (bytes === undefined) {
    if (known.size >= MAX_ANSWERS) known.clear();
    known.set(question, (bytes = answer()));
  }
  return bytes;
}

export function geoImports(ctx: HostContext): HostModule {
  return {
    lookup: (ap: number, al: number, buf: number, len: number, nwritten: number) => {
      const octets = ctx.memory.bytes(ap, al);
      const text = al === 4 ? octets.join('.') : [...Array(8).keys()].map((i) => (((octets[i * 2] ?? 0) << 8) | (octets[i * 2 + 1] ?? 0)).toString(16)).join(':');
      const answer = remembered(ctx.config.geolocation, text, () => {
        const record = lookupGeo(ctx.config.geolocation, text);
        return record ? utf8(JSON.stringify(geoJson(record))) : null;
      });
      return answer ? valueOut(ctx, answer, buf, len, nwritten) : Status.none;
    },
  };
}

function geoJson(record: GeoRecord): Record<string, string | number | null> {
  return {
    as_name: null,
    as_number: 0,
    area_code: 0,
    city: record.city,
    conn_speed: null,
    conn_type: null,
    continent: record.continent,
    country_code: record.countryCode,
    country_code3: null,
    country_name: null,
    latitude: 0,
    longitude: 0,
    metro_code: 0,
    postal_code: null,
    proxy_description: null,
    proxy_type: null,
    region: record.region,
    utc_offset: 0,
  };
}

export function deviceImports(ctx: HostContext): HostModule {
  return {
    lookup: (up: number, ul: number, buf: number, len: number, nwritten: number) => {
      const userAgent = ctx.memory.string(up, ul);
      const answer = remembered(ctx.config.deviceDetection, userAgent, () => {
        const device = ctx.config.deviceDetection.get(userAgent);
        return device ? utf8(JSON.stringify({ user_agent: {}, os: {}, device: deviceJson(device) })) : null;
      });
      return answer ? valueOut(ctx, answer, buf, len, nwritten) : Status.none;
    },
  };
}

function deviceJson(device: DeviceRecord): Record<string, boolean | string> {
  const out: Record<string, boolean | string> = {};
  if (device.isMobile !== null) out.is_mobile = device.isMobile;
  if (device.isTablet !== null) out.is_tablet = device.isTablet;
  if (device.isDesktop !== null) out.is_desktop = device.isDesktop;
  if (device.isBot !== null) {
    out.is_bot = device.isBot;
    if (device.isBot) out.hwtype = 'Bot';
  }
  return out;
}

export function backendImports(ctx: HostContext): HostModule {
  const { memory } = ctx;
  const named = (np: number, nl: number) => ctx.config.backends.get(memory.string(np, nl));
  const u32 = (read: (b: NonNullable<ReturnType<typeof named>>) => number) => (np: number, nl: number, out: number) => {
    const backend = named(np, nl);
    if (!backend) return Status.inval;
    memory.u32(out, read(backend));
    return Status.ok;
  };
  return {
    exists: (np: number, nl: number, out: number) => {
      memory.u32(out, named(np, nl) ? 1 : 0);
      return Status.ok;
    },
    is_healthy: u32(() => 0),
    is_dynamic: u32(() => 0),
    is_ssl: u32((b) => (b.ssl ? 1 : 0)),
    get_first_byte_timeout_ms: u32((b) => b.firstByteTimeoutMs),
    get_between_bytes_timeout_ms: u32((b) => b.betweenBytesTimeoutMs),
    get_connect_timeout_ms: u32(() => 1000),
    get_port: (np: number, nl: number, out: number) => {
      const backend = named(np, nl);
      if (!backend) return Status.inval;
      memory.u16(out, backend.port);
      return Status.ok;
    },
    get_host: (np: number, nl: number, buf: number, len: number, nwritten: number) => {
      const backend = named(np, nl);
      if (!backend) return Status.inval;
      return valueOut(ctx, utf8(backend.host), buf, len, nwritten);
    },
    get_override_host: (np: number, nl: number, buf: number, len: number, nwritten: number) => {
      const backend = named(np, nl);
      if (!backend) return Status.inval;
      if (backend.overrideHost === null) return Status.none;
      return valueOut(ctx, utf8(backend.overrideHost), buf, len, nwritten);
    },
  };
}

export function runtimeImports(ctx: HostContext): HostModule {
  return {
    /**
     * `fastly_compute_runtime.get_vcpu_ms(ms_out: *mut u64) -> status`, behind `vCpuTime()`: whole
     * milliseconds, truncated like Viceroy's (it tracks microseconds and divides, to blunt timing
     * attacks). A benchmark host may ask for microseconds instead (GuestConfig.vcpuMicroseconds).
     */
    get_vcpu_ms: (out: number) => {
      const scale = ctx.config.vcpuMicroseconds === true ? 1000 : 1;
      ctx.memory.u64(out, Math.floor(ctx.clock.elapsedMs() * scale));
      return Status.ok;
    },
  };
}

export function purgeImports(ctx: HostContext): HostModule {
  return {
    purge_surrogate_key: (kp: number, kl: number, mask: number, _options: number) => {
      ctx.coreHits?.forgetAll();
      ctx.channel.post({ op: 'purge', key: ctx.memory.string(kp, kl), soft: (mask & PURGE_SOFT) !== 0 });
      return Status.ok;
    },
  };
}

/**
 * `fastly_erl.check_rate(rc, entry, delta, window, limit, pb, ttl, blocked_out)` (Fastly's Edge Rate
 * Limiter; strings are pointer/length pairs, `blocked_out` a bool the guest reads as one byte, as
 * js-compute-runtime declares it). Viceroy answers "never blocked"; here the Node host's limiter
 * counts for real, per worker thread, so the beacon limit can be seen locally. The penalty box
 * time-to-live is the limiter's minute.
 */
const limiters = new Map<string, RateLimiter>();

export function erlImports(ctx: HostContext): HostModule {
  const { memory } = ctx;
  return {
    check_rate: (rp: number, rl: number, ep: number, el: number, delta: number, window: number, limit: number, pp: number, pl: number, _ttl: number, out: number) => {
      const name = `${memory.string(rp, rl)}\n${memory.string(pp, pl)}`;
      let limiter = limiters.get(name);
      if (!limiter) limiters.set(name, (limiter = new RateLimiter()));
      let blocked = false;
      const entry = memory.string(ep, el);
      for (let i = 0; i < Math.max(1, delta); i++) blocked = limiter.overRateLimit(entry, limit, window) || blocked;
      memory.u8(out, blocked ? 1 : 0);
      return Status.ok;
    },
  };
}
