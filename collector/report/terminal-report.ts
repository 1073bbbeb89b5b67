/** The aggregates as a plain-text terminal summary (the offline report's console output). */
import type { AggregateSnapshot, Ratio } from '../aggregates/aggregate-snapshot.ts';

export function terminalReport(s: AggregateSnapshot): string {
  const out: string[] = [];
  out.push(`page views ${s.totals.decisions}   impressions ${s.totals.impressions}   clicks ${s.totals.clicks}   rejected lines ${s.totals.rejected}`);
  out.push('', 'segment mix', ...shares(s.segments));
  out.push('', 'profile outcomes', ...shares(s.profileOutcomes));
  out.push('', 'cache hit ratios', ...(['template', 'fragment', 'page'] as const).map((tier) => `  ${tier.padEnd(24)} ${ratio(s.cache[tier])}`));
  out.push('', 'latency ms              count     ttfb p50/p95/p99        total p50/p95/p99');
  for (const row of s.latency) {
    out.push(`  ${row.pageCache.padEnd(22)}${String(row.count).padStart(6)}     ${triple(row.ttfb).padEnd(24)}${triple(row.total)}`);
  }
  out.push('', 'fragments               total  failures  failure rate');
  for (const f of s.fragments) out.push(`  ${f.src.padEnd(22)}${String(f.total).padStart(6)}${String(f.failures).padStart(10)}  ${pct(f.failureRate)}`);
  out.push('', 'experiments             exposures  impressions  clicks  CTR     95% CI');
  for (const e of s.experiments) {
    const ci = e.ctrLow === null || e.ctrHigh === null ? '–' : `${pct(e.ctrLow)} – ${pct(e.ctrHigh)}`;
    out.push(`  ${`${e.experiment}:${e.variant}`.padEnd(22)}${String(e.exposures).padStart(10)}${String(e.impressions).padStart(13)}${String(e.clicks).padStart(8)}  ${(e.ctr === null ? '–' : pct(e.ctr)).padEnd(8)}${ci}`);
  }
  if (s.totals.rejected > 0) {
    out.push('', 'rejected lines by reason');
    for (const [reason, count] of Object.entries(s.rejected)) out.push(`  ${String(count).padStart(6)}  ${reason}`);
  }
  return out.join('\n');
}

function shares(map: Record<string, number>): string[] {
  const total = Object.values(map).reduce((sum, n) => sum + n, 0);
  return Object.entries(map).sort(([, a], [, b]) => b - a).map(([key, n]) => `  ${key.padEnd(24)}${String(n).padStart(6)}  ${pct(total === 0 ? 0 : n / total)}`);
}

function ratio(r: Ratio): string {
  return r.ratio === null ? `–  (0 of 0)` : `${pct(r.ratio)}  (${r.hits} of ${r.total})`;
}

function triple(p: Record<string, number | null>): string {
  return ['p50', 'p95', 'p99'].map((k) => (p[k] ?? null) === null ? '–' : String(p[k])).join(' / ');
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
