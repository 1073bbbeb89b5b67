/**
 * Turns ESI tokens into output pieces, following the block structure of the ESI dialect
 * (docs/contracts.md). Malformed markup never fails the page; each case has one fixed answer:
 * - a closer closes the innermost open block of that name and, implicitly, every block opened
 *   inside it; a closer matching no open block (a stray `</esi:try>`) is dropped;
 * - blocks still open at end of input are closed implicitly;
 * - an unknown `esi:` element is dropped with its tags, its content kept;
 * - `attempt`/`except` outside a `try`, `when`/`otherwise` outside a `choose`, a second attempt or
 *   except, and content directly inside `try` or `choose` are dropped with their content;
 * - an open block beyond `MAX_BLOCK_DEPTH` is dropped as a tag (content kept);
 * - an include whose attributes do not parse, or without `src`, fails as refused; a `when`
 *   without a parsable `test` is false.
 */
import { MAX_BLOCK_DEPTH, MAX_REPORTED_INCLUDES } from './esi-limits.ts';
import type { EsiOpenTag } from './esi-tag-parser.ts';
import type { EsiToken } from './esi-tokenizer.ts';
import type { EsiVariables } from './esi-variables.ts';
import type { Part } from './rendered-part.ts';
import { slotAttribute, type ExposureTracker } from '../experiments/exposure.ts';
import type { Sink } from './block-collector.ts';
import type { IncludeRunner } from './include-runner.ts';
import { skipsAllUnreported, skipsAtOnce } from './include-skips.ts';
import { addsNothingAtRoot } from './include-failure.ts';
import { includeSpec } from './include-spec.ts';
import { BlockStack, type Frame } from './block-stack.ts';
import { BlockOpener } from './block-opener.ts';
import { VarsText } from './vars-text.ts';

/** The page's root: a live sink that also takes a part already made (no closure per include). */
export interface RootSink extends Sink {
  addPart(part: Part): void;
}

export interface AssemblerOptions {
  root: RootSink;
  runner: IncludeRunner;
  vars: EsiVariables;
  problem: (message: string) => void;
  /** Told of every variable read in rendered parts, with its slot and enclosing try sections. */
  exposure?: ExposureTracker;
  /** The part `$(DECISION)` becomes in `<esi:vars>`; without it the variable is empty. */
  decisionPart?: () => Part;
}

const WRAPPER = '!--esi';
const TOO_DEEP = `blocks nested deeper than ${MAX_BLOCK_DEPTH}: tag dropped`;

export class EsiAssembler {
  private readonly stack: BlockStack;
  private readonly opener: BlockOpener;
  private readonly varsText: VarsText;
  /** Bound methods rather than named arrows: under tsx each named closure costs a `defineProperty` per page on Node. */
  private readonly report: (message: string) => void;

  constructor(private readonly options: AssemblerOptions) {
    this.stack = new BlockStack(options.root);
    const problem = (this.report = this.problem.bind(this));
    this.varsText = new VarsText(this.stack, { vars: options.vars, problem, exposure: options.exposure, decisionPart: options.decisionPart, budget: options.runner.budget });
    this.opener = new BlockOpener(this.stack, { vars: options.vars, problem, push: this.push.bind(this), tracked: this.varsText.tracked.bind(this.varsText) });
  }

  handle(token: EsiToken): void {
    if (token.kind === 'text') return this.text(token.bytes);
    this.varsText.flush();
    if (token.kind === 'open') this.open(token.tag);
    else if (token.kind === 'close') this.close(token.name);
    else if (token.kind === 'comment-open') this.push({ name: WRAPPER, sink: this.stack.sink, vars: this.stack.vars });
    else this.close(WRAPPER);
  }

  end(): void {
    this.varsText.flush();
    this.stack.closeAll();
  }

  get depth(): number {
    return this.stack.depth;
  }

  /**
   * Whether an opening tag adds nothing: an include at the page's root skipped past the fetch or inserted-bytes cap,
   * taken here (`'reported'`: its entry written), so it needs no token (EsiTokenizer). Only a tag with one attribute
   * is judged: its spec reports no problem, which would otherwise be told twice when it goes on to `handle`.
   */
  leavesNoTrace(tag: EsiOpenTag): boolean | 'reported' {
    const { attributes } = tag, { runner } = this.options;
    if (!(runner.fetches.full || runner.budget.closed) || tag.name !== 'include' || attributes === null || attributes.size !== 1 || this.stack.depth !== 0) return false;
    const src = attributes.get('src'), reported = runner.entries.length < MAX_REPORTED_INCLUDES;
    return src !== undefined && skipsAtOnce(runner, src, null) && (reported ? 'reported' : true);
  }

  /** `leavesNoTrace` (true) for an include of each of `srcs` alone at the page's root. */
  skipsIncludes(srcs: readonly string[]): boolean {
    return this.stack.depth === 0 && skipsAllUnreported(this.options.runner, srcs);
  }

  /** Whether a closer of this name would close an open block. */
  closesOpenBlock(name: string): boolean {
    return this.stack.has(name);
  }

  text(bytes: Uint8Array): void {
    // Text outside any block (most of a page) goes straight to the page.
    if (this.stack.depth === 0) return this.options.root.addBytes(bytes);
    const sink = this.stack.sink;
    if (sink === null) return;
    if (this.stack.vars) this.varsText.add(bytes);
    else sink.addBytes(bytes);
  }

  private open(tag: EsiOpenTag): void {
    const parent = this.stack.top;
    if (parent?.tryBlock !== undefined) return this.opener.inTry(tag, parent.tryBlock);
    if (parent?.choose !== undefined) return this.opener.inChoose(tag, parent.choose);
    if (tag.name === 'include') return this.include(tag);
    this.opener.open(tag);
  }

  private push(frame: Frame): void {
    if (!this.stack.full) this.stack.push(frame);
    else this.problem(TOO_DEEP);
  }

  private close(name: string | null): void {
    if (name !== null && this.stack.closeTo(name)) return;
    this.problem(name === null ? 'malformed closing tag dropped' : 'stray closing tag dropped');
  }

  private include(tag: EsiOpenTag): void {
    const atRoot = this.stack.depth === 0;
    const sink = atRoot ? this.options.root : this.stack.sink;
    if (sink === null) return;
    // A hostile template's includes mostly wait with others of their src or are skipped: no spec or exposure record.
    const waiting = atRoot ? this.options.runner.waitingPart(tag.attributes) : null;
    if (waiting !== null) return this.options.root.addPart(waiting);
    const spec = includeSpec(tag.attributes, this.report);
    if (atRoot && spec.src !== null && !spec.rank && skipsAtOnce(this.options.runner, spec.src, spec.timeoutMs)) return;
    const exposure = this.options.exposure;
    if (exposure !== undefined) spec.exposure = { tracker: exposure, guards: this.stack.guards(), slot: slotAttribute(tag.attributes) };
    if (!atRoot) return sink.add(() => this.options.runner.run(spec));
    // At the root an include that failed at once (skipped, refused) leaves no trace: it skips the output queue.
    const part = this.options.runner.run(spec);
    if (!addsNothingAtRoot(part)) this.options.root.addPart(part);
  }

  /** Problems inside dropped content are not worth reporting. */
  private problem(message: string): void {
    if (this.stack.sink !== null) this.options.problem(message);
  }
}
