/**
 * A person's path through the demo store in headless Chromium, end to end over the real local
 * stack (origin, Node-host edge, collector): the consent banner on a first visit, accepting,
 * browsing running shoes, adding to the basket, checking out, then the dashboard showing the
 * exposure and the time series moving. Writes screenshots to .screenshots/ (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCollector, type RunningCollector } from '../../collector/server/collector-server.ts';
import { useLocalStack } from './use-local-stack.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const hasBrowser = existsSync(CHROMIUM);
const SHOTS = '.screenshots';

let browser: Browser;
let collector: RunningCollector | null = null;
// The edge's log lines go to the collector as they are printed, so the dashboard moves with the visit.
const stack = useLocalStack({ onLine: (line) => void collector?.ingestLine(line) });
const beacons: Array<{ type: string; status: number }> = [];

beforeAll(async () => {
  if (!hasBrowser) return;
  mkdirSync(SHOTS, { recursive: true });
  collector = await startCollector({ port: 0, host: '127.0.0.1', outFile: null, pushIntervalMs: 50 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

function dashboard(): string {
  if (collector === null) throw new Error('the collector is not running yet');
  return collector.url;
}

function store(path: string): string {
  return new URL(path, stack.edge.url).href;
}

async function watch(page: Page, errors: string[]): Promise<void> {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(stack.edge.url) && !request.url().startsWith(dashboard())) errors.push(`foreign request ${request.url()}`);
  });
  // Intercepted, so the sendBeacon Blob body is readable; the beacon still goes to the edge.
  await page.route('**/__beacon', async (route) => {
    const body = route.request().postDataBuffer()?.toString('utf8') ?? '{}';
    const type = (JSON.parse(body) as { type?: string }).type ?? '';
    const response = await route.fetch();
    beacons.push({ type, status: response.status() });
    await route.fulfill({ response });
  });
}

describe.skipIf(!hasBrowser)(`a person's path through the store (skipped: no browser at ${CHROMIUM})`, () => {
  it('shows the banner, accepts, browses running shoes, adds to the basket and checks out', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    await watch(page, errors);

    await page.goto(store('/'));
    const banner = page.locator('[data-consent-banner]');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await page.locator('input[name=personalization]').isChecked()).toBe(false);
    await page.screenshot({ path: `${SHOTS}/store-1280-first-visit.png` });
    await banner.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => banner.isVisible()).toBe(false);
    expect((await context.cookies()).find((c) => c.name === 'consent')?.value).toBe('personalization,analytics');

    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Shoes' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Shoes');
    expect(await page.locator('.category-grid .product-card').count()).toBeGreaterThan(4);
    expect(await page.locator('.category-grid .product-card__price').first().textContent()).toMatch(/^£\d/);
    await page.screenshot({ path: `${SHOTS}/store-1280-category.png`, fullPage: true });
    await page.locator('.category-grid .product-card a').first().click();
    await page.waitForURL(/\/product\/shoes\//);

    await page.getByRole('button', { name: 'Add to basket' }).click();
    await expect.poll(() => page.locator('.site-header [data-cart-count]').textContent()).toBe('1');
    await page.screenshot({ path: `${SHOTS}/store-1280-product.png` });

    await page.locator('.site-header__cart').click();
    await page.waitForURL(/\/cart$/);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
    const total = await page.locator('.cart__total').textContent();
    expect(total).toMatch(/^£\d/);
    await page.screenshot({ path: `${SHOTS}/store-1280-basket.png` });
    await page.getByRole('button', { name: /Check out/ }).click();
    await expect.poll(() => page.locator('.order__id').textContent()).toMatch(/^TS-\d{6}$/);
    expect(await page.locator('.order__total').textContent()).toBe(total);
    await expect.poll(() => page.locator('.site-header [data-cart-count]').textContent()).toBe('');
    await page.screenshot({ path: `${SHOTS}/store-1280-order.png` });
    await expect.poll(() => beacons.map((b) => b.type)).toContain('purchase');
    expect(beacons.map((b) => b.type)).toContain('add_to_cart');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lays out two products a row at 375 px, with the banner reachable again from the footer', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(store('/'));
    await page.screenshot({ path: `${SHOTS}/store-375-first-visit.png` });
    await page.locator('[data-consent-banner]').getByRole('button', { name: 'Reject all' }).click();
    await page.waitForLoadState('load');
    expect((await context.cookies()).find((c) => c.name === 'consent')?.value).toBe('none');
    await page.goto(store('/category/running'));
    const cards = page.locator('.category-grid .product-card');
    const [first, second] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
    expect(second?.y).toBe(first?.y);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${SHOTS}/store-375-category.png`, fullPage: true });
    await page.locator('footer [data-consent-open]').click();
    await expect.poll(() => page.locator('[data-consent-banner]').isVisible()).toBe(true);
    await context.close();
  });

  it('shows the visit on the dashboard: exposures, page views and the time series moving', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(dashboard());
    await expect.poll(async () => Number(await page.locator('#headline-pages').textContent()), { timeout: 10_000 }).toBeGreaterThan(3);
    const exposures = await page.locator('#table-experiments tbody tr td:nth-child(3)').allTextContents();
    expect(exposures.map(Number).some((n) => n > 0)).toBe(true);
    expect(Number(await page.locator('#series-rps').getAttribute('data-points'))).toBeGreaterThan(10);
    const before = Number(await page.locator('#headline-pages').textContent());
    await fetch(store('/category/running')).then((r) => r.text());
    await expect.poll(async () => Number(await page.locator('#headline-pages').textContent()), { timeout: 10_000 }).toBe(before + 1);
    await page.locator('[data-window="1h"]').click();
    expect(await page.locator('body').getAttribute('data-selected-window')).toBe('1h');
    // The order reaches the dashboard as a `purchase` beacon; until the edge accepts conversion
    // beacons (schema v2) it answers 400 and there is no order to show.
    const purchase = beacons.find((b) => b.type === 'purchase');
    expect(purchase).toBeDefined();
    if (purchase?.status === 204) {
      await expect.poll(async () => Number(await page.locator('#headline-orders').textContent()), { timeout: 10_000 }).toBeGreaterThan(0);
    }
    await page.screenshot({ path: `${SHOTS}/dashboard-1280.png`, fullPage: true });
    await page.close();
  });
});
