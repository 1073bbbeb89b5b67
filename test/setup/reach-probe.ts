/**
 * For `npm run reach`: when REACH_DIR is set, records which source modules each test file runs and
 * whether the file opened a socket, so the script can tell which core modules some in-process test
 * reaches. Without REACH_DIR it does nothing.
 */
import { afterAll, expect } from 'vitest';

const dir = process.env.REACH_DIR;
if (dir) await probe(dir);

async function probe(dir: string): Promise<void> {
  const [{ Session }, net, { writeFileSync }, { join }, { randomUUID }] = await Promise.all([
    import('node:inspector/promises'), import('node:net'), import('node:fs'), import('node:path'), import('node:crypto'),
  ]);
  let sockets = 0;
  // Any socket (a server listening, a client connecting) makes the file "not in-process".
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: unknown, ...args: unknown[]) {
    sockets++;
    return Reflect.apply(listen, this, args) as ReturnType<typeof listen>;
  } as typeof listen;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: unknown, ...args: unknown[]) {
    sockets++;
    return Reflect.apply(connect, this, args) as ReturnType<typeof connect>;
  };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  afterAll(async () => {
    const { result } = await session.post('Profiler.takePreciseCoverage');
    const modules = result
      .filter((script) => script.url.includes('/src/'))
      .map((script) => ({ url: script.url, functions: script.functions.map((f) => ({ name: f.functionName, count: f.ranges[0]?.count ?? 0 })) }));
    const file = expect.getState().testPath ?? 'unknown';
    writeFileSync(join(dir, `${randomUUID()}.json`), JSON.stringify({ file, sockets, modules }));
  });
}
