/**
 * Turns ESI tokens into output pieces, following the block structure of DESIGN §5.3. Decisions
 * for malformed markup:
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
import { MAX_BLOCK_DEPTH } from './esi-limits.ts';
import type { EsiOpenTag } from './esi-tag-parser.ts';
import type { EsiToken } from './esi-tokenizer.ts';
import { evaluateTest } from './esi-expression.ts';
import type { EsiVariables } from './esi-variables.ts';
import { substituteInHtml } from './esi-variables.ts';
import type { Sink } from './block-collector.ts';
import { BlockCollector, settleTry } from './block-collector.ts';
import type { IncludeRunner, IncludeSpec } from './include-runner.ts';
import { rankSpecOf } from './ranked-include.ts';
import { concatBytes } from '../http/concat-bytes.ts';

interface TryBlock {
  attempt: BlockCollector;
  except: BlockCollector;
  close: () => void;
  used: Set<'attempt' | 'except'>;
}

interface Frame {
  /** The element name a closer must match; `!--esi` for the `<!--esi … -->` wrapper. */
  name: string;
  /** Where the frame's direct content goes; null drops it. */
  sink: Sink | null;
  vars: boolean;
  tryBlock?: TryBlock;
  choose?: { chosen: boolean; inner: Sink | null };
}

export interface AssemblerOptions {
  root: Sink;
  runner: IncludeRunner;
  vars: EsiVariables;
  problem: (message: string) => void;
}

const WRAPPER = '!--esi';
const BLOCKS = new Set(['remove', 'vars', 'try', 'attempt', 'except', 'choose', 'when', 'otherwise']);
const MAX_TIMEOUT_MS = 120_000;
const TOO_DEEP = `blocks nested deeper than ${MAX_BLOCK_DEPTH}: tag dropped`;

export class EsiAssembler {
  private readonly stack: Frame[] = [];
  private pendingVars: Uint8Array[] = [];

  constructor(private readonly options: AssemblerOptions) {}

  handle(token: EsiToken): void {
    if (token.kind === 'text') return this.text(token.bytes);
    this.flushVars();
    if (token.kind === 'open') this.open(token.tag);
    else if (token.kind === 'close') this.close(token.name);
    else if (token.kind === 'comment-open') this.push({ name: WRAPPER, sink: this.sink, vars: this.vars });
    else this.close(WRAPPER);
  }

  end(): void {
    this.flushVars();
    while (this.stack.length > 0) this.pop();
  }

  get depth(): number {
    return this.stack.length;
  }

  /** Whether a closer of this name would close an open block. */
  closesOpenBlock(name: string): boolean {
    return this.stack.some((frame) => frame.name === name);
  }

  private get top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private get sink(): Sink | null {
    const top = this.top;
    return top === undefined ? this.options.root : top.sink;
  }

  private get vars(): boolean {
    return this.top?.vars ?? false;
  }

  private text(bytes: Uint8Array): void {
    const sink = this.sink;
    if (sink === null) return;
    if (this.vars) this.pendingVars.push(bytes);
    else sink.add(() => bytes);
  }

  /** Substitutes variables in the text gathered inside `<esi:vars>` since the last tag. */
  private flushVars(): void {
    const sink = this.sink;
    if (this.pendingVars.length === 0 || sink === null) return;
    const joined = join(this.pendingVars);
    this.pendingVars = [];
    const substituted = substituteInHtml(joined, this.options.vars);
    sink.add(() => substituted);
  }

  private open(tag: EsiOpenTag): void {
    const parent = this.top;
    if (parent?.tryBlock !== undefined) return this.openInTry(tag, parent.tryBlock);
    if (parent?.choose !== undefined) return this.openInChoose(tag, parent.choose);
    switch (tag.name) {
      case 'include':
        return this.include(tag);
      case 'comment':
        return;
      case 'remove':
        return this.openBlock(tag, null, this.vars);
      case 'vars':
        return this.openBlock(tag, this.sink, true);
      case 'try':
        return this.openTry(tag);
      case 'choose':
        return this.openBlock(tag, null, this.vars, { chosen: false, inner: this.sink });
      default:
        if (!BLOCKS.has(tag.name)) return this.problem('unknown esi element dropped');
        this.problem('esi block outside its parent dropped with its content');
        this.openBlock(tag, null, false);
    }
  }

