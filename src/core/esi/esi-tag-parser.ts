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

/** The name after the prefix, then the end of the body or whitespace. */
const NAME = /[A-Za-z0-9._-]+(?=[ \t\n\r]|$)/y;
/** One attribute with its leading whitespace: `name = "value"` or `name='value'`. */
const ATTRIBUTE = /[ \t\n\r]+([A-Za-z0-9._-]+)[ \t\n\r]*=[ \t\n\r]*(?:"([^"]*)"|'([^']*)')/y;
const TRAILING_SPACE = /[ \t\n\r]*$/y;
const CLOSE_TAG = /^<\/esi:([A-Za-z0-9._-]+)[ \t\n\r]*>$/;
/** A well-formed opening tag in one match: its name, its attributes, its `/`. */
const WELL_FORMED = /^<esi:([A-Za-z0-9._-]+)((?:[ \t\n\r]+[A-Za-z0-9._-]+[ \t\n\r]*=[ \t\n\r]*(?:"[^"]*"|'[^']*'))*)[ \t\n\r]*(\/?)>$/;

/** Shared by every tag without attributes (most block tags): it is only ever read. */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

/**
 * `text` runs from `<esi:` to the closing `>` inclusive. Sticky regular expressions rather than a
 * loop over characters: inside the Wasm guest the regex engine is native and the loop is not.
 */
export function parseOpenTag(text: string): EsiOpenTag {
  // Most tags are well formed: one native match instead of a few per attribute.
  const match = WELL_FORMED.exec(text);
  if (match !== null) return { name: match[1]!, attributes: wellFormedAttributes(match[2]!), selfClosing: match[3] === '/' };
  const selfClosing = text.endsWith('/>');
  const body = text.slice(OPEN_PREFIX, text.length - (selfClosing ? 2 : 1));
  NAME.lastIndex = 0;
  if (!NAME.test(body)) return { name: '', attributes: null, selfClosing };
  const nameEnd = NAME.lastIndex;
  return { name: body.slice(0, nameEnd), attributes: parseAttributes(body, nameEnd), selfClosing };
}

/** `text` runs from `</esi:` to `>` inclusive; returns the name, or null when malformed. */
export function parseCloseTag(text: string): string | null {
  return CLOSE_TAG.exec(text)?.[1] ?? null;
}

/**
 * The attributes of a well-formed tag (its text after the name, which a match of `WELL_FORMED`
 * or the chunk view's has already checked, so it is attributes back to back); null when a name
 * repeats. One sticky match per attribute, and none after the last (the text ends there): inside
 * the guest that measured ~2.5 µs for an include's `src` against ~6.3 for reading it with
 * `indexOf`/`slice`/`trim` (each native call costs the interpreter about as much as the match).
 */
export function wellFormedAttributes(source: string): ReadonlyMap<string, string> | null {
  if (source.length === 0) return NO_ATTRIBUTES;
  const attributes = new Map<string, string>();
  ATTRIBUTE.lastIndex = 0;
  do {
    const match = ATTRIBUTE.exec(source);
    if (match === null) return null;
    const name = match[1]!;
    if (attributes.size > 0 && attributes.has(name)) return null;
    const value = match[2] ?? match[3]!;
    attributes.set(name, value.includes('&') ? decodeXmlEntities(value) : value);
  } while (ATTRIBUTE.lastIndex < source.length);
  return attributes;
}

function parseAttributes(body: string, from: number): ReadonlyMap<string, string> | null {
  const attributes = new Map<string, string>();
  let i = from;
  for (;;) {
    ATTRIBUTE.lastIndex = i;
    const match = ATTRIBUTE.exec(body);
    if (match === null) break;
    const name = match[1]!;
    if (attributes.has(name)) return null;
    attributes.set(name, decodeXmlEntities(match[2] ?? match[3] ?? ''));
    i = ATTRIBUTE.lastIndex;
  }
  TRAILING_SPACE.lastIndex = i;
  return TRAILING_SPACE.test(body) ? attributes : null;
}
