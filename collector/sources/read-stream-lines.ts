/** Feeds every line of a readable stream (stdin, a file) to a callback; resolves at its end. */
import type { Readable } from 'node:stream';
import { createLineSplitter } from './line-splitter.ts';

export async function readStreamLines(stream: Readable, onLine: (line: string) => void, onOverflow: () => void = () => undefined): Promise<void> {
  const splitter = createLineSplitter(onLine, onOverflow);
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    splitter.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }));
  }
  splitter.push(decoder.decode());
  splitter.end();
}
