/**
 * Load-independent figures for a page-path change: how many hostcalls and clock reads one warm
 * request to each demo page makes inside a build (the runtime reads the clock twice per promise it
 * settles, so clock reads count promises). Unlike CPU time on a shared machine, these do not move
 * with the load, so `bench/wasm-ab.ts` prints them beside its paired CPU medians.
 */
import { startOrigin } from '../origin/start-origin.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { signedVid } from '../src/local-platform/signed-visitor.ts';
import { stackManifest } from '../support/local-stack.ts';
import { startWasmHost } from '../wasm-host/wasm-server.ts';

export interface PageCounts {
  hostcalls: number;
  clockReads: number;
}

/** A timeline line: instance ms, guest ms, clock reads since the previous hostcall, the hostcall. */
const LINE = /^\s+[\d.]+\s+[\d.]+\s+(\d+)\s+\S/;

export function countTimeline(report: string): PageCounts {
  let hostcalls = 0;
  let clockReads = 0;
  for (const line of report.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    hostcalls++;
    clockReads += Number(match[1]);
  }
  return { hostcalls, clockReads };
}

/** The counts of the last of `warm` requests to each page, as the consented demo visitor (or with no cookie at all). */
export async function pageCounts(wasmPath: string, pages: readonly string[], warm = 6, anonymous = false): Promise<Map<string, PageCounts>> {
  const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
  let last = '';
  const host = await startWasmHost({
    manifestPath: stackManifest(origin), wasmPath, host: '127.0.0.1', port: 0, workers: 1, timeline: true,
    stdout: () => undefined,
    guestOutput: (fd, bytes) => {
      if (fd === 2) last = Buffer.from(bytes).toString('utf8');
    },
  });
  try {
    const headers: Record<string, string> = anonymous ? {} : { cookie: `consent=personalization,analytics; vid=${await signedVid(loadManifest(stackManifest(origin)), 'demo-runner')}` };
    const counts = new Map<string, PageCounts>();
    for (const path of pages) {
      for (let i = 0; i < warm; i++) {
        const response = await fetch(`${host.url.replace(/\/$/, '')}${path}`, { headers });
        await response.arrayBuffer();
        await host.settled();
      }
      counts.set(path, countTimeline(last));
    }
    return counts;
  } finally {
    await host.close();
    await origin.close();
  }
}
