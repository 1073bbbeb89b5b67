/**
 * A tiny probe guest, compiled with the project's js-compute-runtime, that reports platform facts the
 * product cannot show through its HTTP surface (which builtins exist, what `fetch` does with an
 * unknown backend, what `Response.cached` says, how many backend requests one execution may send).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The guest's source: plain JS, bundled by js-compute-runtime (the `fastly` build condition). */
export const PROBE_GUEST_SOURCE = `
import { CacheOverride } from 'fastly:cache-override';
addEventListener('fetch', (event) => event.respondWith(probe(new URL(event.request.url))));
const asset = 'http://www.example.com/static/site.css';
async function settle(work) {
  try { return { ok: true, value: await work() }; } catch (error) { return { ok: false, error: String(error.name) + ': ' + String(error.message) }; }
}
async function probe(url) {
  const out = { responseClone: typeof Response.prototype.clone, requestClone: typeof Request.prototype.clone };
  if (url.pathname === '/cached') {
    const first = await fetch(asset, { backend: 'templates' });
    await first.arrayBuffer();
    const second = await fetch(asset, { backend: 'templates' });
    await second.arrayBuffer();
    out.cached = [String(first.cached), String(second.cached)];
  }
  if (url.pathname === '/hooks') {
    const calls = [];
    const hooked = () => new CacheOverride({
      beforeSend() { calls.push('beforeSend'); },
      afterSend(response) { calls.push('afterSend ' + response.status); response.surrogateKeys = ['probe-tag']; response.ttl = 120; },
    });
    out.hooks = await settle(async () => {
      const first = await fetch(asset + '?hooks', { backend: 'templates', cacheOverride: hooked() });
      await first.arrayBuffer();
      const second = await fetch(asset + '?hooks', { backend: 'templates', cacheOverride: hooked() });
      await second.arrayBuffer();
      return { cached: [String(first.cached), String(second.cached)], stale: String(second.stale), surrogateKeys: second.surrogateKeys, ttlAtMost120: second.ttl <= 120, calls };
    });
  }
  if (url.pathname === '/unknown-backend') out.unknownBackend = await settle(() => fetch(asset, { backend: 'no-such-backend' }));
  if (url.pathname === '/first-byte-profiles') out.firstByte = await settle(async () => (await fetch('http://profiles.example.com/profiles/x', { backend: 'profiles' })).status);
  if (url.pathname === '/backend-limit') {
    const statuses = [];
    for (let i = 0; i < 33; i++) {
      const result = await settle(async () => { const r = await fetch(asset + '?n=' + i, { backend: 'templates', cacheOverride: new CacheOverride('pass') }); await r.arrayBuffer(); return r.status; });
      statuses.push(result.ok ? result.value : result.error);
    }
    out.backendRequests = statuses;
  }
  return new Response(JSON.stringify(out), { headers: { 'content-type': 'application/json' } });
}
`;

/** Compiles the probe guest once per source version and build flags into the temp dir; returns its path. */
export async function buildProbeGuest(flags: readonly string[] = []): Promise<string> {
  const hash = createHash('sha256').update(PROBE_GUEST_SOURCE).update(flags.join(' ')).digest('hex').slice(0, 16);
  const wasm = join(tmpdir(), `contract-probe-${hash}.wasm`);
  if (existsSync(wasm)) return wasm;
  const source = join(tmpdir(), `contract-probe-${hash}.js`);
  const partial = `${wasm}.${process.pid}.partial`;
  writeFileSync(source, PROBE_GUEST_SOURCE);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('node_modules/.bin/js-compute-runtime', [...flags, source, partial], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`probe guest build failed: ${errors.trim().split('\n').pop() ?? code}`))));
  });
  renameSync(partial, wasm);
  return wasm;
}
