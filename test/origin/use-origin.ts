/**
 * Test helper: starts a quiet local origin on free ports before the file's tests and closes it
 * after; faults and the request log are reset between tests.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startOrigin, type RunningOrigin } from '../../origin/start-origin.ts';

export function useOrigin(): () => RunningOrigin {
  let origin: RunningOrigin | undefined;
  beforeAll(async () => {
    origin = await startOrigin({ quiet: true });
  });
  afterEach(() => {
    origin?.faults.clear();
    origin?.requests.clear();
  });
  afterAll(async () => {
    await origin?.close();
  });
  return () => {
    if (!origin) throw new Error('origin not started');
    return origin;
  };
}

/** `new URL(path, base)` as a string, for fetch. */
export function at(base: string, path: string): string {
  return new URL(path, base).href;
}
