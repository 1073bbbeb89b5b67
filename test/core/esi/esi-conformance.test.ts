/**
 * Conformance of the dialect (docs/contracts.md#esi-dialect, W3C ESI Language 1.0 §3): each construct with the
 * exact bytes it must produce, fragments served from memory.
 */
import { describe, expect, it } from 'vitest';
import { assemble, fakeFetcher } from './esi-test-kit.ts';

const FRAGMENTS = {
  '/fragments/a': 'A',
  '/fragments/b': 'B',
  '/fragments/esi': '<esi:include src="/fragments/a"/>',
  '/fragments/seg?s=runner': 'SEG',
  '/fragments/q?v=running%20shoes': 'Q',
  '/shop/rel.html': 'REL',
};

interface Case {
  name: string;
  input: string;
  expected: string;
}

const CASES: Case[] = [
  { name: 'include inserts the fragment', input: 'a<esi:include src="/fragments/a"/>b', expected: 'aAb' },
  { name: 'include without the self-closing slash', input: '<esi:include src="/fragments/a">x', expected: 'Ax' },
  { name: 'include with single-quoted src', input: "<esi:include src='/fragments/a'/>", expected: 'A' },
  { name: 'relative src resolves against the page', input: '<esi:include src="rel.html"/>', expected: 'REL' },
  { name: 'dot segments are removed', input: '<esi:include src="/shop/x/../rel.html"/>', expected: 'REL' },
  { name: 'failed include is deleted', input: 'a<esi:include src="/fragments/none"/>b', expected: 'ab' },
  { name: 'alt on failure', input: '<esi:include src="/fragments/none" alt="/fragments/b"/>', expected: 'B' },
  { name: 'alt unused on success', input: '<esi:include src="/fragments/a" alt="/fragments/b"/>', expected: 'A' },
  { name: 'entities decoded in src', input: '<esi:include src="/fragments/q?v=running&#x20;shoes"/>', expected: 'Q' },
  { name: 'fragment inserted verbatim, never processed', input: '<esi:include src="/fragments/esi"/>', expected: '<esi:include src="/fragments/a"/>' },
  { name: 'variable in src is percent-encoded', input: '<esi:include src="/fragments/q?v=$(QUERY_STRING{q})"/>', expected: 'Q' },
  { name: 'segment-aware src', input: '<esi:include src="/fragments/seg?s=$(SEGMENT)"/>', expected: 'SEG' },
  { name: 'remove drops its content', input: 'a<esi:remove>b<esi:include src="/fragments/a"/></esi:remove>c', expected: 'ac' },
  { name: 'comment is dropped', input: 'a<esi:comment text="hi"/>b', expected: 'ab' },
  { name: '<!--esi wrapper removed, inside processed', input: 'a<!--esi <esi:include src="/fragments/a"/> -->b', expected: 'a A b' },
  { name: '--> outside <!--esi is text', input: 'a-->b', expected: 'a-->b' },
  { name: 'ordinary HTML comment untouched', input: '<!-- x -->', expected: '<!-- x -->' },
  { name: 'try keeps a successful attempt', input: '<esi:try><esi:attempt>[<esi:include src="/fragments/a"/>]</esi:attempt><esi:except>E</esi:except></esi:try>', expected: '[A]' },
  { name: 'except replaces a failed attempt', input: '<esi:try><esi:attempt>[<esi:include src="/fragments/none"/>]</esi:attempt><esi:except>E</esi:except></esi:try>', expected: 'E' },
  { name: 'alt success keeps the attempt', input: '<esi:try><esi:attempt>[<esi:include src="/fragments/none" alt="/fragments/b"/>]</esi:attempt><esi:except>E</esi:except></esi:try>', expected: '[B]' },
  { name: 'onerror=continue keeps the attempt', input: '<esi:try><esi:attempt>[<esi:include src="/fragments/none" onerror="continue"/>]</esi:attempt><esi:except>E</esi:except></esi:try>', expected: '[]' },
  { name: 'except includes fetched when used', input: '<esi:try><esi:attempt><esi:include src="/fragments/none"/></esi:attempt><esi:except><esi:include src="/fragments/b"/></esi:except></esi:try>', expected: 'B' },
  { name: 'whitespace directly inside try is dropped', input: '<esi:try> \n<esi:attempt>x</esi:attempt> <esi:except>y</esi:except>\n</esi:try>', expected: 'x' },
  { name: 'nested try handles its own failure', input: '<esi:try><esi:attempt>1<esi:try><esi:attempt><esi:include src="/fragments/none"/></esi:attempt><esi:except>2</esi:except></esi:try>3</esi:attempt><esi:except>E</esi:except></esi:try>', expected: '123' },
  { name: 'failure in a nested except reaches the outer attempt', input: '<esi:try><esi:attempt>1<esi:try><esi:attempt><esi:include src="/fragments/none"/></esi:attempt><esi:except><esi:include src="/fragments/none2"/></esi:except></esi:try></esi:attempt><esi:except>E</esi:except></esi:try>', expected: 'E' },
  { name: 'choose takes the first true when', input: "<esi:choose><esi:when test=\"$(DEVICE)=='desktop'\">D</esi:when><esi:when test=\"$(DEVICE)=='mobile'\">M</esi:when><esi:when test=\"$(DEVICE)=='mobile'\">M2</esi:when><esi:otherwise>O</esi:otherwise></esi:choose>", expected: 'M' },
  { name: 'choose falls to otherwise', input: "<esi:choose><esi:when test=\"$(SEGMENT)=='vip'\">V</esi:when><esi:otherwise>O</esi:otherwise></esi:choose>", expected: 'O' },
  { name: 'unparsable test is false and the next when is evaluated', input: "<esi:choose><esi:when test=\"$(SEGMENT) ===\">X</esi:when><esi:when test=\"$(SEGMENT)\">S</esi:when></esi:choose>", expected: 'S' },
  { name: 'text directly inside choose is dropped', input: "<esi:choose>junk<esi:when test=\"'a'=='a'\">W</esi:when></esi:choose>", expected: 'W' },
  { name: 'vars substitutes HTML-escaped values', input: '<esi:vars>$(SEGMENT)/$(VARIANT{hero-copy})/$(GEO{country})/$(QUERY_STRING{x})</esi:vars>', expected: 'runner/bold/GB/&lt;b&gt;' },
  { name: 'variables outside vars are text', input: '<script>$(document).ready()</script>$(SEGMENT)', expected: '<script>$(document).ready()</script>$(SEGMENT)' },
  { name: 'unknown variable and missing key are empty', input: '<esi:vars>[$(HTTP_COOKIE)][$(VARIANT{nope})][$(QUERY_STRING{nope})]</esi:vars>', expected: '[][][]' },
  { name: 'first occurrence of a query parameter wins, + is a space', input: '<esi:vars>$(QUERY_STRING{q})</esi:vars>', expected: 'running shoes' },
  { name: 'vars keeps non-variable dollars', input: '<esi:vars>$5 $( $(lower)</esi:vars>', expected: '$5 $( $(lower)' },
  { name: 'include inside vars still works', input: '<esi:vars>$(DEVICE):<esi:include src="/fragments/a"/></esi:vars>', expected: 'mobile:A' },
];

