/**
 * What every hostcall implementation shares for one guest instance: its memory, handle table, the
 * channel to the main thread, the downstream request and the manifest-derived configuration.
 */
import type { GuestConfig } from '../guest-config.ts';
import type { GuestMemory } from '../guest-memory.ts';
import type { HandleTable } from '../guest-state.ts';
import type { GuestJob } from '../rpc-messages.ts';
import type { GuestClock } from '../guest-clock.ts';
import type { WorkerChannel } from '../sync-channel.ts';
import type { KeyPresence } from '../key-presence.ts';
import type { KeptHttpHits } from '../kept-http-hits.ts';
import type { KeptCoreHits } from '../kept-core-hits.ts';

export interface HostContext {
  memory: GuestMemory;
  table: HandleTable;
  channel: WorkerChannel;
  job: GuestJob;
  config: GuestConfig;
  /** CPU time of this instance, for `get_vcpu_ms`. */
  clock: GuestClock;
  /** Core cache keys that may be stored (key-presence.ts); without it every lookup asks the main thread. */
  cacheKeys?: KeyPresence | null;
  /** Core cache hits this worker answers itself (kept-core-hits.ts); without it every stored key's lookup asks the main thread. */
  coreHits?: KeptCoreHits | null;
  /** Fresh HTTP cache hits this worker answers itself (kept-http-hits.ts); without it every lookup asks the main thread. */
  httpHits?: KeptHttpHits | null;
  /** The downstream request handle once the guest asked for it. */
  downstreamRequest: number | null;
  /** Set once `send_downstream` has been called. */
  responded: boolean;
}

/** A hostcall as the import object holds it; arguments are i32 numbers or i64 bigints. */
export type Hostcall = (...args: never[]) => number | void;
export type HostModule = Record<string, Hostcall>;

/** Thrown by `proc_exit` to unwind the guest. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`guest exited with code ${code}`);
  }
}
