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
import type { KeyPresence } from './key-presence.ts';
import type { GuestJob } from './rpc-messages.ts';
import type { WorkerChannel } from './sync-channel.ts';

export interface InstanceKit {
  ctx: HostContext;
  imports: WebAssembly.Imports;
}

/** What stays the same for every instance a worker runs. */
export interface WorkerParts {
  descriptors: readonly WebAssembly.ModuleImportDescriptor[];
  config: GuestConfig;
  channel: WorkerChannel;
  cacheKeys: KeyPresence | null;
  httpHits?: KeptHttpHits | null;
  report: ReportUnsupported;
}

/** The kit for the next instance: `kit` reset for `job` and `clock`, or a new one when there is none yet. */
export function kitFor(kit: InstanceKit | null, parts: WorkerParts, job: GuestJob, clock: GuestClock): InstanceKit {
  if (!kit) {
    const { config, channel, cacheKeys, httpHits = null } = parts;
    const ctx: HostContext = { memory: new GuestMemory(), table: new HandleTable(), channel, job, config, clock, cacheKeys, httpHits, downstreamRequest: null, responded: false };
    return { ctx, imports: buildImports(parts.descriptors, ctx, parts.report) };
  }
  const { ctx } = kit;
  ctx.table.reset();
  ctx.memory.detach();
  ctx.job = job;
  ctx.clock = clock;
  ctx.downstreamRequest = null;
  ctx.responded = false;
  return kit;
}

/** Lets go of what the finished instance left (its memory, its handles' bodies) until the next one. */
export function releaseKit(kit: InstanceKit): void {
  kit.ctx.table.reset();
  kit.ctx.memory.detach();
}
