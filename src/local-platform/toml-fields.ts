/**
 * Small typed readers over parsed TOML/JSON values for the manifest parser: each either returns a
 * value of the expected shape or throws a `ManifestError` naming the dotted key.
 */
import { ManifestError } from './manifest-error.ts';

export type Table = Record<string, unknown>;

/** Where in which file a value sits; `at('x')` extends the dotted path. */
export interface Place {
  file: string;
  key: string;
}

export function at(place: Place, child: string | number): Place {
  const part = typeof child === 'number' ? `[${child}]` : /^[A-Za-z0-9_-]+$/.test(child) ? `.${child}` : `."${child}"`;
  return { file: place.file, key: place.key === '' ? part.replace(/^\./, '') : `${place.key}${part}` };
}

export function fail(place: Place, problem: string): never {
  throw new ManifestError(place.file, place.key === '' ? problem : `${place.key} ${problem}`);
}

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function table(value: unknown, place: Place): Table {
  if (!isTable(value)) fail(place, 'must be a table');
  return value;
}

export function optionalTable(value: unknown, place: Place): Table | undefined {
  return value === undefined ? undefined : table(value, place);
}

export function string(value: unknown, place: Place): string {
  if (typeof value !== 'string') fail(place, 'must be a string');
  return value;
}

export function optionalString(value: unknown, place: Place): string | undefined {
  return value === undefined ? undefined : string(value, place);
}

export function optionalBoolean(value: unknown, place: Place): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(place, 'must be true or false');
  return value;
}

/** A whole number of milliseconds (TOML integers arrive as numbers; bigints never do for small values). */
export function optionalMillis(value: unknown, place: Place): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    fail(place, 'must be a positive whole number of milliseconds');
  }
  return value;
}

/** Rejects keys outside `allowed`, naming the first unknown one. */
export function onlyKeys(value: Table, allowed: readonly string[], place: Place): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(place, `has unknown key "${key}"`);
  }
}

/** A table whose every value is a string (config store contents, JSON secret files). */
export function stringMap(value: unknown, place: Place): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, item] of Object.entries(table(value, place))) entries.set(key, string(item, at(place, key)));
  return entries;
}
