/** Compact candidate documents for tests: builders and every malformed case (a failed include each). */
import { MAX_CANDIDATE_BYTES } from '../../../src/core/recs/candidate-document.ts';
import { renderCompactDocument } from '../../../src/core/recs/compact-writer.ts';
import { DOC } from './recs-fixtures.ts';

const encoder = new TextEncoder();
const good = new TextDecoder().decode(renderCompactDocument(DOC.before, DOC.after, DOC.items));
const goodHead = good.slice(good.indexOf('\n') + 1, good.indexOf('\n', good.indexOf('\n') + 1));
/** A document framed correctly around `head`, its HTML section `html`. */
export const framed = (head: string, html = '<li>x</li>'): string => `${encoder.encode(head).length}\n${head}\n${html}`;
/** One item `a` of 10 bytes unless the offsets or groups say otherwise. */
export const withHead = ({ offsets = '[0,10]', groups = '[["x",["a"],[1],[0]]]' }: { offsets?: string; groups?: string }, html?: string): string =>
  framed(`{"before":"","after":"","offsets":${offsets},"groups":${groups}}`, html);
const column = (n: number, value: (i: number) => string): string => `[${Array.from({ length: n }, (_, i) => value(i)).join(',')}]`;
/** `n` items of no bytes, in groups `x` (the first `split`) and `y`. */
export const empties = (n: number, split: number): string =>
  withHead({ offsets: column(n + 1, () => '0'), groups: `[["x",${column(split, (i) => `"i${i}"`)},${column(split, () => '1')},${column(split, (i) => String(i))}],["y",${column(n - split, (i) => `"j${i}"`)},${column(n - split, () => '1')},${column(n - split, (i) => String(split + i))}]]` }, '');

/** Every way a compact document can be malformed: each is a failed include, never a throw. */
export const BAD_COMPACT = [
  { name: 'empty', body: '' },
  { name: 'a JSON candidate document', body: JSON.stringify(DOC) },
  { name: 'truncated inside the head', body: good.slice(0, 40) },
  { name: 'truncated inside the HTML section', body: good.slice(0, -3) },
  { name: 'without a newline after the length', body: `12${goodHead}` },
  { name: 'a length with a sign', body: `+${framed(goodHead)}` },
  { name: 'a length with a leading zero', body: `0${framed(goodHead)}` },
  { name: 'a length past the end', body: `99999\n${goodHead}\n` },
  { name: 'a length one byte short of the head', body: `${goodHead.length - 1}\n${goodHead}\n<li>` },
  { name: 'no newline after the head', body: `${goodHead.length}\n${goodHead}` },
  { name: 'a head that is not JSON', body: framed('{"before":') },
  { name: 'a head that is a JSON array', body: framed('[]') },
  { name: 'a head without groups', body: framed('{"before":"","after":"","offsets":[0,10]}') },
  { name: 'a head without offsets', body: framed('{"before":"","after":"","groups":[]}') },
  { name: 'a head with its keys in another order', body: framed('{"after":"","before":"","offsets":[0,10],"groups":[]}') },
  { name: 'a head with whitespace between tokens', body: framed('{"before": "","after":"","offsets":[0,10],"groups":[["x",["a"],[1],[0]]]}') },
  { name: 'a head with an extra key', body: framed('{"before":"","after":"","offsets":[0,10],"groups":[["x",["a"],[1],[0]]],"x":1}') },
  { name: 'before that is not a string', body: framed('{"before":1,"after":"","offsets":[0,10],"groups":[["x",["a"],[1],[0]]]}') },
  { name: 'offsets that do not start at 0', body: withHead({ offsets: '[1,10]' }) },
  { name: 'offsets that end before the HTML section does', body: withHead({ offsets: '[0,9]' }) },
  { name: 'offsets past the HTML section', body: withHead({ offsets: '[0,11]' }) },
  { name: 'offsets that decrease at an item shown', body: withHead({ offsets: '[0,8,4,10]', groups: '[["x",["b","a","c"],[2,1,1],[1,0,2]]]' }) },
  { name: 'a negative offset', body: withHead({ offsets: '[0,-1,10]', groups: '[["x",["a","b"],[1,1],[0,1]]]' }) },
  { name: 'a fractional offset', body: withHead({ offsets: '[0,0.5,10]', groups: '[["x",["a","b"],[1,1],[0,1]]]' }) },
  { name: 'offsets that are not numbers', body: withHead({ offsets: '[0,"10"]' }) },
  { name: 'a null group', body: withHead({ groups: '[null]' }) },
  { name: 'an empty group', body: withHead({ groups: '[["x",[],[],[]]]' }) },
  { name: 'a group without its orders', body: withHead({ groups: '[["x",["a"],[1]]]' }) },
  { name: 'a group whose category is not a string', body: withHead({ groups: '[[1,["a"],[1],[0]]]' }) },
  { name: 'a group with fewer scores than ids', body: withHead({ offsets: '[0,5,10]', groups: '[["x",["a","b"],[1],[0,1]]]' }) },
  { name: 'a group with more orders than ids', body: withHead({ offsets: '[0,5,10]', groups: '[["x",["a"],[1],[0,1]]]' }) },
  { name: 'an empty id', body: withHead({ groups: '[["x",[""],[1],[0]]]' }) },
  { name: 'an id that is a number', body: withHead({ groups: '[["x",[7],[1],[0]]]' }) },
  { name: 'a score that is a string', body: withHead({ groups: '[["x",["a"],["1"],[0]]]' }) },
  { name: 'a score that overflows to Infinity', body: withHead({ groups: '[["x",["a"],[1e999],[0]]]' }) },
  { name: 'a later score that overflows to Infinity', body: withHead({ offsets: '[0,5,10]', groups: '[["x",["a","b"],[1,-1e999],[0,1]]]' }) },
  { name: 'an order past the list', body: withHead({ groups: '[["x",["a"],[1],[1]]]' }) },
  { name: 'a negative order', body: withHead({ groups: '[["x",["a"],[1],[-1]]]' }) },
  { name: 'an item without an entry', body: withHead({ offsets: '[0,5,10]', groups: '[["x",["a"],[1],[0]]]' }) },
  { name: 'an entry more than there are items', body: withHead({ groups: '[["x",["a"],[1],[0]],["y",["b"],[1],[0]]]' }) },
  { name: 'over 200 items', body: empties(201, 150) },
  { name: 'over 256 KiB', body: withHead({ offsets: `[0,${MAX_CANDIDATE_BYTES}]` }, 'x'.repeat(MAX_CANDIDATE_BYTES)) },
];

