import { describe, expect, it } from 'vitest';
import { parseFaultFlag } from '../../../origin/faults/parse-fault-flag.ts';

describe('parseFaultFlag', () => {
  it.each([
    { flag: 'profiles=hang', spec: { backend: 'profiles', kind: 'hang' } },
    { flag: 'templates=garbage', spec: { backend: 'templates', kind: 'garbage' } },
    { flag: 'templates=status:503', spec: { backend: 'templates', kind: 'status', status: 503 } },
    { flag: 'templates=status', spec: { backend: 'templates', kind: 'status', status: 503 } },
    { flag: 'profiles=latency:80', spec: { backend: 'profiles', kind: 'latency', ms: 80 } },
    { flag: 'fragments=oversized:300000', spec: { backend: 'fragments', kind: 'oversized', bytes: 300000 } },
    { flag: 'fragments=drip:50', spec: { backend: 'fragments', kind: 'drip', intervalMs: 50, chunkBytes: 256 } },
    { flag: 'fragments=latency:300@/fragments/recs', spec: { backend: 'fragments', kind: 'latency', ms: 300, pathPrefix: '/fragments/recs' } },
  ])('parses $flag', ({ flag, spec }) => {
    expect(parseFaultFlag(flag)).toEqual({ ok: true, spec });
  });

  it.each([
    { flag: 'hang', error: '--fault "hang" must look like backend=kind[:param]' },
    { flag: 'origin=hang', error: '--fault backend "origin" must be one of templates, profiles, fragments' },
    { flag: 'profiles=explode', error: '--fault profiles=explode: kind must be one of latency, status, garbage, hang, oversized, drip, jitter' },
    { flag: 'profiles=hang:5', error: '--fault hang takes no parameter' },
    { flag: 'profiles=latency:soon', error: '--fault latency parameter "soon" must be a whole number' },
    { flag: 'profiles=status:99', error: '--fault profiles=status:99: status must be an integer from 200 to 599' },
    { flag: 'profiles=hang@profiles', error: '--fault profiles=hang@profiles: pathPrefix must be a path starting with /' },
  ])('rejects $flag with a one-line reason', ({ flag, error }) => {
    expect(parseFaultFlag(flag)).toEqual({ ok: false, error });
  });
});
