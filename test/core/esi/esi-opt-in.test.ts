/** Which responses opt in to ESI (docs/contracts.md#templates). */
import { expect, it } from 'vitest';
import { isEsiTemplate } from '../../../src/core/esi/esi-opt-in.ts';

it.each<{ headers: Record<string, string>; expected: boolean }>([
  { headers: { 'content-type': 'text/html; charset=utf-8', 'surrogate-control': 'content="ESI/1.0"' }, expected: true },
  { headers: { 'content-type': 'TEXT/HTML', 'surrogate-control': 'max-age=60, content="ESI/1.0"' }, expected: true },
  { headers: { 'content-type': 'text/html', 'surrogate-control': 'content="ESI-Inline/1.0 ESI/1.0"' }, expected: true },
  { headers: { 'content-type': 'text/html', 'surrogate-control': 'max-age=60' }, expected: false },
  { headers: { 'content-type': 'text/html' }, expected: false },
  { headers: { 'content-type': 'application/json', 'surrogate-control': 'content="ESI/1.0"' }, expected: false },
  { headers: { 'content-type': 'text/htmlx', 'surrogate-control': 'content="ESI/1.0"' }, expected: false },
  { headers: { 'content-type': 'text/html', 'surrogate-control': 'content="ESI/2.0"' }, expected: false },
])('$headers → $expected', ({ headers, expected }) => {
  expect(isEsiTemplate(new Headers(headers))).toBe(expected);
});
