/**
 * `$(DECISION)` in `<esi:vars>`: the token names what the page exposed, so its part waits for the
 * rest of the page (every other part at the root), then asks for the token once per page.
 */
import type { EsiVariables } from './esi-variables.ts';
import { Later } from './later.ts';
import type { Part, Rendered } from './rendered-part.ts';
import { whenSettled } from './rendered-part.ts';

const encoder = new TextEncoder();

export interface DecisionParts {
  /** A new `$(DECISION)` part. */
  part: () => Part;
  /** Told of every part added at the root. */
  root: (part: Part) => void;
  /** The token, once asked for. */
  token: () => Promise<string | null> | null;
  /** Some `$(DECISION)` part was made: the token names the segment, so the page read `SEGMENT`. */
  used: () => boolean;
}

/** `$(DECISION)`: parts that wait for the rest of the page, then for the token, asked for once. */
/** What the parts need from the page: its variables and how to ask for the token. */
export interface DecisionSource {
  vars: EsiVariables;
  decisionToken?: () => Promise<string | null>;
}

export function decisionParts(options: DecisionSource, templateEnded: Later<void>): DecisionParts | undefined {
  const ask = options.decisionToken;
  if (ask === undefined) return undefined;
  const others: Part[] = [];
  const own = new Set<Part>();
  let token: Promise<string | null> | null = null;
  return {
    part: () => {
      const self = new Later<Rendered>();
      own.add(self);
      const show = (value: string | null): string | null => {
        try {
          self.set({ chunks: value === null ? [] : [encoder.encode(value)], failed: false, ttlMs: Number.POSITIVE_INFINITY, surrogateKeys: [] });
        } catch {
          // Listeners never throw (later.ts); were one to, the token must still reach the report.
        }
        return value;
      };
      // The first part shows the token in the reactions that settle it (a failure is no token):
      // a `catch` and then a `then` would cost one promise job more (~10 µs inside the Wasm guest).
      templateEnded.on(() =>
        whenSettled(others, () => {
          if (token === null) token = ask().then(show, () => show(null));
          else void token.then(show);
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

