/**
 * How each field of the `settings` document is checked: one reader per kind of value (a choice, a
 * bounded integer, a list of hosts, routes, locales, paths or media types). A reader returns the
 * value as the service will use it (lowercased, frozen) or records a problem; the settings parse
 * (settings.ts) rejects the whole document on any problem, so a reader's stand-in is never used.
 */
import type { BackendName } from '../ports.ts';
import { BACKEND_NAMES } from '../ports.ts';
import { fail, isRecord } from './parsed-document.ts';

export interface Route {
  prefix: string;
  backend: BackendName;
}

export function oneOf(raw: unknown, allowed: readonly string[], name: string, problems: string[]): unknown {
  return typeof raw === 'string' && allowed.includes(raw) ? raw : fail(problems, `${name} must be one of ${allowed.join(', ')}`);
}

export function integerIn(raw: unknown, min: number, max: number, name: string, problems: string[]): unknown {
  return Number.isInteger(raw) && (raw as number) >= min && (raw as number) <= max
    ? raw
    : fail(problems, `${name} must be an integer from ${min} to ${max}`);
}

/**
 * `raw` as a frozen list of its entries as `entry` reads them; one problem when it is not an array
 * of `min` to `max` entries (`shape`), or when `entry` records one for an entry (it returns null
 * then, via `fail`). Every list-valued setting is read by it, so each says only what an entry is.
 */
function checkedList<T>(raw: unknown, min: number, max: number, shape: string, entry: (item: unknown, problems: string[]) => T | null, problems: string[]): unknown {
  if (!Array.isArray(raw) || raw.length < min || raw.length > max) return fail(problems, shape);
  const read: T[] = [];
  const list: unknown[] = raw;
  for (let i = 0; i < list.length; i++) {
    const value = entry(list[i], problems);
    if (value === null) return null;
    read.push(value);
  }
  return Object.freeze(read);
}

const HOST_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*$/;

export function hostList(raw: unknown, problems: string[]): unknown {
  return checkedList(raw, 0, 64, 'includeHosts must be an array of at most 64 host names', hostEntry, problems);
}

function hostEntry(host: unknown, problems: string[]): string | null {
  return typeof host === 'string' && host.length <= 253 && HOST_PATTERN.test(host.toLowerCase())
    ? host.toLowerCase()
    : fail(problems, 'includeHosts entries must be plain host names');
}

export function routeList(raw: unknown, problems: string[]): unknown {
  return checkedList(raw, 0, 32, 'routes must be an array of at most 32 routes', routeEntry, problems);
}

function routeEntry(route: unknown, problems: string[]): Route | null {
  if (!isRecord(route) || typeof route.prefix !== 'string' || !route.prefix.startsWith('/') || route.prefix.length > 256) {
    return fail(problems, 'each route needs a prefix starting with "/"');
  }
  if (typeof route.backend !== 'string' || !(BACKEND_NAMES as readonly string[]).includes(route.backend)) {
    return fail(problems, `route backend must be one of ${BACKEND_NAMES.join(', ')}`);
  }
  return Object.freeze({ prefix: route.prefix, backend: route.backend as BackendName });
}

const LOCALE_PATTERN = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;

export function localeList(raw: unknown, problems: string[]): unknown {
  return checkedList(raw, 1, 32, 'locales must be a non-empty array of at most 32 locales', localeEntry, problems);
}

function localeEntry(locale: unknown, problems: string[]): string | null {
  return typeof locale === 'string' && LOCALE_PATTERN.test(locale) ? locale : fail(problems, 'locales entries must look like "en" or "en-GB"');
}

export function pathList(raw: unknown, name: string, problems: string[]): unknown {
  const entry = (prefix: unknown): string | null =>
    typeof prefix === 'string' && prefix.startsWith('/') && prefix.length <= 256 ? prefix : fail(problems, `${name} entries must be paths starting with "/"`);
  return checkedList(raw, 0, 64, `${name} must be an array of at most 64 paths`, entry, problems);
}

const MEDIA_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

export function mediaTypeList(raw: unknown, problems: string[]): unknown {
  return checkedList(raw, 1, 16, 'fragmentTypes must be a non-empty array of at most 16 media types', mediaTypeEntry, problems);
}

function mediaTypeEntry(type: unknown, problems: string[]): string | null {
  return typeof type === 'string' && MEDIA_TYPE_PATTERN.test(type.toLowerCase()) ? type.toLowerCase() : fail(problems, 'fragmentTypes entries must look like "text/html"');
}
