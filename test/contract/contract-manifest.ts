/**
 * Writes a throw-away copy of fastly.toml for one contract stack: backends pointed at the running
 * local origin, then the case's config and backend overrides applied.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import type { RunningOrigin } from '../../origin/start-origin.ts';
import { BACKEND_NAMES } from '../../src/core/ports.ts';
import type { ContractStackOptions } from './runtime-driver.ts';
import { relaxForBusyMachine } from '../support/busy-machine-budgets.ts';

type Table = Record<string, unknown>;

export function writeContractManifest(origin: RunningOrigin, options: ContractStackOptions = {}): string {
  const manifest = parse(readFileSync('fastly.toml', 'utf8')) as Table;
  const local = manifest.local_server as Table;
  relaxForBusyMachine(local);
  const backends = local.backends as Record<string, Table>;
  for (const name of BACKEND_NAMES) {
    const backend = backends[name];
    if (backend) backend.url = origin.urls[name];
    const override = options.backends?.[name];
    if (override === null) delete backends[name];
    else if (override && backend) Object.assign(backend, override);
  }
  const stores = local.config_stores as Record<string, Table>;
  const contents = stores.personalization_config?.contents as Record<string, string>;
  Object.assign(contents, options.config ?? {});
  const dir = mkdtempSync(join(tmpdir(), 'contract-'));
  const path = join(dir, 'fastly.toml');
  writeFileSync(path, stringify(manifest));
  return path;
}
