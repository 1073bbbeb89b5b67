/**
 * The WASI preview1 calls the runtime makes: stdio to the host's stdout/stderr, clocks, random,
 * args and environ (Viceroy's FASTLY_* variables), timer sleeps via poll_oneoff, and proc_exit.
 * No filesystem: there are no preopens, so path calls are never reached.
 */
import { randomFillSync } from 'node:crypto';
import { Errno } from '../abi.ts';
import { utf8 } from '../guest-memory.ts';
import { ProcExit } from './host-context.ts';
import type { HostContext, HostModule } from './host-context.ts';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function wasiImports(ctx: HostContext): HostModule {
  const { memory } = ctx;
  const args = [utf8('main.wasm\0')];
  const environ = Object.entries(ctx.config.env).map(([name, value]) => utf8(`${name}=${value}\0`));
  const writeList = (list: Uint8Array[], ptrs: number, buf: number): number => {
    let offset = buf;
    list.forEach((item, index) => {
      memory.u32(ptrs + index * 4, offset);
      memory.write(offset, item);
      offset += item.byteLength;
    });
    return Errno.success;
  };
  const sizes = (list: Uint8Array[], countPtr: number, sizePtr: number): number => {
    memory.u32(countPtr, list.length);
    memory.u32(sizePtr, list.reduce((sum, item) => sum + item.byteLength, 0));
    return Errno.success;
  };
  return {
    args_get: (argv: number, buf: number) => writeList(args, argv, buf),
    args_sizes_get: (count: number, size: number) => sizes(args, count, size),
    environ_get: (env: number, buf: number) => writeList(environ, env, buf),
    environ_sizes_get: (count: number, size: number) => sizes(environ, count, size),
    clock_res_get: (_id: number, out: number) => {
      memory.u64(out, 1000n);
      return Errno.success;
    },
    clock_time_get: (id: number, _precision: bigint, out: number) => {
      memory.u64(out, id === 0 ? realtimeNs() : process.hrtime.bigint());
      return Errno.success;
    },
    random_get: (buf: number, len: number) => {
      memory.write(buf, randomFillSync(new Uint8Array(len)));
      return Errno.success;
    },
    fd_write: (fd: number, iovs: number, iovsLen: number, nwritten: number) => {
      if (fd !== 1 && fd !== 2) return Errno.badf;
      const parts: Uint8Array[] = [];
      let total = 0;
      for (let i = 0; i < iovsLen; i += 1) {
        const ptr = memory.readU32(iovs + i * 8);
        const len = memory.readU32(iovs + i * 8 + 4);
        parts.push(memory.bytes(ptr, len));
        total += len;
      }
      ctx.channel.post({ op: 'stdio', fd, bytes: Buffer.concat(parts) });
      memory.u32(nwritten, total);
      return Errno.success;
    },
    fd_read: (fd: number, _iovs: number, _len: number, nread: number) => {
      if (fd !== 0) return Errno.badf;
      memory.u32(nread, 0);
      return Errno.success;
    },
    fd_close: () => Errno.success,
    fd_fdstat_get: (fd: number, out: number) => {
      if (fd > 2) return Errno.badf;
      memory.u8(out, 2);
      memory.u16(out + 2, 0);
      memory.u64(out + 8, 0xffff_ffffn);
      memory.u64(out + 16, 0xffff_ffffn);
      return Errno.success;
    },
    fd_fdstat_set_flags: () => Errno.success,
    fd_prestat_get: () => Errno.badf,
    fd_prestat_dir_name: () => Errno.badf,
    fd_seek: (fd: number) => (fd <= 2 ? Errno.spipe : Errno.badf),
    fd_readdir: () => Errno.badf,
    path_filestat_get: () => Errno.notcapable,
    path_open: () => Errno.notcapable,
    path_remove_directory: () => Errno.notcapable,
    path_unlink_file: () => Errno.notcapable,
    poll_oneoff: (subs: number, events: number, count: number, neventsPtr: number) => pollClocks(ctx, subs, events, count, neventsPtr),
    proc_exit: (code: number) => {
      throw new ProcExit(code);
    },
  };
}

function realtimeNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
}

/** Only clock subscriptions (timers): sleeps until the earliest one and reports it. */
function pollClocks(ctx: HostContext, subs: number, events: number, count: number, neventsPtr: number): number {
  const { memory } = ctx;
  let earliest: { userdata: bigint; deadline: bigint } | null = null;
  const now = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) {
    const sub = subs + i * 48;
    const view = memory.view();
    if (view.getUint8(sub + 8) !== 0) return Errno.nosys;
    const clockId = view.getUint32(sub + 16, true);
    const timeout = view.getBigUint64(sub + 24, true);
    const absolute = (view.getUint16(sub + 40, true) & 1) === 1;
    const base = clockId === 0 ? realtimeNs() : now;
    const deadline = absolute ? now + (timeout - base) : now + timeout;
    if (!earliest || deadline < earliest.deadline) earliest = { userdata: view.getBigUint64(sub, true), deadline };
  }
  if (!earliest) return Errno.inval;
  const waitMs = Number(earliest.deadline - process.hrtime.bigint()) / 1e6;
  if (waitMs > 0) {
    const started = performance.now();
    Atomics.wait(sleeper, 0, 0, waitMs);
    ctx.channel.blockedMs += performance.now() - started;
  }
  memory.u64(events, earliest.userdata);
  memory.u16(events + 8, 0);
  memory.u8(events + 10, 0);
  memory.u32(neventsPtr, 1);
  return Errno.success;
}
