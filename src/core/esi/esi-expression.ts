/**
 * Evaluates an `<esi:when test="…">` expression (the ESI dialect of docs/contracts.md): string literals, variables,
 * `==` `!=` (case-sensitive string comparison), `<` `<=` `>` `>=` (numeric, false unless both
 * sides are numbers), `!`, `&&`, `||` and parentheses, with precedence `!` > comparisons > `&&`
 * > `||`. Variables are looked up as data after lexing, so a value can never become syntax.
 * Recursive descent with a length and depth cap: linear, and an unparsable test is a problem
 * (the caller treats it as false). A comparison with a `!` operand compares truthiness.
 */
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from './esi-limits.ts';
import type { ExpressionToken, Operator } from './esi-expression-lexer.ts';
import { isDigit, lexExpression } from './esi-expression-lexer.ts';
import type { EsiVariables } from './esi-variables.ts';
import { variableValue } from './variable-reads.ts';
import { REFERENCE_SOURCE } from './variable-reference.ts';

export type TestResult = { ok: true; value: boolean } | { ok: false; problem: string };

type Value = string | boolean;

const COMPARISONS: readonly Operator[] = ['==', '!=', '<', '<=', '>', '>='];

class Unparsable extends Error {}

const SPACE = '[ \\t\\n\\r]*';
/**
 * The usual test, `$(NAME{key}) == 'text'` or `!=` with a literal free of escapes, in one native
 * match: inside the Wasm guest the lexer and parser cost about 0.1 ms per test, and for this
 * shape they give exactly the string comparison done here.
 */
const VARIABLE_EQUALS_LITERAL = new RegExp(`^${SPACE}${REFERENCE_SOURCE}${SPACE}(==|!=)${SPACE}'([^'\\\\]*)'${SPACE}$`);

export function evaluateTest(expression: string, vars: EsiVariables): TestResult {
  if (expression.length > MAX_EXPRESSION_LENGTH) return { ok: false, problem: 'test expression too long' };
  const simple = VARIABLE_EQUALS_LITERAL.exec(expression);
  if (simple !== null) {
    const equal = variableValue(vars, simple[1]!, simple[2] ?? null) === simple[4];
    return { ok: true, value: simple[3] === '==' ? equal : !equal };
  }
  const tokens = lexExpression(expression);
  if (tokens === null || tokens.length === 0) return { ok: false, problem: 'unparsable test expression' };
  try {
    const parser = new Parser(tokens, vars);
    const value = parser.parseOr(0);
    if (!parser.atEnd()) throw new Unparsable();
    return { ok: true, value: truthy(value) };
  } catch (error) {
    if (error instanceof Unparsable) return { ok: false, problem: 'unparsable test expression' };
    throw error;
  }
}

class Parser {
  private at = 0;

  constructor(
    private readonly tokens: readonly ExpressionToken[],
    private readonly vars: EsiVariables,
  ) {}

  atEnd(): boolean {
    return this.at === this.tokens.length;
  }

  parseOr(depth: number): Value {
    let value = this.parseAnd(depth);
    while (this.takeOp('||')) value = truthy(this.parseAnd(depth)) || truthy(value);
    return value;
  }

  private parseAnd(depth: number): Value {
    let value = this.parseComparison(depth);
    while (this.takeOp('&&')) value = truthy(this.parseComparison(depth)) && truthy(value);
    return value;
  }

  private parseComparison(depth: number): Value {
    const left = this.parseUnary(depth);
    const next = this.tokens[this.at];
    if (next?.kind !== 'op' || !COMPARISONS.includes(next.op)) return left;
    this.at++;
    return compare(next.op, left, this.parseUnary(depth));
  }

  private parseUnary(depth: number): Value {
    if (depth > MAX_EXPRESSION_DEPTH) throw new Unparsable();
    if (this.takeOp('!')) return !truthy(this.parseUnary(depth + 1));
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Unparsable();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'variable') return variableValue(this.vars, token.name, token.key);
    if (token.op !== '(') throw new Unparsable();
    const inner = this.parseOr(depth + 1);
    if (!this.takeOp(')')) throw new Unparsable();
    return inner;
  }

  private takeOp(op: Operator): boolean {
    const token = this.tokens[this.at];
    if (token?.kind !== 'op' || token.op !== op) return false;
    this.at++;
    return true;
  }
}

function truthy(value: Value): boolean {
  return typeof value === 'boolean' ? value : value.length > 0;
}

function compare(op: Operator, left: Value, right: Value): boolean {
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    if (op === '==') return truthy(left) === truthy(right);
    return op === '!=' ? truthy(left) !== truthy(right) : false;
  }
  if (op === '==') return left === right;
  if (op === '!=') return left !== right;
  const a = numberOf(left);
  const b = numberOf(right);
  if (a === null || b === null) return false;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** A decimal number such as `42`, `-3` or `2.5`; anything else (including '') is not a number. */
function numberOf(text: string): number | null {
  let i = text.startsWith('-') ? 1 : 0;
  const start = i;
  while (isDigit(text.charAt(i))) i++;
  if (i === start) return null;
  if (text.charAt(i) === '.') {
    const fraction = ++i;
    while (isDigit(text.charAt(i))) i++;
    if (i === fraction) return null;
  }
  return i === text.length ? Number(text) : null;
}