describe('ESI dialect conformance', () => {
  it.each(CASES)('$name', async ({ input, expected }) => {
    const { html } = await assemble(input, fakeFetcher(FRAGMENTS));
    expect(html).toBe(expected);
  });
});

const MALFORMED: Case[] = [
  { name: 'stray closer is dropped', input: 'a</esi:try>b', expected: 'ab' },
  { name: 'malformed closer is dropped', input: 'a</esi:try x>b', expected: 'ab' },
  { name: 'unknown element dropped, content kept', input: 'a<esi:inline name="x">b</esi:inline>c', expected: 'abc' },
  { name: 'unquoted attribute: include refused', input: 'a<esi:include src=/fragments/a />b', expected: 'ab' },
  { name: 'unterminated tag at EOF is text', input: 'a<esi:include src="/fragments/a"', expected: 'a<esi:include src="/fragments/a"' },
  { name: 'partial prefix at EOF is text', input: 'a<esi', expected: 'a<esi' },
  { name: 'unclosed blocks are closed at EOF', input: '<esi:try><esi:attempt>x<esi:include src="/fragments/a"/>', expected: 'xA' },
  { name: 'unclosed remove drops to EOF', input: 'a<esi:remove>b', expected: 'a' },
  { name: 'closer closes inner blocks implicitly', input: '<esi:vars>$(DEVICE)<esi:remove>x</esi:vars>y', expected: 'mobiley' },
  { name: 'when outside choose dropped with content', input: 'a<esi:when test="1">b</esi:when>c', expected: 'ac' },
  { name: 'attempt outside try dropped with content', input: 'a<esi:attempt>b</esi:attempt>c', expected: 'ac' },
  { name: 'upper-case ESI is not ESI', input: '<ESI:include src="/fragments/a"/>', expected: '<ESI:include src="/fragments/a"/>' },
];

describe('malformed markup', () => {
  it.each(MALFORMED)('$name', async ({ input, expected }) => {
    const { html } = await assemble(input, fakeFetcher(FRAGMENTS));
    expect(html).toBe(expected);
  });
});
