/**
 * The page-body port (src/core/esi/page-writer.ts) on both hosts: the web stream the Wasm guest
 * answers with, and the Node host's socket writer. Each takes a page writer's chunks, written
 * before and after the consumer is there, in order, and tells the page when its consumer left.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pageStream, type PageBodies, type PageSink } from '../../src/core/esi/page-writer.ts';
import { SocketPage } from '../../src/node-host/socket-page.ts';

const encoder = new TextEncoder();
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A page that writes `a` at once, `b` and `c` a moment later (as parts where the sink takes them), then ends; it records its cancel and whether a late write threw. */
function testPage(): { start: Parameters<PageBodies>[0]; cancelled: () => unknown; lateWriteThrew: () => Promise<boolean> } {
  let cancelled: unknown = null;
  let sink: PageSink | null = null;
  const start: Parameters<PageBodies>[0] = (s) => {
    sink = s;
    s.write(encoder.encode('a'));
    setTimeout(() => {
      if (cancelled !== null) return;
      if (s.writeParts) s.writeParts([encoder.encode('b'), encoder.encode('c')]);
      else s.write(encoder.encode('bc'));
      s.close();
    }, 20);
    return { report: Promise.resolve('report'), cancel: (reason) => void (cancelled = reason ?? 'cancelled') };
  };
  const lateWriteThrew = async (): Promise<boolean> => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    try {
      sink!.write(encoder.encode('late'));
      return false;
    } catch {
      return true;
    }
  };
  return { start, cancelled: () => cancelled, lateWriteThrew };
}

/** Serves one SocketPage per request (HEAD included) with a head of the test's choosing. */
async function socketServer(respond: (page: SocketPage) => Response): Promise<{ url: string; pages: SocketPage[] }> {
  const pages: SocketPage[] = [];
  const server = createServer((incoming, outgoing) => {
    const page = new SocketPage();
    pages.push(page);
    void page.send(respond(page), outgoing, incoming.method === 'HEAD');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, pages };
}

const HOSTS = [
  ['the web stream (Wasm guest)', 'stream'],
  ['the socket writer (Node host)', 'socket'],
] as const;

describe.each(HOSTS)('%s', (_name, host) => {
  it('delivers the chunks written before and after the consumer is there, in order, then ends', async () => {
    const page = testPage();
    if (host === 'stream') {
      const { body, report } = pageStream(page.start);
      expect(await new Response(body).text()).toBe('abc');
      expect(await report).toBe('report');
      return;
    }
    const { url } = await socketServer((socket) => {
      expect(socket.open(page.start).body).toBeNull();
      return new Response(null, { status: 200, headers: { 'content-type': 'text/plain' } });
    });
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('abc');
  });

  it('cancels the page when its consumer goes away, and a later write throws', async () => {
    const page = testPage();
    if (host === 'stream') {
      const { body } = pageStream(page.start);
      await body.cancel('gone');
    } else {
      const { url } = await socketServer((socket) => {
        socket.open(page.start);
        return new Response(null, { status: 200 });
      });
      await new Promise<void>((resolve) => {
        const req = httpRequest(url, (res) => res.once('data', () => (req.destroy(), resolve())));
        req.end();
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(page.cancelled()).not.toBeNull();
    expect(await page.lateWriteThrew()).toBe(true);
  });
});

describe('the socket writer', () => {
  it('sends no body for HEAD and cancels the page', async () => {
    const page = testPage();
    const { url } = await socketServer((socket) => {
      socket.open(page.start);
      return new Response(null, { status: 200 });
    });
    const response = await fetch(url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(page.cancelled()).not.toBeNull();
  });

  it('sends a response that has a body of its own and cancels the page', async () => {
    const page = testPage();
    const { url } = await socketServer((socket) => {
      socket.open(page.start);
      return new Response('error page', { status: 503 });
    });
    const response = await fetch(url);
    expect([response.status, await response.text()]).toEqual([503, 'error page']);
    expect(page.cancelled()).not.toBeNull();
  });

  it('gives a second page of the same request a web stream', async () => {
    const socket = new SocketPage();
    expect(socket.open(testPage().start).body).toBeNull();
    const second = socket.open(testPage().start);
    expect(second.body).toBeInstanceOf(ReadableStream);
    expect(await new Response(second.body).text()).toBe('abc');
  });
});
