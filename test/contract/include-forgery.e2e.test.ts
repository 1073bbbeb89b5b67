/**
 * The SSRF part of the edge contract on every runtime: include sources pointing at other hosts, IP
 * literals, localhost, userinfo, explicit ports or non-http schemes (docs/contracts.md#esi-dialect;
 * docs/threat-model.md#include-ssrf) are refused without any request, and the page still renders.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESI_TEMPLATE_HEADERS, startFixtureServer } from './fixture-server.ts';
import type { FixtureServer } from './fixture-server.ts';
import type { ContractStack } from '../../support/contract/runtime-driver.ts';
import { runtimeDrivers } from './runtime-drivers.ts';

const drivers = await runtimeDrivers('include-forgery.e2e');
const FORGED = readFileSync(new URL('./fixtures/forged-includes.html', import.meta.url), 'utf8');
const FORGED_COUNT = FORGED.split('<esi:include').length - 1;

describe.each(drivers)('include-URL forgery on $name', (driver) => {
  let templates: FixtureServer;
  let stack: ContractStack;

  beforeAll(async () => {
    if (driver.unavailable) return;
    templates = await startFixtureServer({ '/forgery': { headers: ESI_TEMPLATE_HEADERS, body: FORGED } });
    stack = await driver.start({ backends: { templates: { url: templates.url } } });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await templates?.close();
  });

  it.skipIf(driver.unavailable !== null)(
    driver.unavailable ? `skipped: ${driver.unavailable}` : `refuses all ${FORGED_COUNT} forged include sources without a request`,
    async () => {
      const response = await fetch(stack.url('/forgery'));
      const html = await response.text();
      await stack.settled();
      expect(response.status).toBe(200);
      expect(html).toContain('forgery-ok');
      expect(html).not.toContain('<esi:');
      expect(templates.requests).toEqual(['/forgery']);
      expect(stack.origin.requests.count()).toBe(0);
      const fragments = stack.events().at(-1)?.fragments as Array<{ outcome: string }>;
      expect(fragments.map((fragment) => fragment.outcome)).toEqual(Array.from({ length: FORGED_COUNT }, () => 'refused'));
    },
  );
});
