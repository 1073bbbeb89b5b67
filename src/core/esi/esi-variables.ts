/**
 * The ESI variables (docs/contracts.md, "ESI dialect"): the values a template may read as
 * `$(NAME)` or `$(NAME{key})`, and what each name answers. An unknown variable or a missing key is
 * the empty string, so `$(HTTP_COOKIE)` reveals nothing. Reading them for the page (and counting
 * the read) is variable-reads.ts; putting them into attributes and bodies, variable-substitution.ts.
 */
import type { RankSignals } from '../recs/rank-signals.ts';

export interface EsiVariables {
  segment: string;
  variants: Readonly<Record<string, string>>;
  geo: { region: string; country: string | null };
  device: string;
  locale: string;
  visitor: string | null;
  /** Raw query of the page URL, without '?'. */
  query: string;
  /** What ranked includes adjust for; absent or null without consent or without anything that could change the order. */
  signals?: RankSignals | null;
}

const queries = new WeakMap<EsiVariables, URLSearchParams>();

/** The value of `$(name{key})` without counting it as read by the page (page keys read them all). */
export function valueOf(vars: EsiVariables, name: string, key: string | null): string {
  switch (name) {
    case 'SEGMENT':
      return key === null ? vars.segment : '';
    case 'DEVICE':
      return key === null ? vars.device : '';
    case 'LOCALE':
      return key === null ? vars.locale : '';
    case 'VISITOR':
      return key === null ? (vars.visitor ?? '') : '';
    case 'VARIANT':
      return key !== null && Object.hasOwn(vars.variants, key) ? (vars.variants[key] ?? '') : '';
    case 'GEO':
      return key === 'region' ? vars.geo.region : key === 'country' ? (vars.geo.country ?? '') : '';
    case 'QUERY_STRING':
      // A page without a query has no parameter to read: no URLSearchParams (~13 µs on a first run in the guest).
      return key === null || vars.query === '' ? '' : (queryOf(vars).get(key) ?? '');
    case 'RANKING':
      return key === null && vars.signals != null ? 'visitor' : '';
    default:
      return '';
  }
}

function queryOf(vars: EsiVariables): URLSearchParams {
  let params = queries.get(vars);
  if (params === undefined) {
    params = new URLSearchParams(vars.query);
    queries.set(vars, params);
  }
  return params;
}
