import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { analyzeLog } from '../../../collector/report/analyze-log.ts';
import { terminalReport } from '../../../collector/report/terminal-report.ts';
import { htmlReport } from '../../../collector/report/html-report.ts';
import { Aggregates } from '../../../collector/aggregates/aggregates.ts';
import { decisionEvent } from '../event-lines.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/mixed-events.txt', import.meta.url));

describe('offline report', () => {
  it('reads both line formats and counts garbage by reason', async () => {
    const snapshot = await analyzeLog(FIXTURE);
    expect(snapshot.totals).toEqual({ decisions: 80, impressions: 40, clicks: 20, rejected: 9 });
    expect(snapshot.rejected['invalid JSON']).toBe(2);
    expect(snapshot.rejected['line too long']).toBe(1);
  });

  it('prints a terminal summary with every section', async () => {
    const text = terminalReport(await analyzeLog(FIXTURE));
    expect(text).toContain('page views 80   impressions 40   clicks 20   rejected lines 9');
    for (const section of ['segment mix', 'profile outcomes', 'cache hit ratios', 'latency ms', 'fragments', 'experiments', 'rejected lines by reason']) {
      expect(text).toContain(section);
    }
    expect(text).toMatch(/hero-copy:bold\s+44\s+22\s+9\s+40\.9%/);
  });

  it('writes a self-contained HTML report with the snapshot embedded', async () => {
    const html = htmlReport(await analyzeLog(FIXTURE), 'mixed-events.txt');
    expect(html).not.toMatch(/<script src=|<link rel="stylesheet" href=/);
    expect(html).toContain('<script type="application/json" id="snapshot">{"totals":{"decisions":80');
  });

  it('cannot be broken out of by a value that closes the script element', () => {
    const aggregates = new Aggregates();
    aggregates.addDecision(decisionEvent({ fragments: [{ src: '</script><script>alert(1)</script>', outcome: 'ok', ms: 1, cache: 'HIT' }] }));
    const html = htmlReport(aggregates.snapshot(), '<b>x</b>');
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).toContain('<title>Edge personalization report: &lt;b&gt;x&lt;/b&gt;</title>');
  });
});
