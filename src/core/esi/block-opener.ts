/**
 * Opening ESI blocks: what an opening tag does at the current position. `remove` drops its content,
 * `vars` substitutes variables in it, `try` holds its attempt back until it is known to have
 * worked, `choose` renders the first `when` whose test holds (or its `otherwise`). Elements in the
 * wrong place (an `attempt` outside a `try`, a second `except`, content directly inside `choose`)
 * are dropped with their content; unknown elements are dropped as tags, their content kept.
 */
import type { EsiOpenTag } from './esi-tag-parser.ts';
import { evaluateTest } from './esi-expression.ts';
import type { EsiVariables } from './esi-variables.ts';
import { slotAttribute, type TryOutcome } from '../experiments/exposure.ts';
import type { Sink } from './block-collector.ts';
import { BlockCollector, settleTry } from './block-collector.ts';
import type { BlockStack, Frame, TryBlock } from './block-stack.ts';
import { Later } from '../later.ts';

/** `TryBlock.used` bits. */
const ATTEMPT_USED = 1;
const EXCEPT_USED = 2;

const BLOCKS = new Set(['remove', 'vars', 'try', 'attempt', 'except', 'choose', 'when', 'otherwise']);

export interface OpenerOptions {
  vars: EsiVariables;
  problem: (message: string) => void;
  /** Opens a frame, or reports that blocks nest too deep. */
  push: (frame: Frame) => void;
  /** Runs a test, telling the exposure tracker what it read. */
  tracked: <T>(work: () => T, slot: string | null) => T;
}

export class BlockOpener {
  constructor(
    private readonly stack: BlockStack,
    private readonly options: OpenerOptions,
  ) {}

  /** An opening tag (other than an include) outside `try` and `choose`. */
  open(tag: EsiOpenTag): void {
    const stack = this.stack;
    switch (tag.name) {
      case 'comment':
        return;
      case 'remove':
        return this.block(tag, null, stack.vars);
      case 'vars':
        return this.block(tag, stack.sink, true);
      case 'try':
        return this.try(tag);
      case 'choose':
        return this.block(tag, null, stack.vars, { chosen: false, inner: stack.sink });
      default:
        if (!BLOCKS.has(tag.name)) return this.options.problem('unknown esi element dropped');
        this.options.problem('esi block outside its parent dropped with its content');
        this.block(tag, null, false);
    }
  }

  inTry(tag: EsiOpenTag, block: TryBlock): void {
    const section = tag.name === 'attempt' || tag.name === 'except' ? tag.name : null;
    const bit = section === 'attempt' ? ATTEMPT_USED : EXCEPT_USED;
    if (section !== null && (block.used & bit) === 0) {
      block.used |= bit;
      return this.block(tag, block[section], this.stack.vars);
    }
    this.options.problem('element directly inside esi:try dropped');
    if (BLOCKS.has(tag.name)) this.block(tag, null, false);
  }

  inChoose(tag: EsiOpenTag, choose: { chosen: boolean; inner: Sink | null }): void {
    if (tag.name === 'when' || tag.name === 'otherwise') {
      const selected = !choose.chosen && choose.inner !== null && !tag.selfClosing && this.selects(tag);
      if (selected) choose.chosen = true;
      return this.block(tag, selected ? choose.inner : null, this.stack.vars);
    }
    this.options.problem('element directly inside esi:choose dropped');
    if (BLOCKS.has(tag.name)) this.block(tag, null, false);
  }

  private selects(tag: EsiOpenTag): boolean {
    if (tag.name === 'otherwise') return true;
    const test = tag.attributes?.get('test');
    if (test === undefined) {
      this.options.problem('esi:when without a valid test attribute is false');
      return false;
    }
    const result = this.options.tracked(() => evaluateTest(test, this.options.vars), slotAttribute(tag.attributes));
    if (!result.ok) this.options.problem(`esi:when ${result.problem} is false`);
    return result.ok && result.value;
  }

  private try(tag: EsiOpenTag): void {
    const parent = this.stack.sink;
    if (tag.selfClosing) return;
    if (parent === null || this.stack.full) return this.options.push({ name: 'try', sink: null, vars: false });
    const attempt = new BlockCollector(parent.live);
    const except = new BlockCollector(false);
    const closed = new Later<void>();
    const close = (): void => closed.set(undefined);
    const outcome: TryOutcome = { rendered: null };
    parent.add(() => settleTry(closed, attempt, except, outcome));
    const frame: Frame = { name: 'try', sink: null, vars: this.stack.vars, tryBlock: { attempt, except, close, used: 0, outcome } };
    this.options.push(withSlot(frame, tag));
  }

  private block(tag: EsiOpenTag, sink: Sink | null, vars: boolean, choose?: Frame['choose']): void {
    if (tag.selfClosing) return;
    const frame: Frame = { name: tag.name, sink, vars };
    if (choose !== undefined) frame.choose = choose;
    this.options.push(withSlot(frame, tag));
  }
}

/** Sets the frame's slot when the tag has one: no object spread, which the guest interprets. */
function withSlot(frame: Frame, tag: EsiOpenTag): Frame {
  const slot = slotAttribute(tag.attributes);
  if (slot !== null) frame.slot = slot;
  return frame;
}
