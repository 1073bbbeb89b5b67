/**
 * The Node host's `waitUntil`: each task is tracked until it ends, so `settled()` (tests, shutdown)
 * can wait for them and for the caches' background revalidations. A failed task is logged, never
 * thrown into the process, as on Compute where it only ends the task.
 */
import { forgetLastMatch } from './regexp-statics.ts';

export interface BackgroundWork {
  /** The request context's `waitUntil`. */
  waitUntil: (work: Promise<unknown>) => void;
  /** Resolves once every task, and then the work `idle` waits for, has finished. */
  settled: () => Promise<void>;
}

/** `idle` resolves once the caches' background revalidations have finished (NodeDeps.idle). */
export function backgroundWork(idle: () => Promise<void>): BackgroundWork {
  const pending = new Set<Promise<unknown>>();
  return {
    waitUntil: (work) => {
      const tracked = work.catch((error: unknown) => {
        console.error(`[node] waitUntil task failed: ${error instanceof Error ? error.message : 'unknown error'}`);
      });
      pending.add(tracked);
      void tracked.finally(() => {
        pending.delete(tracked);
        // Whatever of the request's text the task's last RegExp matched is not left to the next visitor.
        forgetLastMatch();
      });
    },
    settled: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await idle();
    },
  };
}
