/** One local stack per test file: started before its tests, closed after them. */
import { afterAll, beforeAll } from 'vitest';
import { startLocalStack, type LocalStack, type StackOptions } from '../../support/local-stack.ts';

export function useLocalStack(options: StackOptions = {}): () => LocalStack {
  let stack: LocalStack | null = null;
  beforeAll(async () => {
    stack = await startLocalStack(options);
  });
  afterAll(async () => {
    await stack?.close();
  });
  return () => {
    if (stack === null) throw new Error('the local stack is not running yet');
    return stack;
  };
}
