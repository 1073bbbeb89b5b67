/**
 * Writes a throw-away copy of fastly.toml for one contract stack: backends pointed at the running
 * local origin, then the case's config and backend overrides applied.
 */
import type { RunningOrigin } from '../../origin/start-origin.ts';
import type { ContractStackOptions } from './runtime-driver.ts';
import { withOrigins } from '../../src/local-platform/with-origins.ts';

export function writeContractManifest(origin: RunningOrigin, options: ContractStackOptions = {}): string {
  return withOrigins({ urls: origin.urls, backends: options.backends, config: options.config, relaxedTimeouts: true, label: 'contract' });
}
