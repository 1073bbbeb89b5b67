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
import { openProfileStore, type ProfileStoreConfig } from './profiles/open-profile-store.ts';
import type { ProfileStore } from './profiles/profile-store.ts';
import { RequestLog } from './request-log.ts';
import { templatesHandler } from './templates/templates-handler.ts';
import { CandidateStore } from './recs/candidate-store.ts';

export interface StartOriginOptions {
  /** Ports per backend; 0 or absent picks a free port. */
  templatesPort?: number;
  profilesPort?: number;
  fragmentsPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  faults?: FaultSpec[];
  /** The profile store; absent: the embedded store, in memory only, seeded with the demo dataset. */
  profileStore?: ProfileStoreConfig;
  /** Silences the one-line notices (fault changes, handler errors) printed to stderr. */
  quiet?: boolean;
}

export interface RunningOrigin {
  /** Base URLs with a trailing slash, e.g. `http://127.0.0.1:7070/`. */
  urls: Record<BackendName, string>;
  faults: FaultController;
  requests: RequestLog;
  /** The recommendation lists the fragments backend serves (`npm run recs` publishes new ones). */
  candidates: CandidateStore;
  profiles: ProfileStore;
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

const PROFILES_MAX_BODY_BYTES = 64 * 1024;

function handlers(store: ProfileStore, candidates: CandidateStore): Record<BackendName, RouteHandler> {
  const readProfile = async (id: string) => {
    const found = await store.get(id);
    return found.ok ? found.profile : null;
  };
  return { templates: templatesHandler, profiles: profilesHandler(store), fragments: fragmentsHandler(candidates, readProfile) };
}

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
  const candidates = new CandidateStore();
  const ports: Record<BackendName, number> = {
    templates: options.templatesPort ?? 0,
    profiles: options.profilesPort ?? 0,
    fragments: options.fragmentsPort ?? 0,
  };
  const store = await openProfileStore(options.profileStore);
  const routes = handlers(store, candidates);
  const started: BackendServer[] = [];
  const listen = async (backend: BackendName): Promise<BackendServer> => {
    try {
      // The profile service reads batches up to 32 KiB itself (400 past it); far larger bodies never reach it.
      const maxBodyBytes = backend === 'profiles' ? PROFILES_MAX_BODY_BYTES : undefined;
      const candidateStore = backend === 'fragments' ? candidates : undefined;
      const server = await serveBackend({ backend, handler: routes[backend], faults, requests, candidates: candidateStore, host, port: ports[backend], onError: notify, maxBodyBytes });
      started.push(server);
      return server;
    } catch (error) {
      await Promise.all(started.map((server) => server.close()));
      await store.close();
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
    candidates,
    profiles: store,
    close: async () => {
      await Promise.all(started.map((server) => server.close()));
      await store.close();
    },
  };
}
