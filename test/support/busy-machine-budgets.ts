/**
 * Budgets for test stacks that must pass on a busy machine. fastly.toml's production-like budgets
 * (a 200 ms first-byte timeout on `profiles`, a 50 ms profile budget, 150 ms per fragment) trip when
 * the machine is loaded: the profile lookup times out, the shared breaker opens, and a test about
 * something else sees the default segment. A test about a timeout sets its own tight budget and a
 * fault far longer than it, so it proves the timeout whatever the machine is doing.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';

type Table = Record<string, unknown>;

/** Backend timeouts for `profiles` and `fragments`. `templates` keeps fastly.toml's 2 s: the
 * template-fallback tests rely on it to turn a hanging origin into a stale copy. */
export const BUSY_MACHINE_BACKEND_TIMEOUTS = { first_byte_timeout_ms: 10_000, between_bytes_timeout_ms: 10_000 } as const;

/** Settings budgets merged into fastly.toml's `settings` document. */
export const BUSY_MACHINE_BUDGETS = { profileTimeoutMs: 1_000, fragmentTimeoutMs: 1_000, pageDeadlineMs: 3_000 } as const;

/** Relaxes a parsed `[local_server]` table in place (before a test's own overrides apply). */
export function relaxForBusyMachine(local: Table): void {
  const backends = local.backends as Record<string, Table | undefined>;
  for (const name of ['profiles', 'fragments']) {
    const backend = backends[name];
    if (backend) Object.assign(backend, BUSY_MACHINE_BACKEND_TIMEOUTS);
  }
  const stores = local.config_stores as Record<string, Table | undefined>;
  const contents = stores.personalization_config?.contents as Record<string, string> | undefined;
  if (contents?.settings) contents.settings = JSON.stringify({ ...(JSON.parse(contents.settings) as Table), ...BUSY_MACHINE_BUDGETS });
}

/** fastly.toml's `settings` document with other budgets: for tests whose subject is a timeout. */
export function settingsWith(budgets: Partial<Record<keyof typeof BUSY_MACHINE_BUDGETS, number>>): string {
  const manifest = parse(readFileSync('fastly.toml', 'utf8')) as { local_server: { config_stores: { personalization_config: { contents: { settings: string } } } } };
  return JSON.stringify({ ...(JSON.parse(manifest.local_server.config_stores.personalization_config.contents.settings) as Table), ...budgets });
}
