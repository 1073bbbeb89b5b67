/**
 * Every runtime the contract suite runs against, with why one is unavailable here. Prints one line
 * per unavailable runtime so a skipped block is never silent.
 */
import { nodeDriver } from '../../support/contract/node-driver.ts';
import type { RuntimeDriver } from '../../support/contract/runtime-driver.ts';
import { viceroyDriver } from './viceroy-driver.ts';
import { prepareWasm, wasmDriver } from '../../support/contract/wasm-driver.ts';

export async function runtimeDrivers(suite: string): Promise<RuntimeDriver[]> {
  const wasmMissing = await prepareWasm();
  const viceroy = viceroyDriver();
  const drivers = [nodeDriver, wasmDriver(wasmMissing), wasmMissing ? { ...viceroy, unavailable: wasmMissing } : viceroy];
  for (const driver of drivers) {
    if (driver.unavailable) console.info(`${suite}: ${driver.name} skipped: ${driver.unavailable}`);
  }
  return drivers;
}
