/**
 * What the ESI tokenizer (esi-tokenizer.ts) gives the assembler, and what the assembler tells it:
 * the tokens, and the options through which the page's state (the element cap, open blocks,
 * includes skipped at the root) lets the tokenizer leave elements out without a token.
 */
import type { EsiOpenTag } from './esi-tag-parser.ts';
import type { ChunkViews } from './chunk-view.ts';

export type EsiToken =
  | { kind: 'text'; bytes: Uint8Array }
  | { kind: 'open'; tag: EsiOpenTag }
  | { kind: 'close'; name: string | null }
  | { kind: 'comment-open' }
  | { kind: 'comment-close' };

export interface TokenizerOptions {
  /** How chunks are searched; the byte search unless the host says otherwise. */
  views?: ChunkViews;
  maxElements?: number;
  /** Past the element cap: whether a closer of this name still closes an open block. */
  keepsCloser?: (name: string) => boolean;
  /** Whether no block is open, so that past the cap every tag can go without a look inside. */
  noOpenBlocks?: () => boolean;
  /** Where text goes when given, instead of a `text` token: one object fewer per text run. */
  text?: (bytes: Uint8Array) => void;
  /**
   * Whether an opening tag is one the assembler would take without output (an include skipped at
   * the page's root): it is counted and left out without a token, and the text around it is not
   * cut there, so it goes out in one piece (every piece costs the guest a view and a queue entry).
   * `'reported'`: taken all the same, its report entry written, but the next ones are not taken in
   * a run (`skipsIncludes` says no while the report has room: a run's match would be wasted).
   */
  leavesNoTrace?: (tag: EsiOpenTag) => boolean | 'reported';
  /**
   * `leavesNoTrace` for `<esi:include src="…"/>` at the page's root, for each of `srcs`: lets a
   * run of such includes be taken many per native match (tag-runs.ts) where the view reads the
   * chunk one unit per byte.
   */
  skipsIncludes?: (srcs: readonly string[]) => boolean;
}
