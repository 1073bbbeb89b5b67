import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { followFile } from '../../../collector/sources/follow-file.ts';
import { readStreamLines } from '../../../collector/sources/read-stream-lines.ts';
import { createLineSplitter } from '../../../collector/sources/line-splitter.ts';

describe('line sources', () => {
  it('holds back a partial line until its newline arrives', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push('a\nb');
    expect(lines).toEqual(['a']);
    splitter.push('c\n');
    splitter.push('tail');
    splitter.end();
    expect(lines).toEqual(['a', 'bc', 'tail']);
  });

  it('drops an overlong partial line once instead of growing without bound', () => {
    const lines: string[] = [];
    let overflows = 0;
    const splitter = createLineSplitter((line) => lines.push(line), () => overflows++);
    splitter.push('x'.repeat(600_000));
    splitter.push('x'.repeat(600_000));
    splitter.push('x'.repeat(600_000));
    splitter.push('rest of it\nnext\n');
    expect(overflows).toBe(1);
    expect(lines).toEqual(['next']);
  });

  it('reads every line of a stream split across UTF-8 chunk boundaries', async () => {
    const bytes = new TextEncoder().encode('é1\né2\n');
    const lines: string[] = [];
    await readStreamLines(Readable.from([bytes.subarray(0, 1), bytes.subarray(1)]), (line) => lines.push(line));
    expect(lines).toEqual(['é1', 'é2']);
  });

  it('follows appended lines and starts over when the file is truncated', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'follow-')), 'edge.log');
    writeFileSync(file, 'one\n');
    const lines: string[] = [];
    const handle = followFile(file, (line) => lines.push(line), () => undefined, 10);
    try {
      await expect.poll(() => lines).toEqual(['one']);
      appendFileSync(file, 'two\nthr');
      await expect.poll(() => lines).toEqual(['one', 'two']);
      appendFileSync(file, 'ee\n');
      await expect.poll(() => lines).toEqual(['one', 'two', 'three']);
      writeFileSync(file, 'new\n');
      await expect.poll(() => lines).toEqual(['one', 'two', 'three', 'new']);
    } finally {
      handle.stop();
    }
  });
});
