/**
 * `npm run load [-- --duration S --rate N --visitors N]`: a constant-arrival-rate load test of the
 * local stack (jittered local origin, Node-host edge in a child process); prints the report as a
 * table and as one JSON line. Exits 1 on any error or cross-visitor leak.
 */
import { runLoad } from '../load/run-load.ts';

function flags(argv: readonly string[]): { rate: number; durationS: number; visitors: number } {
  const values = new Map<string, number>([['rate', 50], ['duration', 10], ['visitors', 200]]);
  for (let i = 0; i < argv.length; i += 2) {
    const name = (argv[i] ?? '').replace(/^--/, '');
    const value = Number(argv[i + 1] ?? '');
    if (!values.has(name) || !Number.isFinite(value) || value <= 0) {
      throw new Error(`bad flag ${argv[i] ?? ''} ${argv[i + 1] ?? ''} (expected --duration S, --rate N, --visitors N)`);
    }
    values.set(name, value);
  }
  return { rate: values.get('rate') ?? 50, durationS: Math.min(values.get('duration') ?? 10, 600), visitors: Math.min(values.get('visitors') ?? 200, 10_000) };
}

try {
  const { rate, durationS, visitors } = flags(process.argv.slice(2));
  console.log(`load: ${rate} req/s for ${durationS} s, ${visitors} consenting visitors + anonymous, jittered local origin`);
  const report = await runLoad({ rate, durationMs: durationS * 1000, visitors });
  const rows: Record<string, number | string> = { ...report };
  console.table(Object.entries(rows).map(([metric, value]) => ({ metric, value })));
  console.log(JSON.stringify(report));
  process.exitCode = report.errors > 0 || report.leaks > 0 ? 1 : 0;
} catch (error) {
  console.error(`load: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
