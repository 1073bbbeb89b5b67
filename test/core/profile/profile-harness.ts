/**
 * Test wiring for the profile client: a `fetchBackend` fake that sends the `profiles` backend to
 * `http://profiles.test` through global fetch (so the shared msw server answers), an in-memory
 * edge cache on a manual clock, and a `waitUntil` whose work the test can settle.
 */
import type { BackendFetchOptions, BackendName, Deps } from '../../../src/core/ports.ts';
import { DEFAULT_SETTINGS } from '../../../src/core/config/settings.ts';
import type { Settings } from '../../../src/core/config/settings.ts';
import { lookupProfile } from '../../../src/core/profile/profile-client.ts';
import type { ProfileClientOptions, ProfileLookup, ProfileLookupInput } from '../../../src/core/profile/profile-client.ts';
import type { Consented, Identity } from '../../../src/core/visitor/identity.ts';
import { ManualClock, MemoryEdgeCache } from './memory-edge-cache.ts';
import { asRequest } from '../../../src/core/http/edge-get.ts';
import { backendPort } from '../../../src/core/backend/backend-port.ts';

export const STORE_ORIGIN = 'http://profiles.test';
export const PROFILE_ROUTE = `${STORE_ORIGIN}/profiles/:id`;

export interface SentToStore {
  backend: BackendName;
  url: string;
  method: string;
  headers: Record<string, string>;
  options: BackendFetchOptions | undefined;
}

export interface ProfileHarness {
  cache: MemoryEdgeCache;
  clock: ManualClock;
  sent: SentToStore[];
  /** Looks up `returning('u00042')` with the pseudonym `pseudo-u00042`, unless the input says otherwise. */
  lookup(input?: Partial<ProfileLookupInput> & { identity?: Identity }): Promise<ProfileLookup>;
  /** Waits for every piece of work handed to `waitUntil`, including work queued by that work. */
  settle(): Promise<void>;
}

export interface HarnessSetup {
  settings?: Partial<Settings>;
  options?: Partial<ProfileClientOptions>;
  fetchBackend?: Deps['fetchBackend'];
}

export function createProfileHarness(setup: HarnessSetup = {}): ProfileHarness {
  const clock = new ManualClock();
  const cache = new MemoryEdgeCache(clock);
  const sent: SentToStore[] = [];
  const pending: Promise<unknown>[] = [];
  const fetchBackend: Deps['fetchBackend'] =
    setup.fetchBackend ??
    backendPort(async (backend, sentRequest, options) => {
      const request = asRequest(sentRequest);
      const url = new URL(request.url);
      sent.push({ backend, url: request.url, method: request.method, headers: Object.fromEntries(request.headers), options });
      // Compute's fetch returns 3xx as they are, so the fake does not follow redirects either.
      const target = `${STORE_ORIGIN}${url.pathname}${url.search}`;
      const response = await fetch(target, { method: request.method, headers: request.headers, redirect: 'manual' });
      return { response, cache: 'PASS' };
    });
  const deps = { fetchBackend, cache, now: () => performance.now() };
  return {
    cache,
    clock,
    sent,
    lookup: ({ identity = returning('u00042'), ...input } = {}) =>
      lookupProfile(identity, {
        cacheId: 'pseudo-u00042',
        settings: { ...DEFAULT_SETTINGS, ...setup.settings },
        deps,
        waitUntil: (work) => pending.push(work),
        options: setup.options,
        ...input,
      }),
    async settle() {
      while (pending.length > 0) await Promise.all(pending.splice(0));
    },
  };
}

/** A consented visitor whose `vid` cookie carried `id` (so a profile may exist). */
export function returning(id: string | null): Consented {
  return { consent: 'granted', analytics: true, id, minted: false, session: { categories: [], changed: false } };
}

/** A store profile document for `id` with every field set, plus any overrides. */
export function storeProfile(id = 'u00042', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    tier: 'gold',
    segments: ['runner'],
    affinities: { running: 0.82 },
    recentCategories: ['shoes'],
    recentItems: ['sku-1005'],
    purchased: ['sku-1001'],
    locale: 'en-GB',
    updatedAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}
