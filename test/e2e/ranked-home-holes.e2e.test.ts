/**
 * The home page stored with holes through the real stack on the Node host (the Wasm host runs the
 * same scenario in test/wasm-host/ranked-home-holes.e2e.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from './use-local-stack.ts';
import { NO_EXPERIMENTS, rankedHome } from './ranked-home-scenario.ts';

const stack = useLocalStack({ config: { experiments: NO_EXPERIMENTS } });

describe('the home page stored with holes', () => {
  it("serves a visitor who browsed trail gear another visitor's stored copy, with trail gear first", async () => {
    const { stored, served } = await rankedHome({ url: stack.url, settled: () => stack.edge.settled() }, 'fastly.toml', '/?holes=node');
    expect([stored.cache, served.cache]).toEqual(['MISS', 'HIT']);
    expect(served.items[0]).toBe('sku-1014');
    expect(stored.items[0]).not.toBe('sku-1014');
  });
});
