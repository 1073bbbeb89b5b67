/**
 * Starts the local origin: the `templates`, `profiles` and `fragments` backends of docs/contracts.md#names as
 * three real HTTP servers, with shared fault control and a shared request log.
 */
import type { BackendName } from './backend-name.ts';
import { describeFault, type FaultSpec } from './faults/fault.ts';
import { FaultController } from './faults/fault-controller.ts';
import { fragmentsHandler } from './fragments/fragments-handler.ts';
import type { RouteHandler } from './http/origin-response.ts';
import { serveBackend, type BackendServer } from './http/serve-backend.ts';
import { profilesHandler } from './profiles/profiles-handler.ts';
import { RequestLog } from './request-log.ts';
import { templatesHandler } from './templates/templates-handler.ts';

export interface StartOriginOptions {
  /** Ports per backend; 0 or absent picks a free port. */
  templatesPort?: number;
  profilesPort?: number;
  fragmentsPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  faults?: FaultSpec[];
  /** Silences the one-line notices (fault changes, handler errors) printed to stderr. */
  quiet?: boolean;
}

export interface RunningOrigin {
  /** Base URLs with a trailing slash, e.g. `http://127.0.0.1:7070/`. */
  urls: Record<BackendName, string>;
  faults: FaultController;
  requests: RequestLog;
  close(): Promise<void>;
}

/** Why the origin could not start, naming the backend and port (e.g. a port already in use). */
export class OriginStartError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly port: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${backend} could not listen on port ${port}: ${detail}`);
    this.name = 'OriginStartError';
  }
}

const HANDLERS: Record<BackendName, RouteHandler> = {
  templates: templatesHandler,
  profiles: profilesHandler,
  fragments: fragmentsHandler,
};

function startError(backend: BackendName, port: number, error: unknown): OriginStartError {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'ERR';
  const detail = code === 'EADDRINUSE' ? 'the port is already in use' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
  return new OriginStartError(backend, port, code, detail);
}

export async function startOrigin(options: StartOriginOptions = {}): Promise<RunningOrigin> {
  const host = options.host ?? '127.0.0.1';
  const notify = (line: string): void => {
    if (!options.quiet) console.error(line);
  };
  const faults = new FaultController((backend, fault) => notify(`origin ${backend}: fault ${fault ? describeFault(fault) : 'cleared'}`));
  for (const { backend, ...fault } of options.faults ?? []) faults.set(backend, fault);
  const requests = new RequestLog();
  const ports: Record<BackendName, number> = {
    templates: options.templatesPort ?? 0,
    profiles: options.profilesPort ?? 0,
    fragments: options.fragmentsPort ?? 0,
  };
  const started: BackendServer[] = [];
  const listen = async (backend: BackendName): Promise<BackendServer> => {
    try {
      const server = await serveBackend({ backend, handler: HANDLERS[backend], faults, requests, host, port: ports[backend], onError: notify });
      started.push(server);
      return server;
    } catch (error) {
      await Promise.all(started.map((server) => server.close()));
      throw startError(backend, ports[backend], error);
    }
  };
  const templates = await listen('templates');
  const profiles = await listen('profiles');
  const fragments = await listen('fragments');
  return {
    urls: { templates: templates.url, profiles: profiles.url, fragments: fragments.url },
    faults,
    requests,
    close: async () => {
      await Promise.all(started.map((server) => server.close()));
    },
  };
}
