/**
 * `test` expressions (docs/contracts.md#esi-dialect): operators, precedence, numeric rules, variables as data, and
 * unparsable input.
 */
import { expect, it } from 'vitest';
import { evaluateTest } from '../../../src/core/esi/esi-expression.ts';
import { VARS } from './esi-test-kit.ts';

const vars = { ...VARS, variants: { 'hero-copy': 'bold', n: '10', inject: "' || 'a'=='a" } };

const CASES: Array<{ test: string; expected: boolean }> = [
  { test: "$(SEGMENT)=='runner'", expected: true },
  { test: "$(SEGMENT)=='Runner'", expected: false },
  { test: "$(SEGMENT)!='vip'", expected: true },
  { test: '$(SEGMENT)', expected: true },
  { test: '$(VISITOR_X)', expected: false },
  { test: '$(VARIANT{n}) > 9', expected: true },
  { test: "$(VARIANT{n}) >= '10'", expected: true },
  { test: "$(VARIANT{n}) < '9.5'", expected: false },
  { test: "'abc' > 'abd'", expected: false },
  { test: "'abc' < 'abd'", expected: false },
  { test: "'' <= 0", expected: false },
  { test: '-1 < 0', expected: true },
  { test: "!$(SEGMENT)", expected: false },
  { test: "!($(SEGMENT)=='vip')", expected: true },
  { test: "'a'=='a' || 'a'=='b' && 'b'=='c'", expected: true },
  { test: "('a'=='a' || 'a'=='b') && 'b'=='c'", expected: false },
  { test: "!'x' == ''", expected: true },
  { test: "'it\\'s'=='it\\'s'", expected: true },
  { test: "$(VARIANT{inject})=='a'", expected: false },
  { test: "$(GEO{country})=='GB' && $(DEVICE)=='mobile'", expected: true },
];

it.each(CASES)('evaluates $test to $expected', ({ test, expected }) => {
  expect(evaluateTest(test, vars)).toEqual({ ok: true, value: expected });
});

const UNPARSABLE = ['"double"==\'quotes\'', "'a' = 'a'", "'unterminated", '$(SEGMENT) ==', '( $(SEGMENT)', "'a'=='a' 'b'", 'bare', "'a'=='a'=='a'", '', '!'.repeat(100) + "'a'", 'x'.repeat(2000)];

it.each(UNPARSABLE)('reports %s as unparsable', (test) => {
  expect(evaluateTest(test, vars).ok).toBe(false);
});
