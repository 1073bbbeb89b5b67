/**
 * The Node host's `cpuMs`: the process's CPU time (user + system) since the current request began,
 * its start carried through the request's async work by AsyncLocalStorage. Outside a request there
 * is no start to measure from, so it is null (the port's "the platform cannot tell").
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestCpu {
  /** Milliseconds of CPU since the enclosing `runRequest` began; null outside one. */
  cpuMs: () => number | null;
  /** Runs one request so `cpuMs()` inside it measures from its start. */
  runRequest: <T>(work: () => Promise<T>) => Promise<T>;
}

export function requestCpu(): RequestCpu {
  const cpuStart = new AsyncLocalStorage<NodeJS.CpuUsage>();
  return {
    cpuMs: () => {
      const start = cpuStart.getStore();
      if (!start) return null;
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    },
    runRequest: (work) => cpuStart.run(process.cpuUsage(), work),
  };
}
