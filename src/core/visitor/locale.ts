/**
 * Picks the page locale from `Accept-Language` (RFC 9110 §12.5.4) among `settings.locales`: only
 * the first 512 characters and 16 entries are read; entries are taken by q-value (ties in header
 * order), each tried first as an exact match, then by language alone. Default: the first locale.
 */

export const MAX_ACCEPT_LANGUAGE_CHARS = 512;
export const MAX_ACCEPT_LANGUAGE_ENTRIES = 16;

interface Range {
  tag: string;
  q: number;
  order: number;
}

export function negotiateLocale(header: string | null, locales: readonly string[]): string {
  const fallback = locales[0] ?? 'en-US';
  if (header === null) return fallback;
  const ranges = parseRanges(header);
  for (const { tag } of ranges) {
    const exact = locales.find((locale) => locale.toLowerCase() === tag);
    if (exact !== undefined) return exact;
    const language = tag.split('-')[0];
    const sameLanguage = locales.find((locale) => locale.toLowerCase().split('-')[0] === language);
    if (sameLanguage !== undefined) return sameLanguage;
  }
  return fallback;
}

/** Language ranges with q > 0, lowercased, best first. Malformed entries are skipped. */
function parseRanges(header: string): Range[] {
  const entries = header.slice(0, MAX_ACCEPT_LANGUAGE_CHARS).split(',', MAX_ACCEPT_LANGUAGE_ENTRIES);
  const ranges: Range[] = [];
  entries.forEach((entry, order) => {
    const [rawTag = '', ...params] = entry.split(';');
    const tag = rawTag.trim().toLowerCase();
    if (!/^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/.test(tag)) return;
    const q = qValue(params);
    if (q > 0) ranges.push({ tag, q, order });
  });
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order);
}

function qValue(params: readonly string[]): number {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'q') continue;
    const text = value.trim();
    // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text)) return 0;
    return Number(text);
  }
  return 1;
}
