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

const HOST_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*$/;

export function hostList(raw: unknown, problems: string[]): unknown {
  if (!Array.isArray(raw) || raw.length > 64) return fail(problems, 'includeHosts must be an array of at most 64 host names');
  const hosts: string[] = [];
  const list: unknown[] = raw;
  for (let i = 0; i < list.length; i++) {
    const host = list[i];
    if (typeof host !== 'string' || host.length > 253 || !HOST_PATTERN.test(host.toLowerCase())) {
      return fail(problems, 'includeHosts entries must be plain host names');
    }
    hosts.push(host.toLowerCase());
  }
  return Object.freeze(hosts);
}

export function routeList(raw: unknown, problems: string[]): unknown {
  if (!Array.isArray(raw) || raw.length > 32) return fail(problems, 'routes must be an array of at most 32 routes');
  const routes: Route[] = [];
  const list: unknown[] = raw;
  for (let i = 0; i < list.length; i++) {
    const route = list[i];
    if (!isRecord(route) || typeof route.prefix !== 'string' || !route.prefix.startsWith('/') || route.prefix.length > 256) {
      return fail(problems, 'each route needs a prefix starting with "/"');
    }
    if (typeof route.backend !== 'string' || !(BACKEND_NAMES as readonly string[]).includes(route.backend)) {
      return fail(problems, `route backend must be one of ${BACKEND_NAMES.join(', ')}`);
    }
    routes.push(Object.freeze({ prefix: route.prefix, backend: route.backend as BackendName }));
  }
  return Object.freeze(routes);
}

const LOCALE_PATTERN = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;

export function localeList(raw: unknown, problems: string[]): unknown {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 32) return fail(problems, 'locales must be a non-empty array of at most 32 locales');
  const list: unknown[] = raw;
  for (let i = 0; i < list.length; i++) {
    const locale = list[i];
    if (typeof locale !== 'string' || !LOCALE_PATTERN.test(locale)) return fail(problems, 'locales entries must look like "en" or "en-GB"');
  }
  return Object.freeze(list.slice() as string[]);
}

export function pathList(raw: unknown, name: string, problems: string[]): unknown {
  if (!Array.isArray(raw) || raw.length > 64) return fail(problems, `${name} must be an array of at most 64 paths`);
  const list: unknown[] = raw;
  for (let i = 0; i < list.length; i++) {
    const prefix = list[i];
    if (typeof prefix !== 'string' || !prefix.startsWith('/') || prefix.length > 256) return fail(problems, `${name} entries must be paths starting with "/"`);
  }
  return Object.freeze(list.slice() as string[]);
}

const MEDIA_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

export function mediaTypeList(raw: unknown, problems: string[]): unknown {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 16) return fail(problems, 'fragmentTypes must be a non-empty array of at most 16 media types');
  const types: string[] = [];
  for (const type of raw) {
    if (typeof type !== 'string' || !MEDIA_TYPE_PATTERN.test(type.toLowerCase())) return fail(problems, 'fragmentTypes entries must look like "text/html"');
    types.push(type.toLowerCase());
  }
  return Object.freeze(types);
}
