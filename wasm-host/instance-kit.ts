/**
 * The import object a worker's guest instances share. Building it made ~200 closures and a dozen
 * module objects per instance, inside the instance's vCPU clock (~0.2 ms a demo page, more than
 * any hostcall; Compute's hostcalls are native code that no request builds). So a worker builds
 * it once, over one context whose per-instance parts are reset before each instance runs: a fresh
 * handle table (handles count from 1 again), the instance's own memory, job and clock, no
 * downstream request, not responded. Every hostcall reads those through the context or the table
 * and memory objects, never keeping them from build time, so each instance sees exactly what a
 * freshly built import object would show it.
 */
import type { GuestClock } from './guest-clock.ts';
import type { GuestConfig } from './guest-config.ts';
import { GuestMemory } from './guest-memory.ts';
import { HandleTable } from './guest-state.ts';
import { buildImports, type ReportUnsupported } from './import-table.ts';
import type { HostContext } from './imports/host-context.ts';
import type { KeptHttpHits } from './kept-http-hits.ts';
import type { KeptCoreHits } from './kept-core-hits.ts';
import type { KeyPresence } from './key-presence.ts';
import { MEMORY_IMPORT } from './memory-import.ts';
import type { GuestJob } from './rpc-messages.ts';
import type { WorkerChannel } from './sync-channel.ts';

export interface InstanceKit {
  ctx: HostContext;
  /** The hostcalls, built once per worker. */
  imports: WebAssembly.Imports;
  /** What the next instance is given: the hostcalls, and the memory the host made for it, if any. */
  instanceImports: WebAssembly.Imports;
}

/** What stays the same for every instance a worker runs. */
export interface WorkerParts {
  descriptors: readonly WebAssembly.ModuleImportDescriptor[];
  config: GuestConfig;
  channel: WorkerChannel;
  cacheKeys: KeyPresence | null;
  httpHits?: KeptHttpHits | null;
  coreHits?: KeptCoreHits | null;
  report: ReportUnsupported;
}

/** A clock for a kit between instances; each instance's own starts once its kit is ready (`startInstance`). */
const NOT_STARTED: GuestClock = { source: 'thread-cpu', elapsedMs: () => 0 };

/**
 * The kit for the next instance: `kit` reset for `job`, or a new one when there is none yet, with
 * `memory` attached when the host made it (memory-import.ts). This is host bookkeeping Compute does
 * natively before a guest runs, so it happens before the instance's clock starts (`startInstance`).
 */
export function kitFor(kit: InstanceKit | null, parts: WorkerParts, job: GuestJob, memory: WebAssembly.Memory | null = null): InstanceKit {
  if (!kit) {
    const { config, channel, cacheKeys, httpHits = null, coreHits = null } = parts;
    const ctx: HostContext = { memory: new GuestMemory(), table: new HandleTable(), channel, job, config, clock: NOT_STARTED, cacheKeys, httpHits, coreHits, downstreamRequest: null, responded: false };
    const imports = buildImports(parts.descriptors, ctx, parts.report);
    kit = { ctx, imports, instanceImports: imports };
  } else {
    const { ctx } = kit;
    ctx.table.reset();
    ctx.memory.detach();
    ctx.job = job;
    ctx.clock = NOT_STARTED;
    ctx.downstreamRequest = null;
    ctx.responded = false;
  }
  kit.instanceImports = memory ? withMemory(kit.imports, memory) : kit.imports;
  if (memory) kit.ctx.memory.attach(memory);
  return kit;
}

/** `imports` with `memory` as the one the rewritten module imports (memory-import.ts). */
export function withMemory(imports: WebAssembly.Imports, memory: WebAssembly.Memory): WebAssembly.Imports {
  return { ...imports, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory } };
}

/** Starts the instance's clock: from here on, everything counts in its vCPU. */
export function startInstance(kit: InstanceKit, clock: GuestClock): void {
  kit.ctx.clock = clock;
}

/** Lets go of what the finished instance left (its memory, its handles' bodies) until the next one. */
export function releaseKit(kit: InstanceKit): void {
  kit.ctx.table.reset();
  kit.ctx.memory.detach();
  kit.instanceImports = kit.imports;
}
