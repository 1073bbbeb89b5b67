import { describe, expect, it } from 'vitest';
import { getPage, makePageDeps, PREVIEW_SECRET } from './page-harness.ts';
import { importHmacKey } from '../../../src/core/log/pseudonym.ts';
import { signPreview } from '../../../src/core/experiments/preview.ts';

const SITE = { templates: { '/': { body: '<esi:vars><p>$(SEGMENT) $(VARIANT{hero-copy})</p></esi:vars>' } } };
const future = () => Math.floor(Date.now() / 1000) + 600;

async function link(force: { segment?: string; variants?: Record<string, string>; expires?: number; secret?: string }): Promise<string> {
  const key = await importHmacKey(force.secret ?? PREVIEW_SECRET);
  const token = await signPreview(key, { segment: force.segment ?? null, variants: force.variants ?? {}, expires: force.expires ?? future() });
  return `/?__preview=${token}`;
}

describe('QA preview links', () => {
  it('renders the forced segment and variant, marks preview=1 and logs preview with no exposure', async () => {
    const deps = makePageDeps({ ...SITE, settings: { debugHeaders: false } });
    const { response, text, event } = await getPage(deps, await link({ segment: 'vip', variants: { 'hero-copy': 'bold' } }));
    expect(text).toContain('<p>vip bold</p>');
    expect(response.headers.get('x-personalization')).toContain('preview=1');
    expect(event).toMatchObject({ preview: true, exposed: [], path: '/' });
  });

  it('is never stored in nor served from the page cache', async () => {
    const deps = makePageDeps(SITE);
    await getPage(deps, '/');
    const normal = await getPage(deps, '/');
    expect(normal.event?.pageCache).toBe('HIT');
    const preview = await getPage(deps, await link({ variants: { 'hero-copy': 'bold' } }));
    expect(preview.text).toContain('general bold');
    expect(preview.event?.pageCache).toBe('BYPASS');
    const after = await getPage(deps, '/');
    expect(after.text).toContain('general control');
  });

  it.each([
    { name: 'a bad signature', secret: 'someone-elses-key-0123456789' },
    { name: 'an expired token', expires: 1000 },
  ])('ignores $name: a normal page', async ({ secret, expires }) => {
    const deps = makePageDeps(SITE);
    const { response, text, event } = await getPage(deps, await link({ segment: 'vip', ...(secret ? { secret } : {}), ...(expires ? { expires } : {}) }));
    expect(response.status).toBe(200);
    expect(text).toContain('<p>general control</p>');
    expect(event).not.toHaveProperty('preview');
  });

  it('ignores a token forcing a variant the experiment does not have', async () => {
    const deps = makePageDeps(SITE);
    const { text } = await getPage(deps, await link({ variants: { 'hero-copy': 'nope' } }));
    expect(text).toContain('<p>general control</p>');
  });
});
