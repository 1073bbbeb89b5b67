import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startCollector, type RunningCollector } from '../../../collector/server/collector-server.ts';
import { clickEvent, clickLine, decisionEvent, decisionLine } from '../event-lines.ts';

let collector: RunningCollector;
const outFile = join(mkdtempSync(join(tmpdir(), 'collector-')), 'events.ndjson');

beforeAll(async () => {
  collector = await startCollector({ port: 0, host: '127.0.0.1', outFile, serviceIds: ['SU1Z0isxPaozGVKXdv0eY'], maxBatchBytes: 64 * 1024, pushIntervalMs: 20 });
});
afterAll(async () => {
  await collector.close();
});

const post = (path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/x-ndjson' }) =>
  fetch(new URL(path, collector.url), { method: 'POST', body, headers });

describe('collector server', () => {
  it('answers the Fastly challenge with the SHA-256 hex of the service id', async () => {
    const response = await fetch(new URL('/.well-known/fastly/logging/challenge', collector.url));
    expect(response.status).toBe(200);
    expect((await response.text()).split('\n')).toContain(createHash('sha256').update('SU1Z0isxPaozGVKXdv0eY').digest('hex'));
  });

  it('accepts an NDJSON batch, counting garbage lines as rejected', async () => {
    const before = collector.aggregates().totals;
    const batch = [JSON.stringify(decisionEvent()), 'garbage', JSON.stringify(clickEvent()), '{"v":1', ''].join('\n');
    const response = await post('/ingest', batch);
    expect(await response.json()).toEqual({ accepted: 2, rejected: 2 });
    const after = collector.aggregates().totals;
    expect(after.decisions - before.decisions).toBe(1);
    expect(after.clicks - before.clicks).toBe(1);
    expect(after.rejected - before.rejected).toBe(2);
  });

  it('accepts a JSON array batch (json_format 1) on an endpoint path', async () => {
    const response = await post('/ingest/clickstream', JSON.stringify([clickEvent({ type: 'impression' }), clickEvent()]), { 'content-type': 'application/json' });
    expect(await response.json()).toEqual({ accepted: 2, rejected: 0 });
  });

  it('inflates a gzip batch', async () => {
    const response = await post('/ingest', gzipSync(`${JSON.stringify(decisionEvent({ segment: 'gzipped' }))}\n`), { 'content-encoding': 'gzip' });
    expect(await response.json()).toEqual({ accepted: 1, rejected: 0 });
    expect(collector.aggregates().segments.gzipped).toBe(1);
  });

  it('refuses a batch over the cap with 413 and counts nothing', async () => {
    const before = collector.aggregates().totals;
    const response = await post('/ingest', `${JSON.stringify(decisionEvent())}\n`.repeat(200));
    expect(response.status).toBe(413);
    expect(collector.aggregates().totals).toEqual(before);
  });

  it('refuses an unknown ingest path with 404', async () => {
    expect((await post('/elsewhere', JSON.stringify(decisionEvent()))).status).toBe(404);
  });

  it('ingests stdout-format lines in process and appends only accepted events to the file', async () => {
    expect(collector.ingestLine(decisionLine({ requestId: 'in-process' }))).toBe(true);
    expect(collector.ingestLine('personalization_events :: {oops')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = readFileSync(outFile, 'utf8').trim().split('\n');
    expect(lines.every((line) => line.startsWith('personalization_events :: {') || line.startsWith('clickstream :: {'))).toBe(true);
    expect(lines.some((line) => line.includes('"in-process"'))).toBe(true);
    expect(lines.some((line) => line.includes('{oops'))).toBe(false);
  });

  it('serves the dashboard with a same-origin content security policy', async () => {
    const response = await fetch(collector.url);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('<script src="dashboard.js"></script>');
  });

  it('pushes a new snapshot over Server-Sent Events when an event arrives', async () => {
    const response = await fetch(new URL('/api/stream', collector.url));
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const snapshots: Array<{ totals: { clicks: number } }> = [];
    let buffer = '';
    const nextSnapshot = async () => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6)) as { totals: { clicks: number } };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += value;
      }
    };
    snapshots.push(await nextSnapshot());
    collector.ingestLine(clickLine());
    snapshots.push(await nextSnapshot());
    await reader.cancel();
    expect(snapshots[1]!.totals.clicks).toBe(snapshots[0]!.totals.clicks + 1);
  });
});
