import { describe, expect, it } from 'vitest';
import { recordBody } from '../../../src/core/page/record-body.ts';

const encoder = new TextEncoder();

function source(chunks: string[], endless = false): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
      else if (!endless) controller.close();
    },
  });
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('recordBody', () => {
  it('passes the body through and keeps a complete copy', async () => {
    const { stream, copy } = recordBody(source(['ab', 'cd']), 10);
    expect(await drain(stream)).toBe('abcd');
    expect(new TextDecoder().decode((await copy) ?? undefined)).toBe('abcd');
  });

  it('gives up the copy as soon as the body passes the cap, and still passes everything through', async () => {
    const { stream, copy } = recordBody(source(['abc', 'def', 'ghi']), 5);
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    expect(await copy).toBeNull();
    await reader.read();
    expect((await reader.read()).done).toBe(true);
  });

  it('settles with no copy when the consumer cancels a body that never ends', async () => {
    const { stream, copy } = recordBody(source(['a'], true), 100);
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel('client went away');
    expect(await copy).toBeNull();
  });
});
