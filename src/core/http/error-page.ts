/** The plain error page of docs/contracts.md#failure-policy: small, self-contained and never cached. */
export function errorPage(status: number, message: string): Response {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${status}</title></head><body><h1>${status}</h1><p>${message}</p></body></html>`;
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' },
  });
}
