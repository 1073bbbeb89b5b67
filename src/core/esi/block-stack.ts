/**
 * The ESI blocks open at the current position of the template (`try`, `attempt`, `choose`, `vars`,
 * the `<!--esi … -->` wrapper, …), innermost last, and what follows from them: where content goes,
 * whether variables are substituted, which try sections and slot enclose it. At most
 * `MAX_BLOCK_DEPTH` are open at once, so a hostile nesting costs bounded memory.
 */
import { MAX_BLOCK_DEPTH } from './esi-limits.ts';
import type { Sink, BlockCollector } from './block-collector.ts';
import { PAGE_SLOT, type Guard, type TryOutcome } from '../experiments/exposure.ts';

export interface TryBlock {
  attempt: BlockCollector;
  except: BlockCollector;
  close: () => void;
  /** The sections already opened, as bits (block-opener.ts): a second of either is dropped. A number, not a `Set` per try. */
  used: number;
  outcome: TryOutcome;
}

/** The guards of a position outside every try. */
const NO_GUARDS: readonly Guard[] = Object.freeze([]);

export interface Frame {
  /** The element name a closer must match; `!--esi` for the `<!--esi … -->` wrapper. */
  name: string;
  /** Where the frame's direct content goes; null drops it. */
  sink: Sink | null;
  vars: boolean;
  tryBlock?: TryBlock;
  choose?: { chosen: boolean; inner: Sink | null };
  /** The element's `slot` attribute: where clicks on what it shapes are credited. */
  slot?: string;
}

export class BlockStack {
  private readonly frames: Frame[] = [];

  constructor(private readonly root: Sink) {}

  get depth(): number {
    return this.frames.length;
  }

  get top(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** Where content at this position goes; null when it is dropped. */
  get sink(): Sink | null {
    const top = this.top;
    return top === undefined ? this.root : top.sink;
  }

  /** Inside `<esi:vars>`: text gets its variables substituted. */
  get vars(): boolean {
    return this.top?.vars ?? false;
  }

  get full(): boolean {
    return this.frames.length >= MAX_BLOCK_DEPTH;
  }

  push(frame: Frame): void {
    this.frames.push(frame);
  }

  /** Closes the innermost open block named `name` and every block inside it; false when none is open. */
  closeTo(name: string): boolean {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      if (this.frames[i]?.name !== name) continue;
      while (this.frames.length > i) this.pop();
      return true;
    }
    return false;
  }

  closeAll(): void {
    while (this.frames.length > 0) this.pop();
  }

  /** Whether a closer of this name would close an open block. */
  // Indexed loops, not `some`/`forEach` with a closure: the guest interprets those built-ins too.
  has(name: string): boolean {
    const frames = this.frames;
    for (let i = 0; i < frames.length; i++) if (frames[i]!.name === name) return true;
    return false;
  }

  insideTry(): boolean {
    const frames = this.frames;
    for (let i = 0; i < frames.length; i++) if (frames[i]!.tryBlock !== undefined) return true;
    return false;
  }

  /**
   * The try sections enclosing the current position (a try frame is followed by its section's frame);
   * outside any, one shared empty list, not an array per include (the lists are only ever read).
   */
  guards(): readonly Guard[] {
    const frames = this.frames;
    let guards: Guard[] | null = null;
    for (let i = 0; i + 1 < frames.length; i++) {
      const tryBlock = frames[i]!.tryBlock;
      const section = frames[i + 1]!.name;
      if (tryBlock && (section === 'attempt' || section === 'except')) (guards ??= []).push({ outcome: tryBlock.outcome, section });
    }
    return guards ?? NO_GUARDS;
  }

  /** The `slot` of the innermost block that has one, else the page. */
  slot(): string {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const slot = this.frames[i]?.slot;
      if (slot !== undefined) return slot;
    }
    return PAGE_SLOT;
  }

  private pop(): void {
    this.frames.pop()?.tryBlock?.close();
  }
}
