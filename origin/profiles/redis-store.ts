/**
 * The profile store on Redis (`PROFILE_STORE_URL=redis://…`), so the service runs stateless in
 * front of it and scales out. One hash per visitor, `profile:{id}` (the braces are a Redis Cluster
 * hash tag; every operation touches one key), with fields `rev` and `doc`. A batch is applied
 * optimistically: read, compute the new record with the same pure rule as the embedded store,
 * then a Lua compare-and-set on `rev` writes it only if nobody else wrote in between (else retry).
 * The applied event ids live in the record, so the check and the write are one atomic step and a
 * replayed batch changes nothing. Commands fail fast while disconnected: the service answers 503.
 */
import { Cluster, Redis } from 'ioredis';
import { applyEvents, type CategoryOf } from './apply-events.ts';
import { unavailable, type ProfileStore, type StoreOptions } from './profile-store.ts';
import { seededRecords, type ProfileRecord } from './service-profile.ts';

export interface RedisStoreOptions extends StoreOptions {
  url: string;
  categoryOf: CategoryOf;
  /** Per-command budget, so a stuck Redis becomes a 503 rather than a hung request. */
  commandTimeoutMs?: number;
}

const SEEDED_MARKER = 'profiles:seeded';
const CAS_ATTEMPTS = 16;
const SEED_CHUNK = 500;
/** KEYS[1] profile hash; ARGV expected rev ('0' when absent), new rev, new doc. */
const COMPARE_AND_SET = `
if (redis.call('HGET', KEYS[1], 'rev') or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'doc', ARGV[3])
return 1`;

type Client = Redis | Cluster;
type StoredDoc = Omit<ProfileRecord, 'rev'>;

export function profileKey(id: string): string {
  return `profile:{${id}}`;
}

function connect(url: string, commandTimeout: number): Client {
  const common = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout, lazyConnect: true };
  // `redis://h1:6379,h2:6379` names several Redis Cluster seed nodes.
  const authority = url.replace(/^rediss?:\/\//, '').split('/')[0] ?? '';
  if (!authority.includes(',')) return new Redis(url, common);
  const nodes = authority.split(',').map((hostPort) => {
    const [host = '127.0.0.1', port = '6379'] = hostPort.split(':');
    return { host, port: Number(port) };
  });
  return new Cluster(nodes, { redisOptions: common, enableOfflineQueue: false, lazyConnect: true });
}

export async function openRedisStore(options: RedisStoreOptions): Promise<ProfileStore> {
  const clock = options.clock ?? (() => new Date());
  const client = connect(options.url, options.commandTimeoutMs ?? 1000);
  client.on('error', () => undefined); // surfaced per command as `unavailable`
  await client.connect();
  await seedOnce(client);

  const read = async (id: string): Promise<ProfileRecord | null> => {
    const [rev = null, doc = null] = await client.hmget(profileKey(id), 'rev', 'doc');
    if (rev === null || doc === null) return null;
    return { rev: Number(rev), ...(JSON.parse(doc) as StoredDoc) };
  };

  return {
    kind: 'redis',
    async get(id) {
      try {
        return { ok: true, profile: (await read(id))?.profile ?? null };
      } catch (error) {
        return unavailable(error);
      }
    },
    async apply(id, events) {
      try {
        for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
          const current = await read(id);
          const result = applyEvents(current, id, events, clock(), options.categoryOf);
          if (result.applied === 0) return { ok: true, applied: 0, duplicates: result.duplicates };
          const { rev, ...doc } = result.record;
          const written = await client.eval(COMPARE_AND_SET, 1, profileKey(id), String(current?.rev ?? 0), String(rev), JSON.stringify(doc));
          if (written === 1) return { ok: true, applied: result.applied, duplicates: result.duplicates };
        }
        return unavailable(new Error('too much contention on one profile'));
      } catch (error) {
        return unavailable(error);
      }
    },
    async erase(id) {
      try {
        return { ok: true, existed: (await client.del(profileKey(id))) > 0 };
      } catch (error) {
        return unavailable(error);
      }
    },
    async close() {
      client.disconnect();
      await Promise.resolve();
    },
  };
}

/** The first service to start against an empty Redis loads the demo dataset; later ones skip it. */
async function seedOnce(client: Client): Promise<void> {
  if ((await client.set(SEEDED_MARKER, new Date().toISOString(), 'NX')) !== 'OK') return;
  let batch: Array<Promise<unknown>> = [];
  for (const [id, record] of seededRecords()) {
    const { rev, ...doc } = record;
    batch.push(client.hset(profileKey(id), 'rev', String(rev), 'doc', JSON.stringify(doc)));
    if (batch.length >= SEED_CHUNK) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
}
