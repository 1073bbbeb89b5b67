/**
 * The home page stored with holes on the compiled guest: the scenario of
 * test/e2e/ranked-home-holes.e2e.test.ts, served by the Wasm host.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureWasm } from '../../wasm-host/wasm-build.ts';
import { startWasmStack, type WasmStack } from './wasm-stack.ts';
import { NO_EXPERIMENTS, rankedHome } from '../e2e/ranked-home-scenario.ts';

/** Experiments off: the two visitors share one key whatever their ids would assign. */
function withoutExperiments(local: Record<string, unknown>): void {
  const stores = local.config_stores as Record<string, { contents: Record<string, string> }>;
  stores.personalization_config!.contents.experiments = NO_EXPERIMENTS;
}

await ensureWasm('bin/main.wasm').catch(() => undefined);
const noWasm = !existsSync('bin/main.wasm');
// Started at the file's top level (no test runs before it is up), closed after the file's tests.
const stack: WasmStack | null = noWasm ? null : await startWasmStack({ editManifest: withoutExperiments });
afterAll(() => stack?.close());

describe.skipIf(noWasm)('the home page stored with holes, on the Wasm host', () => {
  it("serves a visitor who browsed trail gear another visitor's stored copy, with trail gear first", async () => {
    const host = stack!;
    const { stored, served } = await rankedHome({ url: (path) => host.url(path), settled: () => host.host.settled() }, 'fastly.toml', '/?holes=wasm');
    expect([stored.cache, served.cache]).toEqual(['MISS', 'HIT']);
    expect(served.items[0]).toBe('sku-1014');
    expect(stored.items[0]).not.toBe('sku-1014');
  });
});
