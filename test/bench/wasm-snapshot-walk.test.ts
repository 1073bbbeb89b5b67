/**
 * The snapshot reader of bench/wasm-snapshot.ts: section sizes, the initial memory with the active
 * data segments applied, and the non-zero bytes and pages they touch, on a module built by hand
 * (and checked valid by the engine itself).
 */
import { describe, expect, it } from 'vitest';
import { readSnapshot, touched, touchedByRegion } from '../../bench/wasm-snapshot-walk.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** One memory of one page. */
const MEMORY = [0x05, 0x03, 0x01, 0x00, 0x01];
/** Two active segments: [1, 2] at 4100 (LEB 0x84 0x20) and [3] at 8, and a passive one, [9]. */
const DATA = [0x0b, 0x12, 0x03, 0x00, 0x41, 0x84, 0x20, 0x0b, 0x02, 0x01, 0x02, 0x00, 0x41, 0x08, 0x0b, 0x01, 0x03, 0x01, 0x01, 0x09];
const CUSTOM = [0x00, 0x04, 0x02, 0x68, 0x69, 0x07];
const MODULE = new Uint8Array([...HEADER, ...MEMORY, ...DATA, ...CUSTOM]);

describe('wasm snapshot walk', () => {
  it('is a valid module', () => {
    expect(WebAssembly.validate(MODULE)).toBe(true);
  });

  it('sizes each section by name and applies the active segments to the initial memory', () => {
    const { sections, memory, segments } = readSnapshot(MODULE);
    expect(sections).toEqual({ memory: 3, data: DATA.length - 2, 'custom:hi': 4 });
    expect(segments).toBe(3);
    expect(memory.length).toBe(65536);
    expect([memory[4100], memory[4101], memory[8]]).toEqual([1, 2, 3]);
    expect(memory.reduce((sum, byte) => sum + byte, 0)).toBe(6);
  });

  it('counts the non-zero bytes and the pages holding any', () => {
    const { memory } = readSnapshot(MODULE);
    expect(touched(memory)).toEqual({ bytes: 3, pages: 2 });
    expect(touched(memory, 65536)).toEqual({ bytes: 3, pages: 1 });
  });

  it('counts them per region, the last one short', () => {
    const { memory } = readSnapshot(MODULE);
    expect(touchedByRegion(memory, 4096)).toHaveLength(16);
    expect(touchedByRegion(memory, 4096).slice(0, 3)).toEqual([{ bytes: 1, pages: 1 }, { bytes: 2, pages: 1 }, { bytes: 0, pages: 0 }]);
    expect(touchedByRegion(memory, 40000)).toEqual([{ bytes: 3, pages: 2 }, { bytes: 0, pages: 0 }]);
  });
});
