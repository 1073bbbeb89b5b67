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
      templateEnded.on(() =>
        whenSettled(others, () => {
          void (token ??= ask().catch(() => null)).then((value) => self.set({ chunks: value === null ? [] : [encoder.encode(value)], failed: false, ttlMs: Number.POSITIVE_INFINITY, surrogateKeys: [] }));
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

