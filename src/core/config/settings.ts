/**
 * The `settings` document of `personalization_config` (docs/contracts.md#configuration), parsed at the boundary into
 * a complete typed value. An invalid document is rejected as a whole: the defaults apply and the
 * problems are returned as data for the decision log. This file owns the shape and the defaults and
 * which reader checks which field; the readers themselves are in setting-readers.ts.
 */
import { fail, isRecord, type Parsed } from './parsed-document.ts';
import { hostList, integerIn, localeList, mediaTypeList, oneOf, pathList, routeList, type Route } from './setting-readers.ts';
import { memoByText } from './text-memo.ts';

export type ConsentMode = 'opt-in' | 'opt-out';

export interface Settings {
  consentMode: ConsentMode;
  profileTimeoutMs: number;
  fragmentTimeoutMs: number;
  pageDeadlineMs: number;
  maxIncludes: number;
  includeHosts: readonly string[];
  routes: readonly Route[];
  debugHeaders: boolean;
  logSampleRate: number;
  /** Locales the site supports, best first; the first is the default (BCP 47, e.g. `en-GB`). */
  locales: readonly string[];
  /** Ranked includes keep at most this many items of one category (diversity). */
  recsMaxPerCategory: number;
  /** Path prefixes that always pass through to the `templates` origin, GET included (e.g. `/api/`). */
  passPrefixes: readonly string[];
  /** Path templates logged instead of the raw path (`/account/*`, `/product/:category/:sku`). */
  logPaths: readonly string[];
  /** Beacons per second one client address may send, averaged over 10 s; over it: 429. */
  beaconRatePerSecond: number;
  /** Path prefixes served as static files (beyond the static extensions): no profile lookup, no decision event. */
  staticPaths: readonly string[];
  /** Media types an included fragment may have (`type/subtype`); any other is a failed include. */
  fragmentTypes: readonly string[];
}

/** Hard cap on includes per page: 32 backend requests minus profile and template, minus headroom. */
export const MAX_INCLUDES_HARD_CAP = 24;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  consentMode: 'opt-in',
  profileTimeoutMs: 50,
  fragmentTimeoutMs: 150,
  pageDeadlineMs: 400,
  maxIncludes: 16,
  includeHosts: Object.freeze([]),
  routes: Object.freeze([Object.freeze({ prefix: '/fragments/', backend: 'fragments' as const })]),
  debugHeaders: false,
  logSampleRate: 1,
  locales: Object.freeze<string[]>(['en-US']),
  recsMaxPerCategory: 2,
  passPrefixes: Object.freeze<string[]>([]),
  logPaths: Object.freeze<string[]>([]),
  beaconRatePerSecond: 10,
  staticPaths: Object.freeze<string[]>([]),
  fragmentTypes: Object.freeze<string[]>(['text/html']),
});

type Reader = (raw: unknown, problems: string[]) => unknown;

const READERS: { [K in keyof Settings]: Reader } = {
  consentMode: (raw, problems) => oneOf(raw, ['opt-in', 'opt-out'], 'consentMode', problems),
  profileTimeoutMs: (raw, problems) => integerIn(raw, 1, 10_000, 'profileTimeoutMs', problems),
  fragmentTimeoutMs: (raw, problems) => integerIn(raw, 1, 60_000, 'fragmentTimeoutMs', problems),
  pageDeadlineMs: (raw, problems) => integerIn(raw, 1, 120_000, 'pageDeadlineMs', problems),
  maxIncludes: (raw, problems) => integerIn(raw, 0, MAX_INCLUDES_HARD_CAP, 'maxIncludes', problems),
  includeHosts: (raw, problems) => hostList(raw, problems),
  routes: (raw, problems) => routeList(raw, problems),
  debugHeaders: (raw, problems) => (typeof raw === 'boolean' ? raw : fail(problems, 'debugHeaders must be a boolean')),
  logSampleRate: (raw, problems) =>
    typeof raw === 'number' && raw >= 0 && raw <= 1 ? raw : fail(problems, 'logSampleRate must be a number from 0 to 1'),
  locales: (raw, problems) => localeList(raw, problems),
  recsMaxPerCategory: (raw, problems) => integerIn(raw, 1, 200, 'recsMaxPerCategory', problems),
  passPrefixes: (raw, problems) => pathList(raw, 'passPrefixes', problems),
  logPaths: (raw, problems) => pathList(raw, 'logPaths', problems),
  beaconRatePerSecond: (raw, problems) => integerIn(raw, 1, 10_000, 'beaconRatePerSecond', problems),
  staticPaths: (raw, problems) => pathList(raw, 'staticPaths', problems),
  fragmentTypes: (raw, problems) => mediaTypeList(raw, problems),
};

/** Computed while the module is snapshotted at build time, not per request. */
const READER_KEYS = Object.keys(READERS) as Array<keyof Settings>;

/** The settings document alone; a store that cannot be read behaves like an absent key. */
export function readSettings(deps: { config(key: 'settings'): string | null }): string | null {
  try {
    return deps.config('settings');
  } catch {
    return null;
  }
}

/** Remembered by text (text-memo.ts): the router and the page path read the same document. */
const parseSettingsMemo = memoByText(parseSettingsText);

/** Parses the `settings` JSON text; null (absent key) means the defaults with no problem. */
export function parseSettings(text: string | null): Parsed<Settings> {
  return text === null ? { value: DEFAULT_SETTINGS, problems: [] } : parseSettingsMemo(text);
}

function parseSettingsText(text: string): Parsed<Settings> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { value: DEFAULT_SETTINGS, problems: ['settings: not valid JSON'] };
  }
  if (!isRecord(raw)) return { value: DEFAULT_SETTINGS, problems: ['settings: must be a JSON object'] };
  const problems: string[] = [];
  const value: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  // Indexed loops: in the Wasm guest `for…of` and destructuring run the engine's self-hosted
  // iterator code, interpreted, and this runs on every request there.
  for (let i = 0; i < READER_KEYS.length; i++) {
    const key = READER_KEYS[i]!;
    if (raw[key] !== undefined) value[key] = READERS[key](raw[key], problems);
  }
  const keys = Object.keys(raw);
  for (let i = 0; i < keys.length; i++) {
    // An own-property test: `in` would also find Object.prototype's names, so a document holding
    // `constructor`, `toString` or `__proto__` would pass silently instead of being reported.
    if (!Object.prototype.hasOwnProperty.call(READERS, keys[i]!)) problems.push(`unknown key ${JSON.stringify(keys[i]!.slice(0, 40))}`);
  }
  if (problems.length > 0) {
    return { value: DEFAULT_SETTINGS, problems: problems.map((p) => `settings: ${p}`) };
  }
  return { value: Object.freeze(value as unknown as Settings), problems: [] };
}
