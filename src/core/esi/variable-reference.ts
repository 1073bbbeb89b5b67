/**
 * Reads one ESI variable reference, `$(NAME)` or `$(NAME{key})`, at a position of a string or
 * byte array (ESI 1.0 §5). Names are upper-case ASCII; keys are short printable ASCII. Anything
 * else is not a reference and stays ordinary text.
 *
 * One sticky regular expression per reference: inside the Wasm guest the regex engine is native,
 * while a loop over characters (a call and a string concatenation per character) is interpreted.
 */
import { MAX_VARIABLE_KEY_LENGTH } from './esi-limits.ts';

export interface VariableReference {
  name: string;
  key: string | null;
  /** Index just after the closing `)`. */
  end: number;
}

const MAX_NAME_LENGTH = 32;
/** Key characters: printable ASCII except the reference's own punctuation `{ } ( ) $`. */
const REFERENCE = new RegExp(`\\$\\(([A-Z_]{1,${MAX_NAME_LENGTH}})(?:\\{([!-#%-'*-z|~]{0,${MAX_VARIABLE_KEY_LENGTH}})\\})?\\)`, 'y');
/** The longest reference: `$(`, a name, `{`, a key, `})`. */
const MAX_REFERENCE_LENGTH = MAX_NAME_LENGTH + MAX_VARIABLE_KEY_LENGTH + 5;
const utf8 = new TextDecoder();

/** The reference starting at `start` (the index of its `$`) in `text`; null when there is none. */
export function readVariableReference(text: string, start: number): VariableReference | null {
  REFERENCE.lastIndex = start;
  const match = REFERENCE.exec(text);
  if (match === null) return null;
  return { name: match[1]!, key: match[2] ?? null, end: REFERENCE.lastIndex };
}

/**
 * The same in bytes. A reference is ASCII, and decoding keeps every ASCII byte before the first
 * other byte at its offset, so reading the decoded window finds exactly the byte reference.
 */
export function readVariableReferenceInBytes(bytes: Uint8Array, start: number): VariableReference | null {
  const window = utf8.decode(bytes.subarray(start, start + MAX_REFERENCE_LENGTH));
  const ref = readVariableReference(window, 0);
  return ref === null ? null : { name: ref.name, key: ref.key, end: start + ref.end };
}
