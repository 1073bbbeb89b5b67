/**
 * The text inside `<esi:vars>`: gathered between tags, then its `$(…)` variables substituted
 * (HTML-escaped) in one pass, with every variable read told to the exposure tracker together with
 * the slot and try sections it sits in. `$(DECISION)` waits for the rest of the page (it names
 * what the page exposed), so it is only honoured outside `esi:try`, where nothing else can wait on
 * it; inside one it is empty.
 */
import type { EsiVariables } from './esi-variables.ts';
import { withReadListener } from './variable-reads.ts';
import { byteText, substituteInHtml, type ValueBudget } from './variable-substitution.ts';
import type { Part } from './rendered-part.ts';
import type { ExposureTracker, Guard } from '../experiments/exposure.ts';
import type { Sink } from './block-collector.ts';
import type { BlockStack } from './block-stack.ts';
import { concatBytes } from '../http/concat-bytes.ts';
import { viewOf } from './chunk-cursor.ts';

export interface VarsTextOptions {
  vars: EsiVariables;
  problem: (message: string) => void;
  exposure?: ExposureTracker;
  decisionPart?: () => Part;
  /** The page's inserted bytes and variables (insert-budget.ts). */
  budget: ValueBudget & { valuesEnd(text: string, reference: string): number };
}

const DECISION = '$(DECISION)';

export class VarsText {
  private pending: Uint8Array[] = [];

  constructor(
    private readonly stack: BlockStack,
    private readonly options: VarsTextOptions,
  ) {}

  add(bytes: Uint8Array): void {
    this.pending.push(bytes);
  }

  /** Substitutes variables in the text gathered since the last tag; call before any tag. */
  flush(): void {
    if (this.pending.length === 0) return;
    const sink = this.stack.sink;
    if (sink === null) return;
    const joined = this.pending.length === 1 ? this.pending[0]! : concatBytes(this.pending);
    this.pending = [];
    const text = byteText(joined);
    // Most of a vars body is markup without a variable: it goes out as it is, without a scan in bytes.
    if (!text.includes('$(')) return sink.addBytes(joined);
    if (!text.includes(DECISION)) return sink.addBytes(this.tracked(() => substituteInHtml(joined, this.options.vars, text, this.options.budget)));
    // Each `$(DECISION)` counts as a variable: past the cap the rest is left as it is, unsplit.
    const end = this.options.budget.valuesEnd(text, DECISION);
    if (end === text.length) return this.aroundDecision(sink, joined, text);
    this.aroundDecision(sink, viewOf(joined, 0, end), text.slice(0, end));
    sink.addBytes(viewOf(joined, end, joined.length));
  }

  /**
   * A body holding `$(DECISION)`: each stretch around it, with a decision part between two. The
   * stretches are cut from `text` (one char per byte, so its offsets are the bytes') by the native
   * `split`, and one without a variable (the usual `…data-decision="` and `">`) goes out as a view
   * of the body: no byte search, decode, closure or substitution pass for it inside the Wasm guest.
   */
  private aroundDecision(sink: Sink, bytes: Uint8Array, text: string): void {
    const stretches = text.split(DECISION);
    let at = 0;
    for (let index = 0; index < stretches.length; index++) {
      if (index > 0) {
        this.decision(sink);
        at += DECISION.length;
      }
      const stretch = stretches[index]!;
      if (stretch.length > 0) sink.addBytes(this.substituted(new Uint8Array(bytes.buffer, bytes.byteOffset + at, stretch.length), stretch));
      at += stretch.length;
    }
  }

  /** `bytes` with its variables substituted; `text` is its text, one char per byte. */
  private substituted(bytes: Uint8Array, text: string): Uint8Array {
    return text.includes('$(') ? this.tracked(() => substituteInHtml(bytes, this.options.vars, text, this.options.budget)) : bytes;
  }

  /** Runs a substitution or test, telling the exposure tracker what it read and where. */
  tracked<T>(work: () => T, slot?: string | null): T {
    const exposure = this.options.exposure;
    if (exposure === undefined) return work();
    // Only an experiment's variable is recorded (ExposureTracker.record): the slot and the try
    // sections around are worked out for the first such read (the position does not move during `work`).
    const stack = this.stack;
    let where = slot ?? null;
    let guards: readonly Guard[] | null = null;
    return withReadListener(this.options.vars, (name, key) => {
      if (name !== 'VARIANT') return;
      exposure.record(name, key, (where ??= stack.slot()), (guards ??= stack.guards()));
    }, work);
  }

  private decision(sink: Sink): void {
    const part = this.options.decisionPart;
    if (part === undefined) return;
    if (this.stack.insideTry()) return this.options.problem('$(DECISION) inside esi:try is empty');
    sink.add(part);
  }
}
