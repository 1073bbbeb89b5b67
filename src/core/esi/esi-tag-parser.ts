/**
 * Parses the text of one complete ESI tag (`<esi:name a="v" b='w'/>` or `</esi:name>`) into its
 * name and attributes. XML attribute syntax (XML 1.0 §3.1): values in double or single quotes,
 * entities decoded. Anything else (unquoted values, missing `=`, duplicates, junk) makes the
 * attributes `null`, and the assembler then drops the tag (an include fails as refused).
 */
import { decodeXmlEntities } from './xml-entities.ts';

export interface EsiOpenTag {
  /** The local name after `esi:`; '' when it is not a valid name. */
  name: string;
  /** Null when the attributes do not parse. */
  attributes: ReadonlyMap<string, string> | null;
  selfClosing: boolean;
}

const OPEN_PREFIX = '<esi:'.length;
const CLOSE_PREFIX = '</esi:'.length;

/** `text` runs from `<esi:` to the closing `>` inclusive. */
export function parseOpenTag(text: string): EsiOpenTag {
  const nameEnd = scanName(text, OPEN_PREFIX);
  const name = text.slice(OPEN_PREFIX, nameEnd);
  const selfClosing = text.endsWith('/>');
  const bodyEnd = text.length - (selfClosing ? 2 : 1);
  if (name === '' || !isBoundary(text.charCodeAt(nameEnd), nameEnd >= bodyEnd)) {
    return { name: '', attributes: null, selfClosing };
  }
  return { name, attributes: parseAttributes(text, nameEnd, bodyEnd), selfClosing };
}

/** `text` runs from `</esi:` to `>` inclusive; returns the name, or null when malformed. */
export function parseCloseTag(text: string): string | null {
  const nameEnd = scanName(text, CLOSE_PREFIX);
  if (nameEnd === CLOSE_PREFIX) return null;
  for (let i = nameEnd; i < text.length - 1; i++) {
    if (!isSpace(text.charCodeAt(i))) return null;
  }
  return text.slice(CLOSE_PREFIX, nameEnd);
}

function parseAttributes(text: string, from: number, end: number): ReadonlyMap<string, string> | null {
  const attributes = new Map<string, string>();
  let i = from;
  for (;;) {
    const start = i;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end) return attributes;
    if (i === start) return null;
    const nameEnd = scanName(text, i);
    if (nameEnd === i) return null;
    const name = text.slice(i, nameEnd);
    i = nameEnd;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x3d) return null;
    i++;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) return null;
    const close = text.indexOf(String.fromCharCode(quote), i + 1);
    if (close === -1 || close >= end || attributes.has(name)) return null;
    attributes.set(name, decodeXmlEntities(text.slice(i + 1, close)));
    i = close + 1;
  }
}

function scanName(text: string, from: number): number {
  let i = from;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  return i;
}

function isNameChar(c: number): boolean {
  const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
  return letter || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f || c === 0x2e;
}

function isBoundary(c: number, atEnd: boolean): boolean {
  return atEnd || isSpace(c);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
