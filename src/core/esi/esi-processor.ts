/**
 * Streaming ESI assembly (the dialect is in docs/contracts.md): reads the template, tokenizes it as bytes, dispatches each
 * include as soon as it is parsed and writes the output in document order, so the bytes before a
 * pending include reach the client at once. Fragments are inserted verbatim, never ESI-processed.
 * Past `MAX_TEMPLATE_BYTES` the rest of the template is not read: open blocks are closed, pending
 * includes settle, and the page ends there. A template read error ends the page the same way.
 * Past `MAX_ESI_ELEMENTS` opening tags the rest are dropped and counted in the report. Problems
 * are counted by kind and reported once per page, as one line.
 */
import type { Settings } from '../config/settings.ts';
import type { AssemblyReport } from './assembly-report.ts';
import { EsiAssembler } from './esi-assembler.ts';
import { MAX_ESI_ELEMENTS } from './esi-limits.ts';
import type { ChunkViews } from './chunk-view.ts';
import { ProblemTally } from './problem-tally.ts';
import { EsiTokenizer } from './esi-tokenizer.ts';
import { variablesRead, type EsiVariables } from './esi-variables.ts';
import type { FragmentFetcher } from './fragment-fetcher.ts';
import { IncludeRunner } from './include-runner.ts';
import { OutputQueue, type DrainSummary } from './output-queue.ts';
import type { Part } from './rendered-part.ts';
import { Later } from './later.ts';
import { decisionParts } from './decision-parts.ts';
import { readTemplate, readWholeTemplate, type ByteTap, type TemplateSource } from './template-reader.ts';
import type { ExposureTracker } from '../experiments/exposure.ts';

export type { AssemblyReport, FragmentReport, FragmentOutcome } from './assembly-report.ts';

export type { ByteTap, TemplateSource, WholeTemplate } from './template-reader.ts';

export interface ProcessEsiOptions {
  /** The template: a stream, or (a cached copy) its bytes read whole (template-reader.ts). */
  body: TemplateSource;
  pageUrl: URL;
  vars: EsiVariables;
  settings: Settings;
  fetchFragment: FragmentFetcher;
  now: () => number;
  /** Called at most once, when the page is done, with a summary of its problems. */
  onProblem?: (problem: string) => void;
  /** How the tokenizer searches chunks (see chunk-view.ts); the byte search by default. */
  views?: ChunkViews;
  /** Records which rendered parts read which experiment's variable. */
  exposure?: ExposureTracker;
  /** The `$(DECISION)` token, asked for once the rest of the page has settled. */
  decisionToken?: () => Promise<string | null>;
  /**
   * Told every chunk written, then the end, or that the page will not be whole (the consumer
   * cancelled): a copy kept this way costs the guest no second stream and its promises per chunk.
   */
  tap?: ByteTap;
  /** The same for the template's bytes as they are read (up to the byte cap, else `fail`). */
  templateTap?: ByteTap;
}

export function processEsi(options: ProcessEsiOptions): { body: ReadableStream<Uint8Array>; report: Promise<AssemblyReport> } {
  const tally = new ProblemTally();
  const problem = (message: string): void => tally.add(message);
  // Objects written out, not spreads: the guest runs a spread as an interpreted loop over the keys.
  const { pageUrl, vars, settings, fetchFragment, now } = options;
  const runner = new IncludeRunner({ pageUrl, vars, settings, fetchFragment, now, problem });
  const templateEnded = new Later<void>();
  const decision = decisionParts(options, templateEnded);
  let queue: OutputQueue | null = null;
  const root = {
    live: true,
    add: (piece: () => Part) => {
      const part = piece();
      decision?.root(part);
      queue!.push(part);
    },
    addBytes: (bytes: Uint8Array) => queue!.push(bytes),
  };
  const assembler = new EsiAssembler({ root, runner, vars: options.vars, problem, exposure: options.exposure, decisionPart: decision?.part });
  const tokenizer = new EsiTokenizer((token) => assembler.handle(token), {
    views: options.views,
    text: (bytes) => assembler.text(bytes),
    keepsCloser: (name) => assembler.closesOpenBlock(name),
    noOpenBlocks: () => assembler.depth === 0,
  });
  const source = options.body;
  const reader = 'whole' in source ? null : source.getReader();
  let cancelled = false;
  let resolveReport: (report: AssemblyReport) => void = () => undefined;
  const report = new Promise<AssemblyReport>((resolve) => (resolveReport = resolve));

  const tap = options.tap;
  const cancel = (): void => {
    cancelled = true;
    tap?.fail();
    options.templateTap?.fail();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (bytes: Uint8Array): void => {
        if (cancelled) return;
        try {
          tap?.add(bytes);
          controller.enqueue(bytes);
        } catch {
          cancel();
        }
      };
      const finished = (summary: DrainSummary): void => {
        if (!cancelled) {
          controller.close();
          tap?.end();
        }
        tally.add(`esi elements past the first ${MAX_ESI_ELEMENTS} dropped`, tokenizer.dropped);
        reportProblems(tally, options.onProblem);
        const facts: AssemblyReport = {
          fragments: runner.entries,
          perVisitor: runner.perVisitor,
          minTtlMs: summary.ttlMs,
          surrogateKeys: summary.surrogateKeys,
          fetches: runner.fetchCount,
          variables: variablesRead(options.vars),
          elementsDropped: tokenizer.dropped,
          decision: null,
        };
        const token = decision?.token() ?? null;
        if (token === null) return resolveReport(facts);
        void token.then((value) => {
          facts.decision = value;
          resolveReport(facts);
        });
      };
      const output = (queue = new OutputQueue(write, finished));
      const reading = { tokenizer, output, problem, cancelled: () => cancelled, batchBytes: options.views?.batchBytes ?? 0, tap: options.templateTap };
      const ended = (): void => {
        assembler.end();
        output.close();
        templateEnded.set(undefined);
      };
      if ('whole' in source) readWholeTemplate(source, reading, ended);
      else readTemplate(reader!, reading, ended);
    },
    cancel(reason) {
      cancel();
      void reader?.cancel(reason).catch(() => undefined);
    },
  });
  return { body, report };
}

function reportProblems(tally: ProblemTally, onProblem: ((problem: string) => void) | undefined): void {
  const summary = tally.summary();
  if (summary === null) return;
  try {
    onProblem?.(summary);
  } catch {
    // A failing problem sink must not break the page.
  }
}
