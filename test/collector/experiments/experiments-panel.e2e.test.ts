import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CHROMIUM, hasBrowser, launchChromium } from '../../support/headless-chromium.ts';
import { startCollector, type RunningCollector } from '../../../collector/server/collector-server.ts';
import { HERO, RECS, specsOf, syntheticLog } from './synthetic-log.ts';

let browser: Browser;
let collector: RunningCollector;

beforeAll(async () => {
  if (!hasBrowser) return;
  collector = await startCollector({ port: 0, host: '127.0.0.1', outFile: null, experiments: specsOf([HERO, RECS]) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

describe.skipIf(!hasBrowser)(`experiments panel in headless Chromium (skipped: no browser at ${CHROMIUM})`, () => {
  it('shows each variant with its lift, and a loud SRM alert once a mismatch arrives live', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(collector.url);
    await expect.poll(() => page.locator('#experiments-panel .xp-experiment').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('#experiments-panel [role="alert"]').count()).toBe(0);

    for (const line of syntheticLog({ seed: 2, visitors: 4000, experiments: [HERO, { ...RECS, lost: { grid: 0.3 } }] })) collector.ingestLine(line);
    const alert = page.locator('#experiments-panel .xp-experiment--srm [role="alert"]');
    await expect.poll(() => alert.count(), { timeout: 15_000 }).toBe(1);
    expect(await alert.textContent()).toContain('Sample ratio mismatch');
    expect(await page.locator('#experiments-panel .xp-experiment--srm h3').textContent()).toContain('recs-layout');
    expect(await page.locator('#experiments-panel .xp-up').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
