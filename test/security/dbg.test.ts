import { it } from 'vitest';
import { startMockStack } from './support/mock-stack.ts';
import { send, ESI_HEADERS } from './support/mock-origin.ts';
import { get } from './support/http-client.ts';
it('dbg', async () => {
  const stack = await startMockStack({ handlers: {
    templates: (r, res) => { const n = Number(r.url.searchParams.get('n')); send(res, 200, `<main>${Array.from({ length: n }, (_, i) => `<esi:include src="/fragments/n?i=${i}"/>`).join('\n')}</main>`, ESI_HEADERS); },
    fragments: (r, res) => send(res, 200, 'f', { 'cache-control': 'public, max-age=60' }) } });
  for (const n of [500, 1000, 2000]) {
    const t = performance.now();
    const r = await get(stack.url(`/x?n=${n}`));
    console.log(n, (performance.now() - t).toFixed(0), r.status, r.body.length);
  }
  await stack.close();
}, 120000);
