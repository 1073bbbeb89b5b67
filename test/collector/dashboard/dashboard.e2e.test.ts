import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startCollector, type RunningCollector } from '../../../collector/server/collector-server.ts';
import { clickLine, decisionLine } from '../event-lines.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const hasBrowser = existsSync(CHROMIUM);

let browser: Browser;
let collector: RunningCollector;

beforeAll(async () => {
  if (!hasBrowser) return;
  collector = await startCollector({ port: 0, host: '127.0.0.1', outFile: null, pushIntervalMs: 20 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe.skipIf(!hasBrowser)(`dashboard in headless Chromium (skipped: no browser at ${CHROMIUM})`, () => {
  it('draws the charts and redraws them live when a new event arrives', async () => {
    collector.ingestLine(decisionLine({ segment: 'vip' }));
    collector.ingestLine(decisionLine({ segment: 'general', pageCache: 'HIT', fragments: [] }));
    collector.ingestLine(clickLine({ type: 'impression' }));
    const page = await browser.newPage();
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(collector.url)) foreign.push(request.url());
    });
    await page.goto(collector.url);

    const vip = page.locator('svg[data-chart="segments"] rect[data-key="vip"]');
    await expect.poll(() => vip.getAttribute('data-value'), { timeout: 10_000 }).toBe('1');
    for (const chart of ['profile-outcomes', 'cache', 'latency', 'fragments', 'experiments']) {
      expect(await page.locator(`svg[data-chart="${chart}"] [data-key]`).count(), chart).toBeGreaterThan(0);
    }
    const width = Number(await vip.getAttribute('width'));
    expect(width).toBeGreaterThan(0);
    expect(await page.locator('#status').getAttribute('data-state')).toBe('live');

    collector.ingestLine(decisionLine({ segment: 'vip' }));
    collector.ingestLine(decisionLine({ segment: 'runner' }));
    await expect.poll(() => vip.getAttribute('data-value'), { timeout: 10_000 }).toBe('2');
    await expect.poll(() => page.locator('svg[data-chart="segments"] rect[data-key="runner"]').count()).toBe(1);
    expect(await page.locator('#total-decisions').textContent()).toBe('4');
    collector.ingestLine(clickLine());
    await expect.poll(() => page.locator('#table-experiments tbody td').nth(4).textContent(), { timeout: 10_000 }).toBe('1');

    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
