/**
 * Picks the profile store from configuration: Redis when `PROFILE_STORE_URL` is a `redis://` or
 * `rediss://` URL, else the embedded store (persisted under a data directory when one is given).
 */
import { PRODUCTS } from '../data/catalog.ts';
import { openEmbeddedStore } from './embedded-store.ts';
import type { ProfileStore, StoreOptions } from './profile-store.ts';
import { openRedisStore } from './redis-store.ts';

export interface ProfileStoreConfig extends StoreOptions {
  /** `redis://…`: use Redis. */
  url?: string | null;
  /** The embedded store's directory; null or absent keeps it in memory only. */
  dir?: string | null;
}

/** The default data directory of `npm start` and `npm run origin` (git-ignored). */
export const DEFAULT_DATA_DIR = '.data/profiles';

const CATEGORY_BY_SKU: ReadonlyMap<string, string> = new Map(PRODUCTS.map((product) => [product.sku, product.category]));

/** Events that name only an item get the catalog's category for it. */
export function catalogCategory(item: string): string | null {
  return CATEGORY_BY_SKU.get(item) ?? null;
}

export async function openProfileStore(config: ProfileStoreConfig = {}): Promise<ProfileStore> {
  const url = config.url ?? null;
  if (url !== null && /^rediss?:\/\//.test(url)) return openRedisStore({ url, categoryOf: catalogCategory, clock: config.clock });
  if (url !== null && url !== '') throw new Error(`PROFILE_STORE_URL must start with redis:// or rediss:// (got "${url.slice(0, 40)}")`);
  return openEmbeddedStore({ dir: config.dir ?? null, categoryOf: catalogCategory, clock: config.clock });
}

/** The configuration the CLI scripts use: `PROFILE_STORE_URL`, else the embedded store under `.data/`. */
export function profileStoreFromEnv(env: NodeJS.ProcessEnv = process.env): ProfileStoreConfig {
  return { url: env.PROFILE_STORE_URL ?? null, dir: env.PROFILE_DATA_DIR ?? DEFAULT_DATA_DIR };
}
