import { describe, expect, it } from 'vitest';
import { decisionParts } from '../../../src/core/esi/decision-parts.ts';
import { Later } from '../../../src/core/later.ts';
import type { Rendered } from '../../../src/core/esi/rendered-part.ts';
import type { EsiVariables } from '../../../src/core/esi/esi-variables.ts';
import { processEsi } from '../../../src/core/esi/esi-processor.ts';
import { fakeFetcher, PAGE_URL, SETTINGS, streamOf, VARS } from './esi-test-kit.ts';

const text = (rendered: Rendered | undefined): string => new TextDecoder().decode(Buffer.concat(rendered?.chunks ?? []));

/** Two `$(DECISION)` parts and one other root part, the template ended; `finish` settles the other part. */
function page(decisionToken: () => Promise<string | null>) {
  let asked = 0;
  const ended = new Later<void>();
  // The signer's promise answered through `done`, as the page's signer does from its MAC's reaction.
  const ask = (done: (token: string | null) => void): void => {
    asked++;
    decisionToken().then(done, () => done(null));
  };
  const parts = decisionParts({ vars: {} as EsiVariables, decisionToken: ask }, ended)!;
  const other = new Later<Rendered>();
  parts.root(other);
  const first = parts.part() as Later<Rendered>;
  const second = parts.part() as Later<Rendered>;
  parts.root(first);
  ended.set(undefined);
  const finish = async (): Promise<void> => {
    other.set({ chunks: [], failed: false, ttlMs: 1, surrogateKeys: [] });
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { parts, first, second, finish, asked: () => asked };
}

describe('decisionParts', () => {
  it('asks for the token once, after the rest of the page, and gives it to every part and the report', async () => {
    const { parts, first, second, finish, asked } = page(() => Promise.resolve('payload.sig'));
    expect(asked()).toBe(0);
    expect(parts.token()).toBeNull();
    await finish();
    expect(asked()).toBe(1);
    expect(text(first.value)).toBe('payload.sig');
    expect(text(second.value)).toBe('payload.sig');
    expect(parts.token()?.value).toBe('payload.sig');
    expect(parts.used()).toBe(true);
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('secret missing'))],
    ['throws before it has a promise', () => {
      throw new Error('no decision');
    }],
    ['answers null', () => Promise.resolve(null)],
  ])('renders nothing and reports no token when the signer %s', async (_name, signer: () => Promise<string | null>) => {
    const { parts, first, second, finish } = page(signer);
    await finish();
    expect(first.done && second.done).toBe(true);
    expect(first.value?.chunks).toEqual([]);
    expect(first.value?.failed).toBe(false);
    expect(parts.token()?.done).toBe(true);
    expect(parts.token()?.value).toBeNull();
  });

  it('tells the page once, when the first part is made, that a token will be asked for', () => {
    let told = 0;
    const parts = decisionParts({ vars: {} as EsiVariables, decisionToken: () => undefined, decisionSoon: () => told++ }, new Later<void>())!;
    expect(told).toBe(0);
    parts.part();
    parts.part();
    expect(told).toBe(1);
  });

  it('says the token is being signed only between asking for it and having it', async () => {
    let answer: (token: string | null) => void = () => undefined;
    const signed = new Promise<string | null>((resolve) => (answer = resolve));
    const { parts, finish } = page(() => signed);
    expect(parts.signing()).toBe(false);
    await finish();
    expect(parts.signing()).toBe(true);
    answer('payload.sig');
    await signed;
    expect(parts.signing()).toBe(false);
  });

  it('holds the bytes ready before the token while it is signed, so they go out with it as one chunk', async () => {
    const template = ['<p>a</p><esi:include src="/fragments/x"/>', '<esi:vars>$(DECISION)</esi:vars><p>end</p>'];
    const { body } = processEsi({
      body: streamOf(template), pageUrl: PAGE_URL, vars: { ...VARS }, settings: SETTINGS,
      fetchFragment: fakeFetcher({ '/fragments/x': { delayMs: 5, body: 'X' } }), now: () => performance.now(),
      decisionToken: (done) => void setTimeout(() => done('T.K'), 5),
    });
    const chunks: string[] = [];
    const reader = body.getReader();
    for (let step = await reader.read(); !step.done; step = await reader.read()) chunks.push(new TextDecoder().decode(step.value));
    expect(chunks).toEqual(['<p>a</p>', 'XT.K<p>end</p>']);
  });

  it('makes no parts without a way to ask for the token', () => {
    expect(decisionParts({ vars: {} as EsiVariables }, new Later<void>())).toBeUndefined();
  });
});
