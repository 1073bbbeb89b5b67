/** The Node host (`startEdge`) as a contract-suite runtime: always available, no download, no build. */
import { startOrigin } from '../../origin/start-origin.ts';
import { startEdge } from '../../src/node-host/edge-server.ts';
import { writeContractManifest } from './contract-manifest.ts';
import { contractStack } from './runtime-driver.ts';
import type { ContractStack, ContractStackOptions, RuntimeDriver } from './runtime-driver.ts';

async function start(options: ContractStackOptions = {}): Promise<ContractStack> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  const lines: string[] = [];
  const edge = await startEdge({
    manifestPath: writeContractManifest(origin, options),
    host: '127.0.0.1',
    port: 0,
    stdout: (line) => lines.push(line),
  });
  return contractStack({ origin, base: edge.url, lines, settled: () => edge.settled(), closeEdge: () => edge.close() });
}

export const nodeDriver: RuntimeDriver = { name: 'node', unavailable: null, start };
