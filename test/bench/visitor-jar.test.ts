/**
 * The bench visitor's cookie jar (bench/visitor-jar.ts): the demo-page rows measure a returning
 * visitor that sends back what the edge set, as a browser does, and the rows' page-cache text.
 */
import { describe, expect, it } from 'vitest';
import { VisitorJar } from '../../bench/visitor-jar.ts';
import { cacheText } from '../../bench/paired-rounds.ts';

const START = 'consent=personalization,analytics; vid=demo-runner.sig';
const SESS = 'sess=s2~demo-runner~running.mac; Path=/; Secure; HttpOnly; SameSite=Lax';

describe('visitor jar', () => {
  it('sends its starting cookies as given', () => {
    expect(new VisitorJar(START).header()).toBe(START);
  });

  it('adds a cookie the edge sets, after the ones it had', () => {
    const jar = new VisitorJar(START);
    jar.keep([SESS]);
    expect(jar.header()).toBe(`${START}; sess=s2~demo-runner~running.mac`);
  });

  it('replaces a cookie the edge sets again, in its place', () => {
    const jar = new VisitorJar(START);
    jar.keep([SESS]);
    jar.keep(['vid=other.sig; Path=/', 'sess=s2~demo-runner~running,trail.mac2; Path=/']);
    expect(jar.header()).toBe('consent=personalization,analytics; vid=other.sig; sess=s2~demo-runner~running,trail.mac2');
  });

  it('keeps everything after the first equals sign of a value', () => {
    const jar = new VisitorJar('a=b=c');
    jar.keep(['d=e==; Path=/']);
    expect(jar.header()).toBe('a=b=c; d=e==');
  });

  it.each([
    { name: 'Max-Age=0', line: 'sess=; Max-Age=0; Path=/' },
    { name: 'a negative Max-Age', line: 'sess=; Path=/; max-age=-1' },
    { name: 'an Expires in the past', line: 'sess=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/' },
  ])('drops a cookie the edge clears with $name', ({ line }) => {
    const jar = new VisitorJar(START);
    jar.keep([SESS]);
    jar.keep([line]);
    expect(jar.header()).toBe(START);
  });

  it('keeps a cookie whose Max-Age or Expires lies ahead', () => {
    const jar = new VisitorJar('');
    jar.keep(['a=1; Max-Age=60', 'b=2; Expires=Fri, 01 Jan 2100 00:00:00 GMT']);
    expect(jar.header()).toBe('a=1; b=2');
  });

  it('ignores a response that sets nothing, and pieces without a name', () => {
    const jar = new VisitorJar(`${START}; ; junk`);
    jar.keep([]);
    expect(jar.header()).toBe(START);
  });
});

describe('page-cache text of the measured requests', () => {
  it('counts each state against the total', () => {
    expect(cacheText(new Map([['MISS', 70], ['HIT', 5]]))).toBe('cache=MISS 70 of 75, cache=HIT 5 of 75');
  });

  it('is empty when nothing was counted', () => {
    expect(cacheText(undefined)).toBe('');
  });
});
