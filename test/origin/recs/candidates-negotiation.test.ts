import { describe, expect, it } from 'vitest';
import { candidateFormat } from '../../../origin/recs/candidates-negotiation.ts';
import { CANDIDATES_ACCEPT } from '../../../src/core/esi/ranked-include.ts';

const COMPACT = 'application/vnd.edge-recs.compact';

describe('choosing the candidate document format from Accept', () => {
  it.each([
    { accept: CANDIDATES_ACCEPT, format: 'compact' },
    { accept: COMPACT, format: 'compact' },
    { accept: `application/json, ${COMPACT}`, format: 'compact' },
    { accept: `${COMPACT.toUpperCase()};q=0.5, application/json;q=0.4`, format: 'compact' },
    { accept: `${COMPACT};q=0.5, */*;q=0.5`, format: 'compact' },
    { accept: ['text/html', COMPACT], format: 'compact' },
    { accept: undefined, format: 'json' },
    { accept: '', format: 'json' },
    { accept: '*/*', format: 'json' },
    { accept: 'application/*', format: 'json' },
    { accept: 'application/json', format: 'json' },
    { accept: `${COMPACT};q=0`, format: 'json' },
    { accept: `${COMPACT};q=0.5, application/json`, format: 'json' },
    { accept: `${COMPACT};q=0.5, application/*;q=0.8`, format: 'json' },
    { accept: `${COMPACT};q=nope`, format: 'json' },
    { accept: `${COMPACT};q=2`, format: 'json' },
    { accept: 'application/vnd.edge-recs.compactish', format: 'json' },
    { accept: ',,;;==', format: 'json' },
  ])('gives $format to Accept: $accept', ({ accept, format }) => {
    expect(candidateFormat(accept)).toBe(format);
  });
});
