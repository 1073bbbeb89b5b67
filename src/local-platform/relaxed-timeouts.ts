/**
 * Budgets for local stacks that must behave on a busy machine (tests, load runs). fastly.toml's
 * production-like budgets (a 200 ms first-byte timeout on `profiles`, a 50 ms profile budget,
 * 150 ms per fragment) trip when the machine is loaded: the profile lookup times out, the shared
 * breaker opens, and a run about something else sees the default segment. A test about a timeout
 * sets its own tight budget and a fault far longer than it, so it proves the timeout whatever the
 * machine is doing.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';

type Table = Record<string, unknown>;

/** Backend timeouts for every backend. A test about a backend timeout sets its own (for example
 * the template-fallback tests give `templates` 2 s, as in fastly.toml). */
export const RELAXED_BACKEND_TIMEOUTS = { first_byte_timeout_ms: 15_000, between_bytes_timeout_ms: 15_000 } as const;

/** Settings budgets merged into fastly.toml's `settings` document. */
export const RELAXED_BUDGETS = { profileTimeoutMs: 2_500, fragmentTimeoutMs: 2_500, pageDeadlineMs: 6_000 } as const;

/** Relaxes a parsed `[local_server]` table in place (before a caller's own overrides apply). */
export function relaxTimeouts(local: Table): void {
  const backends = local.backends as Record<string, Table | undefined>;
  for (const name of ['templates', 'profiles', 'fragments']) {
    const backend = backends[name];
    if (backend) Object.assign(backend, RELAXED_BACKEND_TIMEOUTS);
  }
  const stores = local.config_stores as Record<string, Table | undefined>;
  const contents = stores.personalization_config?.contents as Record<string, string> | undefined;
  if (contents?.settings) contents.settings = JSON.stringify({ ...(JSON.parse(contents.settings) as Table), ...RELAXED_BUDGETS });
}

/** fastly.toml's `settings` document with other budgets: for tests whose subject is a timeout. */
export function settingsWith(budgets: Partial<Record<keyof typeof RELAXED_BUDGETS, number>>): string {
  const manifest = parse(readFileSync('fastly.toml', 'utf8')) as { local_server: { config_stores: { personalization_config: { contents: { settings: string } } } } };
  const settings = JSON.parse(manifest.local_server.config_stores.personalization_config.contents.settings) as Table;
  return JSON.stringify({ ...settings, ...RELAXED_BUDGETS, ...budgets });
}

/**
 * A `settings` document for in-process handler tests: the relaxed budgets under whatever the test
 * sets. Deadlines race real timers even when the test's clock is fake, so production budgets make
 * an in-process test about something else flaky on a busy machine. Text that is not a JSON object
 * (a test of bad config) is returned unchanged.
 */
export function relaxedSettings(settings: string | null | undefined): string {
  if (settings === null || settings === undefined) return JSON.stringify(RELAXED_BUDGETS);
  try {
    const parsed: unknown = JSON.parse(settings);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return settings;
    return JSON.stringify({ ...RELAXED_BUDGETS, ...parsed });
  } catch {
    return settings;
  }
}
