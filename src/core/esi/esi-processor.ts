/**
 * Streaming ESI assembly (the dialect is in docs/contracts.md): reads the template, tokenizes it as bytes, dispatches
 * each include as soon as it is parsed and writes the output in document order, so the bytes before a pending include
 * reach the client at once. Fragments are inserted verbatim, never ESI-processed. Past `MAX_TEMPLATE_BYTES` the rest
 * of the template is not read: open blocks are closed, pending includes settle, and the page ends there (a template
 * read error ends it the same way). Past `MAX_ESI_ELEMENTS` opening tags the rest are dropped and counted in the
 * report. Problems are counted by kind and reported once per page, as one line.
 */
import type { Settings } from '../config/settings.ts';
import { reportDrained, type AssemblyReport, type DrainedPage } from './assembly-report.ts';
import { EsiAssembler } from './esi-assembler.ts';
import type { ChunkViews } from './chunk-view.ts';
import { ProblemTally } from './problem-tally.ts';
import { EsiTokenizer } from './esi-tokenizer.ts';
import type { EsiVariables } from './esi-variables.ts';
import type { FragmentFetcher } from './fragment-fetcher.ts';
import { IncludeRunner } from './include-runner.ts';
import { OutputQueue } from './output-queue.ts';
import type { Part } from './rendered-part.ts';
import { Later } from '../later.ts';
import { decisionParts, type DecisionParts } from './decision-parts.ts';
import { readTemplate, type ByteTap, type TemplateSource } from './template-reader.ts';
import { PageWriter, pageStream, type PageSink, type WritingPage } from './page-writer.ts';
import type { ExposureTracker } from '../experiments/exposure.ts';
export type { AssemblyReport, FragmentReport, FragmentOutcome } from './assembly-report.ts';
export type { ByteTap, TemplateSource, WholeTemplate } from './template-reader.ts';

export interface ProcessEsiOptions {
  /** The template: a stream, or (a cached copy) its bytes read whole (template-reader.ts). */
  body: TemplateSource;
  /** The page's URL, or its href as the URL parser writes it: a string is parsed only if an include needs it (include-targets.ts). */
  pageUrl: URL | string;
  vars: EsiVariables;
  settings: Settings;
  fetchFragment: FragmentFetcher;
  now: () => number;
  /** When assembly started, on `now`'s clock: the page deadline runs from it (shared-fetches.ts); without it, from a reading of its own. */
  startedAt?: number;
  /** Called at most once, when the page is done, with a summary of its problems. */
  onProblem?: (problem: string) => void;
  /** How the tokenizer searches chunks (see chunk-view.ts); the byte search by default. */
  views?: ChunkViews;
  /** Records which rendered parts read which experiment's variable. */
  exposure?: ExposureTracker;
  /** The `$(DECISION)` token, asked for once the rest of the page has settled. */
  decisionToken?: (done: (token: string | null) => void) => void;
  /** Told when the template turns out to carry `$(DECISION)`: the token's key can be read while the fragments arrive. */
  decisionSoon?: () => void;
  /** Told every chunk written, then the end, or `fail` (the consumer cancelled, a page of one visitor's): no second stream and its promises. */
  tap?: ByteTap;
  /** The same for the template's bytes as they are read (up to the byte cap, else `fail`). */
  templateTap?: ByteTap;
}

export function processEsi(options: ProcessEsiOptions): { body: ReadableStream<Uint8Array>; report: Promise<AssemblyReport> } {
  return pageStream((sink) => writeEsi(options, sink));
}

/**
 * The same assembly, written into `sink` (page-writer.ts) rather than a web stream. Callbacks are
 * passed inline or written as methods, not assigned to names: the Node host runs under tsx, whose
 * esbuild `keepNames` gives each named closure a `defineProperty` of its name (~1 µs each, per page).
 */
export function writeEsi(options: ProcessEsiOptions, sink: PageSink): WritingPage<AssemblyReport> {
  let tally: ProblemTally | null = null; // Made at the page's first problem: a page without one never touches it.
  const problem = (message: string): void => (tally ??= new ProblemTally()).add(message);
  // Objects written out, not spreads: the guest runs a spread as an interpreted loop over the keys.
  const { pageUrl, vars, settings, fetchFragment, now, startedAt } = options;
  const runner = new IncludeRunner({ pageUrl, vars, settings, fetchFragment, now, startedAt, problem });
  const templateEnded = new Later<void>();
  const out: AssemblyParts['out'] = { queue: null };
  const { decision, assembler, tokenizer } = assemblyOf(options, { runner, problem, templateEnded, out });
  const writer = new PageWriter(sink, options.tap, options.templateTap, runner);
  let resolveReport!: (report: AssemblyReport) => void;
  const report = new Promise<AssemblyReport>((resolve) => (resolveReport = resolve));
  const page: DrainedPage = { onProblem: options.onProblem, vars: options.vars, tokenizer, runner, decision };
  const output = (out.queue = new OutputQueue(
    (parts) => writer.write(parts),
    (summary) => {
      writer.close();
      reportDrained(page, summary, resolveReport, tally);
    },
    decision?.signing,
  ));
  const reading = {
    tokenizer, output, problem, batchBytes: options.views?.batchBytes ?? 0, tap: options.templateTap,
    cancelled() {
      return writer.cancelled;
    },
  };
  const stopReading = readTemplate(options.body, reading, () => {
    assembler.end();
    output.close();
    templateEnded.set(undefined);
  });
  return {
    report,
    cancel(reason) {
      writer.cancel();
      stopReading(reason);
    },
  };
}

interface AssemblyParts {
  runner: IncludeRunner;
  problem: (message: string) => void;
  templateEnded: Later<void>;
  /** The output queue, made once the stream starts (a holder, not a getter: no call per part). */
  out: { queue: OutputQueue | null };
}

/** The `$(DECISION)` parts, the assembler writing the page's root parts to the output queue, and the tokenizer feeding it. */
function assemblyOf(options: ProcessEsiOptions, { runner, problem, templateEnded, out }: AssemblyParts): { decision: DecisionParts | undefined; assembler: EsiAssembler; tokenizer: EsiTokenizer } {
  const decision = decisionParts(options, templateEnded);
  const root = {
    live: true,
    add(piece: () => Part) {
      this.addPart(piece());
    },
    addPart(part: Part) {
      decision?.root(part);
      out.queue!.push(part);
    },
    addBytes(bytes: Uint8Array) {
      out.queue!.push(bytes);
    },
  };
  const assembler = new EsiAssembler({ root, runner, vars: options.vars, problem, exposure: options.exposure, decisionPart: decision?.part });
  const tokenizer = new EsiTokenizer((token) => assembler.handle(token), {
    views: options.views,
    text(bytes) {
      assembler.text(bytes);
    },
    keepsCloser(name) {
      return assembler.closesOpenBlock(name);
    },
    noOpenBlocks() {
      return assembler.depth === 0;
    },
    leavesNoTrace(tag) {
      return assembler.leavesNoTrace(tag);
    },
    skipsIncludes(srcs) {
      return assembler.skipsIncludes(srcs);
    },
  });
  return { decision, assembler, tokenizer };
}
