/**
 * V8 tuning for a process that serves pages (the Node host; the benchmarks that run its code).
 *
 * V8 pretenures by allocation site: a site whose objects all survived one young-generation
 * collection is then allocated straight into the old generation. A page's objects are short-lived,
 * but some are alive when a collection runs, and once one of their sites is tenured
 * the dead old copies point at the page's young objects, which the next collection must keep
 * (old-to-young pointers are roots there), so their sites look long-lived too and are tenured in
 * turn. The cascade does not undo itself, and whether it starts is luck: on the 2 KB / 3-include
 * ESI page, when it had started, 8.7 of each page's 17.8 KB was freed only by mark-compacts, GC
 * took ~45% of the CPU profile and a page ~19 µs instead of ~8.5 µs (docs/performance.md, "Ninth
 * round"). Without allocation-site pretenuring every page object dies young. The flag is read at
 * each collection, so setting it at start-up takes effect (test/node-host/v8-heap.test.ts); it is
 * process-wide.
 */
import v8 from 'node:v8';

let tuned = false;

/** Turns allocation-site pretenuring off for this process; later calls do nothing. */
export function tuneV8ForPages(): void {
  if (tuned) return;
  tuned = true;
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
