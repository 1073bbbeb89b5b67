/**
 * The header hostcalls shared by `fastly_http_req` and `fastly_http_resp`, over a handle's HeaderList.
 */
import { Status } from '../abi.ts';
import { writeLatin1Value, writeMultiValue } from '../guest-headers.ts';
import type { HeaderList } from '../guest-headers.ts';
import type { HostContext, HostModule } from './host-context.ts';

export function headerCalls(ctx: HostContext, headersOf: (handle: number) => HeaderList | undefined): HostModule {
  const { memory } = ctx;
  const name = (ptr: number, len: number): string => memory.string(ptr, len);
  const value = (ptr: number, len: number): string => memory.latin1(ptr, len);
  return {
    header_names_get: (h: number, buf: number, bufLen: number, cursor: number, ending: number, nwritten: number) => {
      const headers = headersOf(h);
      if (!headers) return Status.badf;
      return writeMultiValue(memory, headers.names(), buf, bufLen, cursor, ending, nwritten);
    },
    header_values_get: (h: number, np: number, nl: number, buf: number, bufLen: number, cursor: number, ending: number, nwritten: number) => {
      const headers = headersOf(h);
      if (!headers) return Status.badf;
      return writeMultiValue(memory, headers.values(name(np, nl)), buf, bufLen, cursor, ending, nwritten);
    },
    header_value_get: (h: number, np: number, nl: number, buf: number, bufLen: number, nwritten: number) => {
      const headers = headersOf(h);
      if (!headers) return Status.badf;
      const found = headers.first(name(np, nl).toLowerCase());
      if (found === undefined) return Status.none;
      return writeLatin1Value(memory, found, buf, bufLen, nwritten);
    },
    header_insert: (h: number, np: number, nl: number, vp: number, vl: number) => {
      const headers = headersOf(h);
      if (!headers) return Status.badf;
      headers.insert(name(np, nl), value(vp, vl));
      return Status.ok;
    },
    header_append: (h: number, np: number, nl: number, vp: number, vl: number) => {
      const headers = headersOf(h);
      if (!headers) return Status.badf;
      headers.append(name(np, nl), value(vp, vl));
      return Status.ok;
    },
    header_remove: (h: number, np: number, nl: number) => {
      const headers = headersOf(h);
      if (!headers) return Status.badf;
      return headers.remove(name(np, nl)) ? Status.ok : Status.inval;
    },
  };
}
