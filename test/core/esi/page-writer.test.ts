/**
 * The page writer's chunks for a web-stream sink: runs of shorter parts joined into one chunk each
 * (a chunk costs the guest a few promises), a part of 64 KiB or more written as itself (a copy
 * costs more per byte), the bytes in order either way; a sink that takes parts gets them as they are.
 */
import { describe, expect, it } from 'vitest';
import type { ByteTap } from '../../../src/core/esi/template-reader.ts';
import { PageWriter, type PageSink } from '../../../src/core/esi/page-writer.ts';

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

function sink(): PageSink & { chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  return { chunks, write: (chunk) => chunks.push(chunk), close: () => undefined };
}

describe('PageWriter', () => {
  it('joins short parts and writes long ones alone, in order', () => {
    const out = sink();
    const long = bytes(64 * 1024, 3);
    new PageWriter(out, undefined, undefined).write([bytes(2, 1), bytes(3, 2), long, bytes(1, 4), long, long, bytes(5, 5)]);
    expect(out.chunks.map((chunk) => chunk.length)).toEqual([5, 64 * 1024, 1, 64 * 1024, 64 * 1024, 5]);
    expect(out.chunks[1]).toBe(long);
    expect(Array.from(out.chunks[0]!)).toEqual([1, 1, 2, 2, 2]);
  });

  it('writes all short parts as one chunk', () => {
    const out = sink();
    new PageWriter(out, undefined, undefined).write([bytes(2, 1), bytes(3, 2)]);
    expect(out.chunks.map((chunk) => chunk.length)).toEqual([5]);
  });

  it('gives up the page copy once a part is the visitor\'s alone, and copies nothing more', () => {
    const told: string[] = [];
    const tap: ByteTap = { add: (chunk) => told.push(`add ${chunk.length}`), end: () => told.push('end'), fail: () => told.push('fail') };
    const page = { perVisitor: false, holes: null };
    const writer = new PageWriter(sink(), tap, undefined, page);
    writer.write([bytes(2, 1)]);
    page.perVisitor = true;
    writer.write([bytes(3, 2)]);
    writer.close();
    expect(told).toEqual(['add 2', 'fail']);
  });
});
