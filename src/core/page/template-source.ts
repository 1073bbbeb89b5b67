/**
 * How the ESI engine reads a template (template-reader.ts). A copy the edge already holds (a cache
 * hit or a stale copy), uncompressed and of a declared length within the template cap, is read
 * whole in one native call: inside the Wasm guest a streamed body costs a host read, an enqueue and
 * a few promises per 8 KiB chunk, plus the tokenizer's and the output's work per chunk, which buy
 * nothing when every byte is already there. Anything else streams: an origin answer still
 * arriving (so the page's head leaves before a slow origin's tail), a compressed body, a body of
 * unknown or too large a length (the cap stops reading it).
 */
import type { TemplateSource } from '../esi/esi-processor.ts';
import { MAX_TEMPLATE_BYTES } from '../esi/esi-limits.ts';
import type { FetchedTemplate } from './template-fetch.ts';
import type { HeaderReader } from '../http/header-reader.ts';
import { readsWhole } from '../backend/read-held-body.ts';

/** `headers` are the template's, or a reader over them (header-reader.ts). */
export function templateSource(template: FetchedTemplate, stream: ReadableStream<Uint8Array>, headers: HeaderReader = template.response.headers): TemplateSource {
  return readsWhole(template.cache, headers, MAX_TEMPLATE_BYTES) ? { whole: template.response.arrayBuffer() } : stream;
}

