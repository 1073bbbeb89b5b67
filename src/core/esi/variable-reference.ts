/**
 * Reads one ESI variable reference, `$(NAME)` or `$(NAME{key})`, at a position of a string or
 * byte array (ESI 1.0 §5). Names are upper-case ASCII; keys are short printable ASCII. Anything
 * else is not a reference and stays ordinary text.
 */
import { MAX_VARIABLE_KEY_LENGTH } from './esi-limits.ts';

export interface VariableReference {
  name: string;
  key: string | null;
  /** Index just after the closing `)`. */
  end: number;
}

const MAX_NAME_LENGTH = 32;
const DOLLAR = 0x24;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** `codeAt(i)` returns the char code (or byte) at i; `start` is the index of the `$`. */
export function readVariableReference(codeAt: (index: number) => number, length: number, start: number): VariableReference | null {
  if (codeAt(start) !== DOLLAR || start + 1 >= length || codeAt(start + 1) !== OPEN_PAREN) return null;
  let i = start + 2;
  let name = '';
  while (i < length && name.length <= MAX_NAME_LENGTH && isNameChar(codeAt(i))) name += String.fromCharCode(codeAt(i++));
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || i >= length) return null;
  let key: string | null = null;
  if (codeAt(i) === OPEN_BRACE) {
    key = '';
    i++;
    while (i < length && key.length <= MAX_VARIABLE_KEY_LENGTH && isKeyChar(codeAt(i))) key += String.fromCharCode(codeAt(i++));
    if (key.length > MAX_VARIABLE_KEY_LENGTH || i >= length || codeAt(i) !== CLOSE_BRACE) return null;
    i++;
  }
  if (i >= length || codeAt(i) !== CLOSE_PAREN) return null;
  return { name, key, end: i + 1 };
}

function isNameChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isKeyChar(c: number): boolean {
  return c > 0x20 && c < 0x7f && c !== CLOSE_BRACE && c !== OPEN_BRACE && c !== CLOSE_PAREN && c !== OPEN_PAREN && c !== DOLLAR;
}
