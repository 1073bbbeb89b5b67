/**
 * The next instance's memory, made while the worker waits for its request (memory-import.ts), and
 * the worker thread's CPU it took. That CPU is outside the instance's vCPU (Compute's pooling
 * allocator keeps memory slots ready between requests, so an instance there does not pay for one
 * either), so the host reports it per instance beside the vCPU and the bench prints it as its own
 * row: nothing the host does per instance leaves the figures silently. Each memory goes to one
 * instance only: `take` hands it over and forgets it, so no instance sees another's writes.
 */
import { freshMemory, type MemoryPlan } from './memory-import.ts';

export interface PreparedMemory {
  memory: WebAssembly.Memory;
  /** CPU (ms, on `now`'s clock) spent making it and writing once to each page its snapshot lands on. */
  prepMs: number;
}

export class SpareMemory {
  private spare: PreparedMemory | null = null;

  constructor(
    private readonly plan: MemoryPlan | null,
    /** This thread's CPU clock in ms (guest-clock.ts `threadCpuMs`, wall time where there is none). */
    private readonly now: () => number,
  ) {}

  /** Makes the next memory once this turn of the event loop is done (a request waiting is served first). */
  prepareSoon(): void {
    if (this.plan) setImmediate(() => this.prepare());
  }

  /** Makes the next memory now unless one is ready. */
  prepare(): void {
    if (this.plan && !this.spare) this.spare = this.make(this.plan);
  }

  /** The spare memory, or one made now: either way before the instance's clock starts; null when the module makes its own. */
  take(): PreparedMemory | null {
    if (!this.plan) return null;
    const taken = this.spare ?? this.make(this.plan);
    this.spare = null;
    return taken;
  }

  private make(plan: MemoryPlan): PreparedMemory {
    const started = this.now();
    const memory = freshMemory(plan);
    return { memory, prepMs: this.now() - started };
  }
}
