/**
 * Whether an origin response opted in to ESI processing: only a `text/html` body whose
 * `Surrogate-Control` carries `content="ESI/1.0"` (Edge Architecture Specification 1.0; other directives such as `max-age` may accompany it). ESI is never sniffed
 * from the body: that would let anyone who can put text on a page inject includes
 * (docs/threat-model.md).
 */
import { directives, isPlainValue } from '../http/cache-directives.ts';
import type { HeaderReader } from '../http/header-reader.ts';

export function isEsiTemplate(headers: HeaderReader): boolean {
  const contentType = headers.get('content-type') ?? '';
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType !== 'text/html') return false;
  const surrogateControl = headers.get('surrogate-control');
  // A plain value (one native test) names `content` only as `content="ESI/1.0"`: no full parse
  // (a Map and per directive a slice, trim and lower-casing, ~40 µs in the Wasm guest).
  if (surrogateControl !== null && isPlainValue(surrogateControl)) return surrogateControl.includes('content="ESI/1.0"');
  const content = directives(surrogateControl).get('content');
  if (content === undefined) return false;
  // A targeted directive looks like `content="ESI/1.0";edge`; the capability list is space-separated.
  const capabilities = content.split(';')[0] ?? '';
  return capabilities
    .replaceAll('"', ' ')
    .split(' ')
    .some((capability) => capability.toUpperCase() === 'ESI/1.0');
}
