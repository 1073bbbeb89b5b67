/**
 * `$(DECISION)` in `<esi:vars>`: the token names what the page exposed, so its part waits for the
 * rest of the page (every other part at the root), then asks for the token once per page.
 */
import type { EsiVariables } from './esi-variables.ts';
import { Later } from '../later.ts';
import type { Part, Rendered } from './rendered-part.ts';
import { whenSettled } from './rendered-part.ts';

const encoder = new TextEncoder();

export interface DecisionParts {
  /** A new `$(DECISION)` part. */
  part: () => Part;
  /** Told of every part added at the root. */
  root: (part: Part) => void;
  /** The token (null when it could not be signed), once asked for. */
  token: () => Later<string | null> | null;
  /** Some `$(DECISION)` part was made: the token names the segment, so the page read `SEGMENT`. */
  used: () => boolean;
}

/** What the parts need from the page: its variables and how to ask for the token. */
export interface DecisionSource {
  vars: EsiVariables;
  decisionToken?: () => Promise<string | null>;
}

/** `$(DECISION)`: parts that wait for the rest of the page, then for the token, asked for once. */
export function decisionParts(options: DecisionSource, templateEnded: Later<void>): DecisionParts | undefined {
  const ask = options.decisionToken;
  if (ask === undefined) return undefined;
  const others: Part[] = [];
  const own = new Set<Part>();
  let token: Later<string | null> | null = null;
  return {
    part: () => {
      const self = new Later<Rendered>();
      own.add(self);
      templateEnded.on(() =>
        whenSettled(others, () => {
          (token ??= asked(ask)).on((value) => self.set({ chunks: value === null ? [] : [encoder.encode(value)], failed: false, ttlMs: Number.POSITIVE_INFINITY, surrogateKeys: [] }));
        }),
      );
      return self;
    },
    root: (part) => {
      if (part instanceof Later && !own.has(part)) others.push(part);
    },
    token: () => token,
    // The token names the segment, so a stored copy of the page is keyed on it (the report adds it).
    used: () => own.size > 0,
  };
}

/**
 * The token, null when it could not be signed. One reaction on the signer's promise sets it, and
 * the parts and the report listen to it: a `catch` and a `then` per listener were a promise job
 * each (~10 µs and two clock reads apiece inside the Wasm guest).
 */
function asked(ask: () => Promise<string | null>): Later<string | null> {
  const token = new Later<string | null>();
  const failed = (): void => token.set(null);
  try {
    ask().then((value) => token.set(value), failed);
  } catch {
    failed();
  }
  return token;
}
