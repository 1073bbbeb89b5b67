/**
 * `npm run wasm:timeline -- [PATH] [--requests N] [--anonymous] [--purge KEY]`: runs bin/main.wasm on the Wasm
 * host against the local origin, requests PATH N times (default 8, so the edge caches are warm, as
 * in production) as the consented demo visitor, and prints the last request's hostcall timeline
 * (wasm-host/hostcall-timeline.ts): where the guest's CPU goes between the platform calls it makes.
 * `--purge KEY` purges surrogate key KEY just before the last request (`--purge edge-pages`: the
 * timeline of a page-cache miss, the template and fragments still cached).
 *
 * Each guest write to stdout (`console.log`) is shown in the timeline with its text, in place of its
 * `wasi.fd_write`: a `console.log('here')` placed in the code for a probe build splits the guest
 * time between two hostcalls into named steps (each such write costs the guest ~30 µs itself).
 *
 * The config store holds the `settings` document exactly as the demo ships it (fastly.toml), as in
 * the paired benches: the build-time warm-up parsed that text into the snapshot, so the timeline
 * shows no settings validation a deployed request would not pay (the local stack's relaxed
 * budgets cost each request ~0.2 ms of it).
 */
import { startOrigin } from '../origin/start-origin.ts';
import { loadManifest } from '../src/local-platform/manifest.ts';
import { consentingVisitorCookie } from '../src/local-platform/signed-visitor.ts';
import { stackManifest } from '../support/local-stack.ts';
import { SHIPPED_CONFIG } from '../src/fastly/shipped-config.ts';
import { ensureWasm } from '../wasm-host/wasm-build.ts';
import { DEFAULT_WASM_PATH, startWasmHost } from '../wasm-host/wasm-server.ts';
import { exitWith, parseCli } from './lib/cli-args.ts';

const SPEC = {
  name: 'wasm:timeline',
  usage: 'usage: npm run wasm:timeline -- [PATH] [--requests N] [--anonymous] [--purge KEY]\n  prints the hostcall timeline of the last of N requests to PATH (default /) inside bin/main.wasm,\n  purging surrogate key KEY just before the last',
  options: { requests: { type: 'string', default: '8' }, anonymous: { type: 'boolean', default: false }, purge: { type: 'string' } },
  positionals: { min: 0, max: 1 },
} as const;

const { values, positionals } = parseCli(SPEC);
const path = positionals[0] ?? '/';
const requests = Number(values.requests);
if (!path.startsWith('/')) exitWith(`wasm:timeline: PATH must start with "/"; ${SPEC.usage.split('\n')[0]}`, 2);
if (!Number.isInteger(requests) || requests < 1 || requests > 1000) exitWith(`wasm:timeline: --requests must be 1–1000; ${SPEC.usage.split('\n')[0]}`, 2);

await ensureWasm(DEFAULT_WASM_PATH, (line) => console.error(line));
const origin = await startOrigin({ templatesPort: 0, profilesPort: 0, fragmentsPort: 0, quiet: true });
const manifestPath = stackManifest(origin, { config: { settings: SHIPPED_CONFIG.settings } });
let last = '';
/** The last request's guest stdout writes, in order: one per `wasi.fd_write` in its timeline. */
let written: string[] = [];
const host = await startWasmHost({
  manifestPath,
  host: '127.0.0.1',
  port: 0,
  workers: 1,
  timeline: true,
  stdout: () => undefined,
  guestOutput: (fd, bytes) => {
    if (fd === 2) last = Buffer.from(bytes).toString('utf8');
    else written.push(Buffer.from(bytes).toString('utf8').trim());
  },
});
try {
  const cookie = values.anonymous ? '' : await consentingVisitorCookie(loadManifest(manifestPath), 'demo-runner');
  let status = 0;
  for (let i = 0; i < requests; i++) {
    written = [];
    if (values.purge !== undefined && i === requests - 1) await host.purge(values.purge);
    const response = await fetch(`${host.url.replace(/\/$/, '')}${path}`, { headers: cookie ? { cookie } : {} });
    await response.arrayBuffer();
    status = response.status;
    await host.settled();
  }
  let next = 0;
  const timeline = last.replace(/wasi\.fd_write/g, (call) => (next < written.length ? `stdout ${JSON.stringify(written[next++])}` : call));
  process.stdout.write(`${path} (${values.anonymous ? 'anonymous' : 'consented demo visitor'}, request ${requests} of ${requests}${values.purge === undefined ? '' : `, ${values.purge} purged before it`}, status ${status})\n${timeline}`);
} finally {
  await host.close();
  await origin.close();
}
