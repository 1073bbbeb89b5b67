/**
 * The worker thread that runs guest instances: one fresh `WebAssembly.Instance` of the compiled
 * module per downstream request (a new sandbox, as on Compute), run to completion with `_start`.
 * Blocking hostcalls park this thread in the sync channel while the main thread does the I/O.
 */
import { parentPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { GuestConfig } from './guest-config.ts';
import { startGuestClock, threadCpuMs } from './guest-clock.ts';
import { withHostTime, withTimeline } from './hostcall-timeline.ts';
import type { Timeline } from './hostcall-timeline.ts';
import { kitFor, releaseKit, startInstance, withMemory, type InstanceKit, type WorkerParts } from './instance-kit.ts';
import { KeptCoreHits } from './kept-core-hits.ts';
import type { SharedWithWorkers } from './worker-pool.ts';
import { HttpCacheHits } from './http-cache-hits.ts';
import { KeptHttpHits } from './kept-http-hits.ts';
import { KeyPresence } from './key-presence.ts';
import type { MemoryPlan } from './memory-import.ts';
import { SpareMemory } from './spare-memory.ts';
import { ProcExit } from './imports/host-context.ts';
import type { GuestJob } from './rpc-messages.ts';
import { WorkerChannel } from './sync-channel.ts';

export type WorkerInit = { type: 'init'; module: WebAssembly.Module; config: GuestConfig; port: MessagePort; flag: SharedArrayBuffer; memory: MemoryPlan | null } & SharedWithWorkers;
export type WorkerRun = { type: 'run'; job: GuestJob };

let setup: (WorkerParts & { module: WebAssembly.Module; memory: SpareMemory }) | null = null;
/** The import object every instance of this worker shares, built by the first (instance-kit.ts). */
let kit: InstanceKit | null = null;
const reported = new Set<string>();

parentPort?.on('message', (message: WorkerInit | WorkerRun) => {
  if (message.type === 'init') {
    const channel = new WorkerChannel(message.port, new Int32Array(message.flag));
    const cacheKeys = message.cacheKeys ? new KeyPresence(message.cacheKeys) : null;
    const httpHits = message.httpHits ? new KeptHttpHits(new HttpCacheHits(message.httpHits)) : null;
    const coreHits = message.coreHits ? new KeptCoreHits(new HttpCacheHits(message.coreHits)) : null;
    const memory = new SpareMemory(message.memory, () => threadCpuMs() ?? performance.now());
    const report = (name: string): void => {
      if (reported.has(name)) return;
      reported.add(name);
      channel.post({ op: 'unsupported', name });
    };
    setup = { module: message.module, config: message.config, channel, descriptors: WebAssembly.Module.imports(message.module), cacheKeys, httpHits, coreHits, memory, report };
    memory.prepareSoon();
    return;
  }
  if (setup) runGuest(setup, message.job);
});

function runGuest(current: NonNullable<typeof setup>, job: GuestJob): void {
  const { channel } = current;
  channel.blockedMs = 0;
  // Taken before the instance's clock starts, as Compute's pool has its slots ready; its CPU is reported apart.
  const ownMemory = current.memory.take();
  kit = kitFor(kit, current, job, ownMemory?.memory ?? null);
  startInstance(kit, startGuestClock(() => channel.blockedMs));
  const { ctx } = kit;
  let error: string | null = null;
  let timeline: Timeline | null = null;
  let hostMs: (() => number) | null = null;
  let hostAtVcpuReads: number[] | undefined;
  let startMs = 0;
  let memory: WebAssembly.Memory | null = null;
  try {
    let imports = kit.instanceImports;
    if (current.config.timeline) {
      timeline = withTimeline(kit.imports, () => threadCpuMs() ?? performance.now());
      imports = ownMemory ? withMemory(timeline.imports, ownMemory.memory) : timeline.imports;
    } else if (current.config.hostTime) {
      const accounted = withHostTime(kit.imports, () => threadCpuMs() ?? performance.now());
      imports = ownMemory ? withMemory(accounted.imports, ownMemory.memory) : accounted.imports;
      hostMs = () => accounted.hostMs();
      hostAtVcpuReads = accounted.atVcpuReads;
    }
    const instance = new WebAssembly.Instance(current.module, imports);
    startMs = ctx.clock.elapsedMs();
    const { memory: exported, _start } = instance.exports;
    if (!(exported instanceof WebAssembly.Memory) || typeof _start !== 'function') throw new Error('the module exports no memory or _start');
    memory = exported;
    // A module that makes its own memory is attached once it exists; an imported one already was (kitFor).
    if (!ownMemory) ctx.memory.attach(memory);
    (_start as () => void)();
  } catch (caught) {
    if (!(caught instanceof ProcExit && caught.code === 0)) error = caught instanceof Error ? caught.message : String(caught);
  }
  const vcpuMs = ctx.clock.elapsedMs();
  const memoryMs = ownMemory?.prepMs ?? null;
  if (timeline) channel.post({ op: 'stdio', fd: 2, bytes: Buffer.from(timeline.report(vcpuMs, memoryMs)) });
  // Linear memory only grows, so its size at the end is the instance's peak (Compute caps the heap at 128 MB).
  const memoryBytes = memory?.buffer.byteLength ?? 0;
  releaseKit(kit);
  current.memory.prepareSoon();
  channel.post({ op: 'done', error, vcpuMs, startMs, hostMs: hostMs ? hostMs() : null, hostAtVcpuReads, memoryBytes, memoryMs });
}
