/**
 * Test helper: each profile store implementation behind one factory, so the contract suite runs
 * the same cases on all of them, plus a few event builders.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openEmbeddedStore } from '../../../origin/profiles/embedded-store.ts';
import type { ProfileEvent, ProfileEventType } from '../../../origin/profiles/event-batch.ts';
import { catalogCategory } from '../../../origin/profiles/open-profile-store.ts';
import type { ProfileStore } from '../../../origin/profiles/profile-store.ts';
import { openRedisStore } from '../../../origin/profiles/redis-store.ts';
import { startRedis, type RunningRedis } from '../../../support/redis-server.ts';

export const NOW = new Date('2026-11-29T12:00:00Z');
export const clock = (): Date => NOW;

export interface StoreKit {
  name: string;
  /** Whether the data outlives `close()` (a restart). */
  durable: boolean;
  /** A store over fresh, seeded data. */
  fresh(): Promise<ProfileStore>;
  /** Another store over the same data, as after a restart. */
  reopen(): Promise<ProfileStore>;
  /** Makes the data unreachable, so the store must answer `unavailable`. */
  breakIt(): Promise<void>;
  dispose(): Promise<void>;
}

export function memoryKit(): StoreKit {
  return {
    name: 'embedded (memory only)',
    durable: false,
    fresh: () => openEmbeddedStore({ dir: null, categoryOf: catalogCategory, clock }),
    reopen: () => openEmbeddedStore({ dir: null, categoryOf: catalogCategory, clock }),
    breakIt: () => Promise.reject(new Error('a memory store cannot be broken')),
    dispose: () => Promise.resolve(),
  };
}

export function diskKit(compactAfter?: number): StoreKit {
  let dir = '';
  const open = () => openEmbeddedStore({ dir, categoryOf: catalogCategory, clock, compactAfter });
  return {
    name: compactAfter === undefined ? 'embedded (journal on disk)' : `embedded (compacting every ${compactAfter} lines)`,
    durable: true,
    fresh: async () => {
      if (dir !== '') await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(join(tmpdir(), 'profiles-'));
      return open();
    },
    reopen: open,
    breakIt: () => rm(dir, { recursive: true, force: true }),
    dispose: () => (dir === '' ? Promise.resolve() : rm(dir, { recursive: true, force: true })),
  };
}

export function redisKit(): StoreKit {
  let server: RunningRedis | null = null;
  const open = () => {
    if (!server) throw new Error('redis not started');
    return openRedisStore({ url: server.url, categoryOf: catalogCategory, clock, commandTimeoutMs: 2000 });
  };
  return {
    name: 'redis',
    durable: true,
    fresh: async () => {
      if (server === null) server = await startRedis();
      const admin = new Redis(server.url);
      await admin.flushall();
      admin.disconnect();
      return open();
    },
    reopen: open,
    breakIt: async () => {
      await server?.stop();
      server = null;
    },
    dispose: async () => {
      await server?.stop();
    },
  };
}

let sequence = 0;

export function event(type: ProfileEventType, fields: Partial<ProfileEvent> = {}): ProfileEvent {
  sequence++;
  return { eventId: `e-${sequence}`, type, item: null, category: 'running', ts: '2026-11-29T11:59:00Z', ...fields };
}