  private openInTry(tag: EsiOpenTag, block: TryBlock): void {
    const section = tag.name === 'attempt' || tag.name === 'except' ? tag.name : null;
    if (section !== null && !block.used.has(section)) {
      block.used.add(section);
      return this.openBlock(tag, block[section], this.vars);
    }
    this.problem('element directly inside esi:try dropped');
    if (BLOCKS.has(tag.name)) this.openBlock(tag, null, false);
  }

  private openInChoose(tag: EsiOpenTag, choose: { chosen: boolean; inner: Sink | null }): void {
    if (tag.name === 'when' || tag.name === 'otherwise') {
      const selected = !choose.chosen && choose.inner !== null && !tag.selfClosing && this.selects(tag);
      if (selected) choose.chosen = true;
      return this.openBlock(tag, selected ? choose.inner : null, this.vars);
    }
    this.problem('element directly inside esi:choose dropped');
    if (BLOCKS.has(tag.name)) this.openBlock(tag, null, false);
  }

  private selects(tag: EsiOpenTag): boolean {
    if (tag.name === 'otherwise') return true;
    const test = tag.attributes?.get('test');
    if (test === undefined) {
      this.problem('esi:when without a valid test attribute is false');
      return false;
    }
    const result = evaluateTest(test, this.options.vars);
    if (!result.ok) this.problem(`esi:when ${result.problem} is false`);
    return result.ok && result.value;
  }

  private openTry(tag: EsiOpenTag): void {
    const parent = this.sink;
    if (tag.selfClosing || !this.hasRoom()) return;
    if (parent === null) return this.push({ name: 'try', sink: null, vars: false });
    const attempt = new BlockCollector(parent.live);
    const except = new BlockCollector(false);
    let close = (): void => undefined;
    const closed = new Promise<void>((resolve) => (close = resolve));
    parent.add(() => settleTry(closed, attempt, except));
    this.push({ name: 'try', sink: null, vars: this.vars, tryBlock: { attempt, except, close, used: new Set() } });
  }

  private openBlock(tag: EsiOpenTag, sink: Sink | null, vars: boolean, choose?: Frame['choose']): void {
    if (tag.selfClosing || !this.hasRoom()) return;
    this.push(choose === undefined ? { name: tag.name, sink, vars } : { name: tag.name, sink, vars, choose });
  }

  private hasRoom(): boolean {
    if (this.stack.length < MAX_BLOCK_DEPTH) return true;
    this.problem(TOO_DEEP);
    return false;
  }

  private push(frame: Frame): void {
    if (this.hasRoom()) this.stack.push(frame);
  }

  private pop(): void {
    this.stack.pop()?.tryBlock?.close();
  }

  private close(name: string | null): void {
    for (let i = this.stack.length - 1; name !== null && i >= 0; i--) {
      if (this.stack[i]?.name !== name) continue;
      while (this.stack.length > i) this.pop();
      return;
    }
    this.problem(name === null ? 'malformed closing tag dropped' : 'stray closing tag dropped');
  }

  private include(tag: EsiOpenTag): void {
    const sink = this.sink;
    if (sink === null) return;
    const spec = includeSpec(tag.attributes, (message) => this.problem(message));
    sink.add(() => this.options.runner.run(spec));
  }

  /** Problems inside dropped content are not worth reporting. */
  private problem(message: string): void {
    if (this.sink !== null) this.options.problem(message);
  }
}

function includeSpec(attributes: ReadonlyMap<string, string> | null, problem: (message: string) => void): IncludeSpec {
  if (attributes === null) problem('esi:include attributes do not parse: refused');
  const src = attributes?.get('src') ?? null;
  const raw = attributes?.get('timeout');
  const timeoutMs = raw === undefined ? null : parseTimeout(raw);
  if (raw !== undefined && timeoutMs === null) problem('esi:include timeout is not a number of milliseconds: ignored');
  return { src, alt: attributes?.get('alt') ?? null, continueOnError: attributes?.get('onerror') === 'continue', timeoutMs, rank: rankSpecOf(attributes) };
}

function parseTimeout(raw: string): number | null {
  if (raw.length === 0 || raw.length > 6) return null;
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) < 0x30 || raw.charCodeAt(i) > 0x39) return null;
  const value = Number(raw);
  return value >= 1 && value <= MAX_TIMEOUT_MS ? value : null;
}

function join(chunks: readonly Uint8Array[]): Uint8Array {
  return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : concatBytes(chunks);
}
