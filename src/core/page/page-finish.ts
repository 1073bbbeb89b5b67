/**
 * After an assembled page has streamed: its decision event, from the assembly's report, and its
 * copy stored in the page cache when it is shareable (no part per-visitor, every part cacheable,
 * complete), for the smallest TTL of its parts, under the union of their surrogate keys and the
 * pages' own tier key, `edge-pages`: a purge of it drops every assembled page and leaves the
 * template and fragments fresh (after a change to the assembly but not the parts, or to measure it).
 */
import type { EsiVariables } from '../esi/esi-variables.ts';
import type { AssemblyReport } from '../esi/assembly-report.ts';
import type { PageExperiments } from './page-experiments.ts';
import type { PageCache } from './page-cache.ts';
import type { PageFill } from './page-fill.ts';
import type { PageFinisher } from './page-event.ts';
import type { BodyCopy } from './record-body.ts';
import { PAGE_TIER_KEY, storedSurrogateKeys } from '../http/storage-policy.ts';

export interface Finishing {
  run: PageFinisher;
  vars: EsiVariables;
  /** The template's response: its status and surrogate keys are the page's. */
  response: Response;
  pageCache: PageCache;
  fill: PageFill | null;
  report: Promise<AssemblyReport>;
  experiments: PageExperiments;
  recorder: Pick<BodyCopy, 'copy' | 'holes'> | null;
  templateTtl: number | null;
  contentType: string;
}

/** Once the page is complete: logs its event, and stores it when it is shareable. */
export async function finishPage(input: Finishing): Promise<void> {
  const { run, vars, fill, response, report, experiments, recorder, templateTtl, contentType } = input;
  try {
    const result = await report;
    const variation = recorder && shareable(result, vars) ? input.pageCache.variationFor(result.variables) : null;
    const experiment = experiments.outcome(result.decision);
    run.finish(response.status, { fragments: result.fragments, esiDropped: result.elementsDropped, esiOutputCapped: result.outputCapped, experiment });
    // Not shareable (a per-visitor part, a failed include) is the page's own doing. Without a fill
    // (most pages) nothing is awaited: an `await` of nothing still costs a promise job (~10 µs in
    // the Wasm guest).
    if (!variation) return fill ? await input.pageCache.pass(fill) : undefined;
    // The copy is complete only once the client has read the whole page; a client that goes
    // away leaves it incomplete, and then nothing is stored.
    const bytes = recorder ? await recorder.copy : null;
    if (!bytes || templateTtl === null || result.minTtlMs === null) return fill ? await fill.release('abandon') : undefined;
    const surrogateKeys = distinctKeys(storedSurrogateKeys('templates', response.headers), result.surrogateKeys);
    // Its ranked includes' outputs are holes, filled per request (page-holes.ts): no visitor's ranking is stored.
    const page = { body: bytes, status: 200, contentType, experiment, holes: recorder!.holes };
    await input.pageCache.store(variation, vars, page, Math.min(templateTtl, result.minTtlMs), surrogateKeys, fill);
  } finally {
    if (fill) await fill.release('abandon');
  }
}

/** Shareable when nothing in it belongs to one visitor and every part may be cached; a per-visitor part first, which needs no list. */
function shareable(result: AssemblyReport, vars: EsiVariables): boolean {
  if (result.perVisitor) return false;
  const readsVisitor = result.variables.includes('VISITOR') && vars.visitor !== null;
  return !readsVisitor && result.minTtlMs !== null;
}

/**
 * The pages' tier key, then the template's keys, then the parts', each once in the order first
 * seen. The tier key first and uncapped (no part carries it: storage-policy.ts keeps tier keys
 * from origins), so however many keys the parts bring, the page keeps it. Index loops: in the
 * Wasm guest a spread of a `Set` or an array runs the engine's interpreted iterator code.
 */
function distinctKeys(template: readonly string[], parts: readonly string[]): string[] {
  const seen = new Set<string>();
  const keys: string[] = [PAGE_TIER_KEY];
  addNew(keys, seen, template);
  addNew(keys, seen, parts);
  return keys;
}

function addNew(keys: string[], seen: Set<string>, list: readonly string[]): void {
  for (let i = 0; i < list.length; i++) {
    if (seen.has(list[i]!)) continue;
    seen.add(list[i]!);
    keys.push(list[i]!);
  }
}
