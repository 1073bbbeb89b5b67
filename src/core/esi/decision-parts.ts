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
  /** The token is being signed: every other part at the root has settled, and only the guest's own work is left. */
  signing: () => boolean;
}

/** What the parts need from the page: its variables and how to ask for the token. */
export interface DecisionSource {
  vars: EsiVariables;
  /** Hands the token, or null when it could not be signed, to `done` once; may throw instead. */
  decisionToken?: (done: (token: string | null) => void) => void;
  /** Told when the first `$(DECISION)` part is made, long before the token is asked for (e.g. to read its key meanwhile). */
  decisionSoon?: () => void;
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
      if (own.size === 0) options.decisionSoon?.();
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
    signing: () => token !== null && !token.done,
  };
}

/**
 * The token, null when it could not be signed. The signer sets it from the MAC's own reaction, and
 * the parts and the report listen to it: a reaction on a promise of the signer's, or a `catch` and
 * a `then` per listener, were a promise job each (~10 µs and two clock reads apiece inside the
 * Wasm guest). A signer that throws sets null; a later answer is then ignored.
 */
function asked(ask: (done: (token: string | null) => void) => void): Later<string | null> {
  const token = new Later<string | null>();
  try {
    ask((value) => token.set(value));
  } catch {
    token.set(null);
  }
  return token;
}
