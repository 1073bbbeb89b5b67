/**
 * Builds the import object for one guest instance from the module's own import list: every
 * implemented hostcall, and for the rest a stub that answers `unsupported` (WASI: ENOSYS) and
 * reports its name to the main thread, which prints it once. With tracing on, each call is logged.
 */
import { Errno, Status } from './abi.ts';
import { asyncImports } from './imports/async-imports.ts';
import { bodyImports } from './imports/body-imports.ts';
import { cacheImports } from './imports/cache-imports.ts';
import type { HostContext, HostModule, Hostcall } from './imports/host-context.ts';
import { httpCacheImports } from './imports/http-cache-imports.ts';
import { httpReqImports } from './imports/http-req-imports.ts';
import { downstreamImports, httpRespImports } from './imports/http-resp-imports.ts';
import { backendImports, deviceImports, erlImports, geoImports, purgeImports, runtimeImports } from './imports/platform-imports.ts';
import { configStoreImports, logImports, secretStoreImports } from './imports/store-imports.ts';
import { wasiImports } from './imports/wasi-imports.ts';

type ModuleFactory = (ctx: HostContext) => HostModule;

const FACTORIES: Record<string, ModuleFactory> = {
  wasi_snapshot_preview1: wasiImports,
  fastly_http_req: httpReqImports,
  fastly_http_resp: httpRespImports,
  fastly_http_body: bodyImports,
  fastly_http_downstream: downstreamImports,
  fastly_async_io: asyncImports,
  fastly_config_store: configStoreImports,
  fastly_dictionary: configStoreImports,
  fastly_secret_store: secretStoreImports,
  fastly_log: logImports,
  fastly_geo: geoImports,
  fastly_device_detection: deviceImports,
  fastly_backend: backendImports,
  fastly_compute_runtime: runtimeImports,
  fastly_erl: erlImports,
  fastly_purge: purgeImports,
  fastly_cache: cacheImports,
  fastly_http_cache: httpCacheImports,
};

export type ReportUnsupported = (name: string) => void;

export function buildImports(
  descriptors: readonly WebAssembly.ModuleImportDescriptor[],
  ctx: HostContext,
  report: ReportUnsupported,
  factories: Record<string, ModuleFactory> = FACTORIES,
): WebAssembly.Imports {
  const built = new Map<string, HostModule>();
  const imports: Record<string, Record<string, Hostcall>> = {};
  for (const { module, name, kind } of descriptors) {
    if (kind !== 'function') continue;
    let implemented = built.get(module);
    if (!implemented) {
      implemented = factories[module]?.(ctx) ?? {};
      built.set(module, implemented);
    }
    const fn = implemented[name] ?? unsupported(`${module}.${name}`, module === 'wasi_snapshot_preview1' ? Errno.nosys : Status.unsupported, report);
    (imports[module] ??= {})[name] = ctx.config.trace ? traced(`${module}.${name}`, fn) : fn;
  }
  return imports;
}

function unsupported(qualified: string, status: number, report: ReportUnsupported): Hostcall {
  return () => {
    report(qualified);
    return status;
  };
}

function traced(qualified: string, fn: Hostcall): Hostcall {
  return (...args: never[]) => {
    const result = fn(...args);
    process.stderr.write(`[wasm trace] ${qualified}(${args.map(String).join(', ')}) -> ${String(result)}\n`);
    return result;
  };
}
