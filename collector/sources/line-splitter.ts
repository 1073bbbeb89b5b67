/**
 * Turns chunks of text into complete lines, holding back a partial last line until its newline
 * arrives. An overlong partial line is dropped (and reported once) instead of growing memory.
 */

export const MAX_PENDING_CHARS = 1024 * 1024;

export function createLineSplitter(onLine: (line: string) => void, onOverflow: () => void = () => undefined) {
  let pending = '';
  let skipping = false;
  return {
    push(text: string): void {
      const parts = (pending + text).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        if (skipping) skipping = false;
        else onLine(part);
      }
      if (pending.length > MAX_PENDING_CHARS) {
        pending = '';
        if (!skipping) onOverflow();
        skipping = true;
      }
    },
    /** Emits the last line when the source ends without a newline. */
    end(): void {
      if (pending.length > 0 && !skipping) onLine(pending);
      pending = '';
      skipping = false;
    },
  };
}
