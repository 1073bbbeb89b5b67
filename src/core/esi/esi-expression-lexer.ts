/**
 * Splits an ESI `test` expression into tokens: single-quoted string literals (`\'` is a quote,
 * `\\` a backslash), numbers, variable references and operators. One linear pass; returns null
 * when the text is not made of these tokens.
 */
import { readVariableReference } from './variable-reference.ts';

export type ExpressionToken =
  | { kind: 'string'; text: string }
  | { kind: 'variable'; name: string; key: string | null }
  | { kind: 'op'; op: Operator };

export type Operator = '==' | '!=' | '<=' | '>=' | '<' | '>' | '!' | '&&' | '||' | '(' | ')';

const TWO_CHAR: readonly Operator[] = ['==', '!=', '<=', '>=', '&&', '||'];
const ONE_CHAR: readonly Operator[] = ['<', '>', '!', '(', ')'];

export function lexExpression(text: string): ExpressionToken[] | null {
  const tokens: ExpressionToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === "'") {
      const literal = readString(text, i);
      if (literal === null) return null;
      tokens.push({ kind: 'string', text: literal.text });
      i = literal.end;
    } else if (c === '$') {
      const ref = readVariableReference(text, i);
      if (ref === null) return null;
      tokens.push({ kind: 'variable', name: ref.name, key: ref.key });
      i = ref.end;
    } else if (isDigit(c) || (c === '-' && isDigit(text.charAt(i + 1)))) {
      const end = readNumber(text, i + 1);
      tokens.push({ kind: 'string', text: text.slice(i, end) });
      i = end;
    } else {
      const op = operatorAt(text, i, c);
      if (op === null) return null;
      tokens.push({ kind: 'op', op });
      i += op.length;
    }
  }
  return tokens;
}

/** Indexed loops rather than `find` with a closure: the guest interprets `find` itself. */
function operatorAt(text: string, i: number, c: string): Operator | null {
  for (let k = 0; k < TWO_CHAR.length; k++) if (text.startsWith(TWO_CHAR[k]!, i)) return TWO_CHAR[k]!;
  for (let k = 0; k < ONE_CHAR.length; k++) if (ONE_CHAR[k] === c) return ONE_CHAR[k]!;
  return null;
}

function readString(text: string, start: number): { text: string; end: number } | null {
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "'") return { text: out, end: i + 1 };
    if (c === '\\' && (text.charAt(i + 1) === "'" || text.charAt(i + 1) === '\\')) {
      out += text.charAt(++i);
    } else {
      out += c;
    }
  }
  return null;
}

function readNumber(text: string, from: number): number {
  let i = from;
  while (isDigit(text.charAt(i))) i++;
  if (text.charAt(i) === '.' && isDigit(text.charAt(i + 1))) {
    i++;
    while (isDigit(text.charAt(i))) i++;
  }
  return i;
}

export function isDigit(c: string): boolean {
  return c.length === 1 && c >= '0' && c <= '9';
}
