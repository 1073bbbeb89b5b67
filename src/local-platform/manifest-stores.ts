/**
 * Config, secret and KV stores of `[local_server]` in the formats Viceroy accepts
 * (src/config/dictionaries.rs, secret_store.rs, object_store.rs), loaded eagerly into maps.
 */
import { readJsonFile, readSideFile } from './manifest-files.ts';
import type { FileContext } from './manifest-files.ts';
import { at, fail, isTable, onlyKeys, optionalString, string, stringMap, table } from './toml-fields.ts';
import type { Place } from './toml-fields.ts';

export interface KvEntry {
  body: Uint8Array;
  metadata: string | null;
}

export interface StoreContext extends FileContext {
  /** Environment for `env = "NAME"` secrets (process.env by default). */
  env: Readonly<Record<string, string | undefined>>;
}

/** `config_stores.<name>` / `dictionaries.<name>`: inline-toml `contents` or a JSON `file`. */
export function parseConfigStores(value: unknown, place: Place, context: StoreContext): Map<string, Map<string, string>> {
  return eachStore(value, place, (raw, storePlace) => {
    const fields = table(raw, storePlace);
    const format = string(fields.format ?? fail(storePlace, 'is missing "format" ("inline-toml" or "json")'), at(storePlace, 'format'));
    if (format === 'inline-toml') {
      onlyKeys(fields, ['format', 'contents'], storePlace);
      if (fields.contents === undefined) fail(storePlace, 'is missing the "contents" table');
      return stringMap(fields.contents, at(storePlace, 'contents'));
    }
    if (format === 'json') {
      onlyKeys(fields, ['format', 'file'], storePlace);
      return stringMap(readJsonFile(fields.file, at(storePlace, 'file'), context), at(storePlace, 'file'));
    }
    return fail(at(storePlace, 'format'), 'must be "inline-toml" or "json"');
  });
}

/** `secret_stores.<name>`: an array of `{key, data|file|env}`, or `{file, format = "json"}`. */
export function parseSecretStores(value: unknown, place: Place, context: StoreContext): Map<string, Map<string, string>> {
  return eachStore(value, place, (raw, storePlace) => {
    if (isTable(raw)) return jsonFileStore(raw, storePlace, context, (item, itemPlace) => string(item, itemPlace));
    return arrayStore(raw, storePlace, ['data', 'file', 'env'], (fields, itemPlace) => {
      if (fields.data !== undefined) return string(fields.data, at(itemPlace, 'data'));
      if (fields.file !== undefined) return readSideFile(fields.file, at(itemPlace, 'file'), context).toString('utf8');
      const name = string(fields.env, at(itemPlace, 'env'));
      return context.env[name] ?? fail(at(itemPlace, 'env'), `names an unset environment variable ${name}`);
    });
  });
}

/** `kv_stores.<name>` (aliases `object_stores`, `object_store`): like secrets, plus optional metadata. */
export function parseKvStores(value: unknown, place: Place, context: StoreContext): Map<string, Map<string, KvEntry>> {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
  return eachStore(value, place, (raw, storePlace) => {
    if (isTable(raw)) {
      return jsonFileStore(raw, storePlace, context, (item, itemPlace) => {
        if (typeof item === 'string') return { body: encode(item), metadata: null };
        const fields = table(item, itemPlace);
        return kvEntry(fields, itemPlace, context);
      });
    }
    return arrayStore(raw, storePlace, ['data', 'file', 'metadata'], (fields, itemPlace) => kvEntry(fields, itemPlace, context));
  });
}

function kvEntry(fields: Record<string, unknown>, place: Place, context: StoreContext): KvEntry {
  const metadata = optionalString(fields.metadata, at(place, 'metadata')) ?? null;
  if (fields.data !== undefined) return { body: new TextEncoder().encode(string(fields.data, at(place, 'data'))), metadata };
  if (fields.file !== undefined) return { body: new Uint8Array(readSideFile(fields.file, at(place, 'file'), context)), metadata };
  return fail(place, 'needs "data" or "file"');
}

function eachStore<T>(value: unknown, place: Place, parse: (raw: unknown, place: Place) => T): Map<string, T> {
  const stores = new Map<string, T>();
  if (value === undefined) return stores;
  for (const [name, raw] of Object.entries(table(value, place))) stores.set(name, parse(raw, at(place, name)));
  return stores;
}

function arrayStore<T>(
  raw: unknown,
  place: Place,
  valueKeys: readonly string[],
  read: (fields: Record<string, unknown>, place: Place) => T,
): Map<string, T> {
  if (!Array.isArray(raw)) fail(place, 'must be an array of entries or a { file, format = "json" } table');
  const entries = new Map<string, T>();
  raw.forEach((item: unknown, index) => {
    const itemPlace = at(place, index);
    const fields = table(item, itemPlace);
    onlyKeys(fields, ['key', ...valueKeys], itemPlace);
    const key = string(fields.key ?? fail(itemPlace, 'is missing "key"'), at(itemPlace, 'key'));
    const sources = valueKeys.filter((name) => name !== 'metadata' && fields[name] !== undefined);
    if (sources.length !== 1) fail(itemPlace, `needs exactly one of ${valueKeys.filter((n) => n !== 'metadata').join(', ')}`);
    entries.set(key, read(fields, itemPlace));
  });
  return entries;
}

function jsonFileStore<T>(
  fields: Record<string, unknown>,
  place: Place,
  context: FileContext,
  read: (item: unknown, place: Place) => T,
): Map<string, T> {
  onlyKeys(fields, ['file', 'format'], place);
  if (fields.format !== 'json') fail(at(place, 'format'), 'must be "json"');
  const filePlace = at(place, 'file');
  const entries = new Map<string, T>();
  for (const [key, item] of Object.entries(table(readJsonFile(fields.file, filePlace, context), filePlace))) {
    entries.set(key, read(item, at(filePlace, key)));
  }
  return entries;
}
