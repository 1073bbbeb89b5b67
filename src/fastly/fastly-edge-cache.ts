/**
 * The edge object cache on Fastly's core cache (`fastly:cache`): the adapter (edge-cache-on.ts)
 * over the platform's `CoreCache` and purge by surrogate key.
 */
import { CoreCache } from 'fastly:cache';
import { purgeSurrogateKey } from 'fastly:compute';
import type { EdgeCache } from '../core/ports.ts';
import { edgeCacheOn } from './edge-cache-on.ts';

export const fastlyEdgeCache: EdgeCache = edgeCacheOn(CoreCache, purgeSurrogateKey);
