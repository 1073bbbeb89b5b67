/**
 * `tail -F` for a log file: reads what is there, then polls for appended bytes. A file that
 * shrinks (truncated or rotated) is read again from the start. Polling, unlike fs.watch, behaves
 * the same on every file system and inside containers.
 */
import { open, stat } from 'node:fs/promises';
import { createLineSplitter } from './line-splitter.ts';

export interface FollowHandle {
  stop(): void;
}

export function followFile(path: string, onLine: (line: string) => void, onOverflow: () => void, intervalMs = 200): FollowHandle {
  const splitter = createLineSplitter(onLine, onOverflow);
  const decoder = new TextDecoder();
  let offset = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const poll = async (): Promise<void> => {
    try {
      const { size } = await stat(path);
      if (size < offset) offset = 0;
      if (size > offset) {
        const handle = await open(path, 'r');
        try {
          const buffer = Buffer.alloc(Math.min(size - offset, 4 * 1024 * 1024));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
          offset += bytesRead;
          splitter.push(decoder.decode(buffer.subarray(0, bytesRead), { stream: true }));
        } finally {
          await handle.close();
        }
      }
    } catch {
      // Not there yet (or gone for a moment during rotation): try again on the next tick.
    }
    if (!stopped) timer = setTimeout(() => void poll(), intervalMs);
  };
  void poll();
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
