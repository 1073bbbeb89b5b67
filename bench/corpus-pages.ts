/**
 * Benchmark pages of any size built from the committed corpus (bench/corpus/), the same bytes on
 * every run: the store page's head, its body repeated (cut at a line end) and its tail, with
 * `includes` include tags placed at the line ends nearest to even spacing. Sizes count the
 * template's bytes, tags included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from './corpus-generator.ts';

const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(CORPUS_DIR, name)));
const encoder = new TextEncoder();
const NEWLINE = 0x0a;

export const corpusFragment = (): Uint8Array => read('fragment-recs.html');

/**
 * The inserted-bytes cap's hostile page (test/wasm-host/output-cap.e2e.test.ts): `count` includes
 * of one URL in a small template, served with `bigFragment` (the fragment cap, 256 KiB): one fetch,
 * 24 bodies inserted, the rest refused by the 6 MiB cap (insert-budget.ts).
 */
export function oneFragmentTemplate(count: number): Uint8Array {
  return encoder.encode(`<main>${'<esi:include src="/fragments/big"/>'.repeat(count)}</main><p>end-page</p>`);
}

export const bigFragment = (): Uint8Array => new Uint8Array(256 * 1024).fill(0x42);

/** `unit` repeated to exactly `size` bytes, then cut back to the last line end (if any). */
function repeatTo(unit: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, size));
  for (let offset = 0; offset < out.length; offset += unit.length) out.set(unit.subarray(0, out.length - offset), offset);
  const end = out.lastIndexOf(NEWLINE);
  return end > 0 ? out.subarray(0, end + 1) : out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Inserts `tags` at the line ends nearest to evenly spaced offsets of `page`. */
function insertAtLineEnds(page: Uint8Array, tags: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  tags.forEach((tag, i) => {
    const target = Math.floor(((i + 1) * page.length) / (tags.length + 1));
    const at = Math.max(from, page.indexOf(NEWLINE, target) + 1 || page.length);
    parts.push(page.subarray(from, at), tag);
    from = at;
  });
  parts.push(page.subarray(from));
  return concat(parts);
}

export const includeTag = (i: number): string => `<esi:include src="/fragments/f${i}"/>\n`;

/** A UTF-8 store page of about `size` bytes with `includes` includes of `/fragments/f<i>`. */
export function storeTemplate(size: number, includes: number, tag: (i: number) => string = includeTag): Uint8Array {
  const head = read('store-head.html');
  const tail = read('store-tail.html');
  const tags = Array.from({ length: includes }, (_, i) => encoder.encode(tag(i)));
  const tagBytes = tags.reduce((sum, t) => sum + t.length, 0);
  const body = repeatTo(read('store-body.html'), size - head.length - tail.length - tagBytes);
  return insertAtLineEnds(concat([head, body, tail]), tags);
}

/** The windows-1252 page repeated to about `size` bytes, with `includes` includes. */
export function legacyTemplate(size: number, includes: number): Uint8Array {
  const tags = Array.from({ length: includes }, (_, i) => encoder.encode(includeTag(i)));
  return insertAtLineEnds(repeatTo(read('legacy-windows-1252.html'), size), tags);
}
