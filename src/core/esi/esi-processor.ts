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
import { MAX_ESI_ELEMENTS, MAX_TEMPLATE_BYTES } from './esi-limits.ts';
import type { ChunkViews } from './chunk-view.ts';
import { ProblemTally } from './problem-tally.ts';
import { EsiTokenizer } from './esi-tokenizer.ts';
import { variableValue, variablesRead, type EsiVariables } from './esi-variables.ts';
import type { FragmentFetcher } from './fragment-fetcher.ts';
import { IncludeRunner } from './include-runner.ts';
import { OutputQueue, type DrainSummary } from './output-queue.ts';
import type { Part, Rendered } from './rendered-part.ts';
import { whenSettled } from './rendered-part.ts';
import { Later } from './later.ts';
import type { ExposureTracker } from '../experiments/exposure.ts';

export type { AssemblyReport, FragmentReport, FragmentOutcome } from './assembly-report.ts';

export interface ProcessEsiOptions {
  body: ReadableStream<Uint8Array>;
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
}

const encoder = new TextEncoder();

export function processEsi(options: ProcessEsiOptions): { body: ReadableStream<Uint8Array>; report: Promise<AssemblyReport> } {
  const tally = new ProblemTally();
  const problem = (message: string): void => tally.add(message);
  const runner = new IncludeRunner({ ...options, problem });
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
    keepsCloser: (name) => assembler.closesOpenBlock(name),
    noOpenBlocks: () => assembler.depth === 0,
  });
  const reader = options.body.getReader();
  let cancelled = false;
  let resolveReport: (report: AssemblyReport) => void = () => undefined;
  const report = new Promise<AssemblyReport>((resolve) => (resolveReport = resolve));

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (bytes: Uint8Array): void => {
        if (cancelled) return;
        try {
          controller.enqueue(bytes);
        } catch {
          cancelled = true;
        }
      };
      const finished = (summary: DrainSummary): void => {
        if (!cancelled) controller.close();
        tally.add(`esi elements past the first ${MAX_ESI_ELEMENTS} dropped`, tokenizer.dropped);
        reportProblems(tally, options.onProblem);
        const facts = {
          fragments: runner.entries,
          perVisitor: runner.perVisitor,
          minTtlMs: summary.ttlMs,
          surrogateKeys: [...summary.surrogateKeys],
          fetches: runner.fetchCount,
          variables: variablesRead(options.vars),
          elementsDropped: tokenizer.dropped,
        };
        const token = decision?.token() ?? null;
        if (token === null) resolveReport({ ...facts, decision: null });
        else void token.then((value) => resolveReport({ ...facts, decision: value }));
      };
      const output = (queue = new OutputQueue(write, finished));
      readTemplate(reader, { tokenizer, output, problem, cancelled: () => cancelled }, () => {
        assembler.end();
        output.close();
        templateEnded.set(undefined);
      });
    },
    cancel(reason) {
      cancelled = true;
      void reader.cancel(reason).catch(() => undefined);
    },
  });
  return { body, report };
}

/** `$(DECISION)`: parts that wait for the rest of the page, then for the token, asked for once. */
function decisionParts(options: ProcessEsiOptions, templateEnded: Later<void>): { part: () => Part; root: (part: Part) => void; token: () => Promise<string | null> | null } | undefined {
  const ask = options.decisionToken;
  if (ask === undefined) return undefined;
  const others: Part[] = [];
  const own = new Set<Part>();
  let token: Promise<string | null> | null = null;
  return {
    part: () => {
      // The token names the segment, so a stored copy of the page is keyed on it.
      variableValue(options.vars, 'SEGMENT', null);
      const self = new Later<Rendered>();
      own.add(self);
      templateEnded.on(() =>
        whenSettled(others, () => {
          void (token ??= ask().catch(() => null)).then((value) => self.set({ chunks: value === null ? [] : [encoder.encode(value)], failed: false, ttlMs: Number.POSITIVE_INFINITY, surrogateKeys: [] }));
        }),
      );
      return self;
    },
    root: (part) => {
      if (part instanceof Later && !own.has(part)) others.push(part);
    },
    token: () => token,
  };
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

interface Reading {
  tokenizer: EsiTokenizer;
  output: OutputQueue;
  problem: (message: string) => void;
  cancelled: () => boolean;
}

/**
 * Feeds the template to the tokenizer up to the byte cap, writing what is ready after each chunk,
 * then calls `ended`; never throws. A `then` per read rather than an async loop: inside the Wasm
 * guest every promise an `await` adds costs about 10 µs.
 */
function readTemplate(reader: ReadableStreamDefaultReader<Uint8Array>, reading: Reading, ended: () => void): void {
  const { tokenizer, output, problem, cancelled } = reading;
  let total = 0;
  let over = false;
  const end = (): void => {
    if (over) return;
    over = true;
    tokenizer.end();
    ended();
  };
  const failed = (): void => {
    problem('template read failed: the page ends there');
    end();
  };
  const step = (result: Awaited<ReturnType<typeof reader.read>>): void => {
    try {
      if (result.done || cancelled()) return end();
      const chunk = result.value;
      const room = MAX_TEMPLATE_BYTES - total;
      total += chunk.length;
      if (chunk.length > room) {
        tokenizer.write(new Uint8Array(chunk.buffer, chunk.byteOffset, room));
        problem(`template over ${MAX_TEMPLATE_BYTES} bytes: the page ends there`);
        void reader.cancel().catch(() => undefined);
        return end();
      }
      tokenizer.write(chunk);
      output.flush();
    } catch {
      return failed();
    }
    reader.read().then(step, failed);
  };
  reader.read().then(step, failed);
}
