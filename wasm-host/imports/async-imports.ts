/**
 * `fastly_async_io`: readiness of pending requests and bodies. Sandbox-local items are always
 * ready; the rest are asked of the main thread, which blocks the guest until one is ready or the
 * select timeout (milliseconds, 0 = none) expires.
 */
import { SELECT_TIMED_OUT, Status } from '../abi.ts';
import type { SelectItem } from '../rpc-messages.ts';
import type { HostContext, HostModule } from './host-context.ts';

type Readiness = { ready: true } | { ready: false; item: SelectItem } | { invalid: true };

function readiness(ctx: HostContext, handle: number): Readiness {
  const item = ctx.table.get(handle);
  if (!item) return { invalid: true };
  if (item.kind === 'pending') return { ready: false, item: { kind: 'pending', id: item.id } };
  if (item.kind === 'cache-busy') return { ready: false, item: { kind: 'cache-busy', id: item.id } };
  if (item.kind === 'remote') {
    if (item.done) return { ready: true };
    return { ready: false, item: { kind: 'body', id: item.id } };
  }
  return { ready: true };
}

export function asyncImports(ctx: HostContext): HostModule {
  const { memory, channel } = ctx;
  return {
    is_ready: (h: number, out: number) => {
      const state = readiness(ctx, h);
      if ('invalid' in state) return Status.badf;
      const ready = state.ready || channel.call({ op: 'select', items: [state.item], timeoutMs: 0 }).ready !== null;
      memory.u32(out, ready ? 1 : 0);
      return Status.ok;
    },
    select: (handles: number, count: number, timeoutMs: number, out: number) => {
      const waiting: { index: number; item: SelectItem }[] = [];
      for (let index = 0; index < count; index += 1) {
        const state = readiness(ctx, memory.readU32(handles + index * 4));
        if ('invalid' in state) return Status.badf;
        if (state.ready) {
          memory.u32(out, index);
          return Status.ok;
        }
        waiting.push({ index, item: state.item });
      }
      if (waiting.length === 0) return Status.inval;
      const reply = channel.call({ op: 'select', items: waiting.map((entry) => entry.item), timeoutMs: timeoutMs === 0 ? null : timeoutMs });
      memory.u32(out, reply.ready === null ? SELECT_TIMED_OUT : (waiting[reply.ready]?.index ?? SELECT_TIMED_OUT));
      return Status.ok;
    },
  };
}
