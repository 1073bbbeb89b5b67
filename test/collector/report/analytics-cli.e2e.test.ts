import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = join(ROOT, 'test/collector/fixtures/mixed-events.txt');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

describe('npm run analytics', () => {
  it('prints the summary and writes the HTML report where --html says', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'analytics-')), 'report.html');
    const { stdout } = await run(TSX, ['scripts/analytics.ts', FIXTURE, '--html', out], { cwd: ROOT });
    expect(stdout).toContain('page views 80');
    expect(stdout).toContain(`HTML report: ${out}`);
    expect(readFileSync(out, 'utf8')).toContain('id="snapshot"');
  });

  it('exits 2 with a one-line message for a missing file', async () => {
    const error = await run(TSX, ['scripts/analytics.ts', '/nonexistent/log'], { cwd: ROOT }).then(() => null, (e: unknown) => e as { code: number; stderr: string });
    expect(error?.code).toBe(2);
    expect(error?.stderr.trim()).toBe('analytics: /nonexistent/log: no such file');
  });
});
