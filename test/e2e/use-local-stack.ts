/**
 * One local stack per test file: started before its tests, closed after them. The handle stands in
 * for the stack from the file's top level, so tests write `stack.url(path)` as if it were running.
 */
import { afterAll, beforeAll } from 'vitest';
import { startLocalStack, type LocalStack, type StackOptions } from '../../support/local-stack.ts';

export function useLocalStack(options: StackOptions = {}): Omit<LocalStack, 'close'> {
  let stack: LocalStack | null = null;
  beforeAll(async () => {
    stack = await startLocalStack(options);
  });
  afterAll(async () => {
    await stack?.close();
  });
  const running = (): LocalStack => {
    if (stack === null) throw new Error('the local stack is not running yet');
    return stack;
  };
  return {
    get origin() {
      return running().origin;
    },
    get edge() {
      return running().edge;
    },
    url: (path) => running().url(path),
    events: () => running().events(),
    lines: () => running().lines(),
  };
}
