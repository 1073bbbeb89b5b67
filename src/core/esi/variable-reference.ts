/**
 * Reads one ESI variable reference, `$(NAME)` or `$(NAME{key})`, at a position of a string or
 * byte array seen as text (ESI 1.0 §5). Names are upper-case ASCII; keys are short printable ASCII. Anything
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
/** A reference as a RegExp source: the name is group 1, the key group 2. Key characters: printable ASCII except `{ } ( ) $`. */
export const REFERENCE_SOURCE = `\\$\\(([A-Z_]{1,${MAX_NAME_LENGTH}})(?:\\{([!-#%-'*-z|~]{0,${MAX_VARIABLE_KEY_LENGTH}})\\})?\\)`;
const REFERENCE = new RegExp(REFERENCE_SOURCE, 'y');

/** The reference starting at `start` (the index of its `$`) in `text`; null when there is none. */
export function readVariableReference(text: string, start: number): VariableReference | null {
  REFERENCE.lastIndex = start;
  const match = REFERENCE.exec(text);
  if (match === null) return null;
  return { name: match[1]!, key: match[2] ?? null, end: REFERENCE.lastIndex };
}
