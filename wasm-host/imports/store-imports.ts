/**
 * Config stores (and legacy dictionaries), secret stores and log endpoints from the manifest.
 * Missing stores and keys answer `none`, as Viceroy does; too-small buffers `buflen` with the size.
 */
import { Status } from '../abi.ts';
import { utf8 } from '../guest-memory.ts';
import type { HostContext, HostModule } from './host-context.ts';

/**
 * Each store value's UTF-8 bytes, made once per worker and value: Compute's stores hand out stored
 * bytes, while encoding the value again on every `get` (the `settings` document is a few KB) was this
 * host's own work inside the guest's vCPU. Kept beside the text they were made from, so a changed
 * value is encoded again. The bytes are only ever copied into the guest, never changed.
 */
const encoded = new WeakMap<Map<string, string>, Map<string, { text: string; bytes: Uint8Array }>>();

function storedBytes(store: Map<string, string> | undefined, key: string): Uint8Array | undefined {
  const text = store?.get(key);
  if (store === undefined || text === undefined) return undefined;
  let known = encoded.get(store);
  if (!known) encoded.set(store, (known = new Map<string, { text: string; bytes: Uint8Array }>()));
  const kept = known.get(key);
  if (kept?.text === text) return kept.bytes;
  const bytes = utf8(text);
  known.set(key, { text, bytes });
  return bytes;
}

function valueOut(ctx: HostContext, value: Uint8Array, buf: number, len: number, nwritten: number): number {
  ctx.memory.u32(nwritten, value.byteLength);
  if (value.byteLength > len) return Status.buflen;
  ctx.memory.write(buf, value);
  return Status.ok;
}

export function configStoreImports(ctx: HostContext): HostModule {
  const { memory, table } = ctx;
  return {
    open: (np: number, nl: number, out: number) => {
      const name = memory.string(np, nl);
      if (!ctx.config.configStores.has(name)) return Status.none;
      memory.u32(out, table.add({ kind: 'config', name }));
      return Status.ok;
    },
    get: (h: number, kp: number, kl: number, buf: number, len: number, nwritten: number) => {
      const store = table.of(h, 'config');
      if (!store) return Status.badf;
      const value = storedBytes(ctx.config.configStores.get(store.name), memory.string(kp, kl));
      if (value === undefined) return Status.none;
      return valueOut(ctx, value, buf, len, nwritten);
    },
  };
}

export function secretStoreImports(ctx: HostContext): HostModule {
  const { memory, table } = ctx;
  return {
    open: (np: number, nl: number, out: number) => {
      const name = memory.string(np, nl);
      if (!ctx.config.secretStores.has(name)) return Status.none;
      memory.u32(out, table.add({ kind: 'secret-store', name }));
      return Status.ok;
    },
    get: (h: number, kp: number, kl: number, out: number) => {
      const store = table.of(h, 'secret-store');
      if (!store) return Status.badf;
      const value = storedBytes(ctx.config.secretStores.get(store.name), memory.string(kp, kl));
      if (value === undefined) return Status.none;
      memory.u32(out, table.add({ kind: 'secret', value }));
      return Status.ok;
    },
    plaintext: (h: number, buf: number, len: number, nwritten: number) => {
      const secret = table.of(h, 'secret');
      if (!secret) return Status.badf;
      return valueOut(ctx, secret.value, buf, len, nwritten);
    },
    from_bytes: (buf: number, len: number, out: number) => {
      memory.u32(out, table.add({ kind: 'secret', value: memory.bytes(buf, len) }));
      return Status.ok;
    },
  };
}

export function logImports(ctx: HostContext): HostModule {
  const { memory, table } = ctx;
  return {
    endpoint_get: (np: number, nl: number, out: number) => {
      memory.u32(out, table.add({ kind: 'log', name: memory.string(np, nl) }));
      return Status.ok;
    },
    write: (h: number, mp: number, ml: number, nwritten: number) => {
      const endpoint = table.of(h, 'log');
      if (!endpoint) return Status.badf;
      ctx.channel.post({ op: 'log', endpoint: endpoint.name, message: memory.string(mp, ml) });
      memory.u32(nwritten, ml);
      return Status.ok;
    },
  };
}

export { valueOut };
