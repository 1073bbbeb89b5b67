/**
 * Reads the files a manifest points at (`file = "..."` keys), relative to the manifest's own
 * directory like Viceroy does, turning every failure into a one-line `ManifestError`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail, string } from './toml-fields.ts';
import type { Place } from './toml-fields.ts';

export interface FileContext {
  /** The manifest's directory: relative `file` keys resolve against it. */
  dir: string;
}

export function readSideFile(value: unknown, place: Place, context: FileContext): Buffer {
  const name = string(value, place);
  try {
    return readFileSync(resolve(context.dir, name));
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    return fail(place, `names a file that cannot be read: ${name} (${code})`);
  }
}

export function readJsonFile(value: unknown, place: Place, context: FileContext): unknown {
  const text = readSideFile(value, place, context).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail(place, `names a file that is not valid JSON: ${string(value, place)}`);
  }
}
