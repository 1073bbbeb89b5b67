/**
 * A small pool of guest workers (2 by default). Each has its own sync channel; a request waits in a
 * queue until a worker is free, then runs in a fresh instance of the shared compiled module.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { GuestConfig } from './guest-config.ts';
import type { MemoryPlan } from './memory-import.ts';
import type { WorkerInit, WorkerRun } from './guest-worker.ts';
import type { HostSession } from './host-session.ts';
import type { GuestJob } from './rpc-messages.ts';
import { replyToWorker } from './sync-channel.ts';
import type { Envelope } from './sync-channel.ts';

interface Slot {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  session: HostSession | null;
}

/** Shared memory of the stores, each or none (then every such lookup asks the main thread). */
export interface SharedWithWorkers {
  /** The core cache keys every worker checks before a lookup (key-presence.ts). */
  cacheKeys?: SharedArrayBuffer | null;
  /** The HTTP cache's hit cells, for fresh hits answered in the worker (http-cache-hits.ts). */
  httpHits?: SharedArrayBuffer | null;
  /** The core cache's cells, for hits answered in the worker (core-cache-store.ts). */
  coreHits?: SharedArrayBuffer | null;
}

type SessionFactory = (reply: (value: unknown) => void) => HostSession;

const WORKER_URL = new URL('./guest-worker.ts', import.meta.url);

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { job: GuestJob; create: SessionFactory; started: (session: HostSession) => void }[] = [];

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly config: GuestConfig,
    size: number,
    /** How each worker makes the memory the module imports (memory-import.ts), or null. */
    private readonly memory: MemoryPlan | null = null,
    /** The memory the stores share with every worker, so workers answer some lookups themselves. */
    private readonly shared: SharedWithWorkers = {},
  ) {
    for (let i = 0; i < size; i += 1) this.slots.push(this.spawn());
  }

  /** Runs one request; resolves with its session once a worker has taken it. */
  run(job: GuestJob, create: SessionFactory): Promise<HostSession> {
    return new Promise((started) => {
      this.queue.push({ job, create, started });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    // The worker entry is TypeScript and workers inherit no loader under every runner (vitest
    // forks), so a tiny bootstrap registers tsx's ESM hooks in the worker before importing it.
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
    const worker = new Worker(bootstrap, { eval: true });
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    const slot: Slot = { worker, port: port1, flag: new Int32Array(shared), session: null };
    const init: WorkerInit = { type: 'init', module: this.module, config: this.config, port: port2, flag: shared, memory: this.memory, ...this.shared };
    worker.postMessage(init, [port2]);
    port1.on('message', (envelope: Envelope) => {
      const session = slot.session;
      if (!session) return;
      if (envelope.kind === 'call') session.handleCall(envelope.message);
      else session.handlePost(envelope.message);
    });
    worker.on('error', (error) => {
      console.error(`[wasm-host] guest worker failed: ${error.message}`);
      slot.session?.handlePost({ op: 'done', error: error.message, vcpuMs: 0, startMs: 0, hostMs: null });
      const index = this.slots.indexOf(slot);
      port1.close();
      if (index >= 0) this.slots[index] = this.spawn();
      this.dispatch();
    });
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.session) continue;
      const next = this.queue.shift();
      if (!next) return;
      const session = next.create((value) => replyToWorker(slot.port, slot.flag, value));
      slot.session = session;
      void session.guestDone.finally(() => {
        slot.session = null;
        this.dispatch();
      });
      const run: WorkerRun = { type: 'run', job: next.job };
      slot.worker.postMessage(run);
      next.started(session);
    }
  }
}
