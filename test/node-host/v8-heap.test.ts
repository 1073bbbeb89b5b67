import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/pretenured-count.ts', import.meta.url));
const oldCount = (mode: string): number => Number(execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', fixture, mode], { encoding: 'utf8' }).trim());

describe('tuneV8ForPages (the Node host turns off allocation-site pretenuring)', () => {
  it('V8 pretenures a long-lived site by default (the probe sees it)', () => {
    expect(oldCount('default')).toBeGreaterThan(50);
  }, 30_000);

  it('once tuned, the same site allocates young', () => {
    expect(oldCount('tuned')).toBe(0);
  }, 30_000);
});
