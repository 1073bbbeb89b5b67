import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from '../../../origin/html/render-html.ts';

describe('renderHtml', () => {
  it.each<{ name: string; source: string; values: Record<string, string>; expected: string }>([
    { name: 'escapes a {{value}}', source: '<p>{{v}}</p>', values: { v: `<esi:include src="x"/> & 'q'` }, expected: '<p>&lt;esi:include src=&quot;x&quot;/&gt; &amp; &#39;q&#39;</p>' },
    { name: 'inserts a {{{raw}}} value as is', source: '<ul>{{{cards}}}</ul>', values: { cards: '<li>a</li>' }, expected: '<ul><li>a</li></ul>' },
    { name: 'leaves ESI variables alone', source: '$(VARIANT{hero-copy}) {{ v }}', values: { v: 'x' }, expected: '$(VARIANT{hero-copy}) x' },
    { name: 'does not rescan inserted values', source: '{{a}}{{b}}', values: { a: '{{b}}', b: '1' }, expected: '{{b}}1' },
  ])('$name', ({ source, values, expected }) => {
    expect(renderHtml(source, values)).toBe(expected);
  });

  it('throws on a placeholder without a value or without a closer', () => {
    expect(() => renderHtml('{{missing}}', {})).toThrow('no value for placeholder {{missing}}');
    expect(() => renderHtml('{{open', { open: 'x' })).toThrow('unterminated placeholder');
  });

  it('escapes each of & < > " \'', () => {
    expect(escapeHtml(`&<>"'a`)).toBe('&amp;&lt;&gt;&quot;&#39;a');
  });
});
