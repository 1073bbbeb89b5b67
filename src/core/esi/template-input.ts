/**
 * What the template reader (template-reader.ts) reads, and whom it tells: the template as a stream
 * or read whole, the tokenizer and output it feeds, and a tap that sees the template's bytes.
 */
import type { EsiTokenizer } from './esi-tokenizer.ts';
import type { OutputQueue } from './output-queue.ts';
import type { Hole } from './ranked-include.ts';

export interface Reading {
  tokenizer: EsiTokenizer;
  output: OutputQueue;
  problem: (message: string) => void;
  cancelled: () => boolean;
  /** Gather chunks that are there at once up to this many bytes; 0 tokenizes each as it comes. */
  batchBytes: number;
  /** Told the template's bytes as they are read, then the end, or `fail` (a read error, the cap). */
  tap?: ByteTap;
}

/** Told a body's chunks as they pass, then the end, or that the body will never be whole. */
export interface ByteTap {
  add(bytes: Uint8Array): void;
  /** A ranked include's output, kept as a hole (the page's tap; without it a page with holes is not kept). */
  hole?(hole: Hole, bytes: Uint8Array): void;
  end(): void;
  fail(): void;
}

/** A template read in one call (`Response.arrayBuffer()`): its bytes, or a rejection for a read error. */
export interface WholeTemplate {
  readonly whole: Promise<ArrayBuffer | Uint8Array>;
}

/** How processEsi gets the template: a stream read chunk by chunk, or whole. */
export type TemplateSource = ReadableStream<Uint8Array> | WholeTemplate;
