/**
 * What the fragments server says to each demo segment: hero copy per experiment variant and the
 * categories its recommendations draw from. Segments and variants are the closed sets of
 * fastly.toml; an unknown segment is a 404, an unknown or empty variant is `control`.
 */
import type { Category } from './catalog.ts';

export const SEGMENTS = ['vip', 'runner', 'outdoor', 'mobile-visitor', 'general'] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface HeroCopy {
  eyebrow: string;
  headline: string;
  boldHeadline: string;
  copy: string;
  cta: string;
  href: string;
}

export interface SegmentContent {
  hero: HeroCopy;
  recsHeading: string;
  recsCategories: readonly Category[];
}

const CONTENT: Record<Segment, SegmentContent> = {
  vip: {
    hero: {
      eyebrow: 'Members lounge',
      headline: 'Early access to the winter collection',
      boldHeadline: 'Your winter collection is ready',
      copy: 'Free express shipping and priority returns on every order, as a thank-you for being with us.',
      cta: 'Shop early access',
      href: '/category/jackets',
    },
    recsHeading: 'Hand-picked for members',
    recsCategories: ['jackets', 'outdoor'],
  },
  runner: {
    hero: {
      eyebrow: 'Race season',
      headline: 'Faster miles start with the right shoe',
      boldHeadline: 'Chase your next personal best',
      copy: 'Carbon racers, daily trainers and everything for long runs, tested by our run club.',
      cta: 'Shop running',
      href: '/category/running',
    },
    recsHeading: 'For your next run',
    recsCategories: ['running', 'shoes'],
  },
  outdoor: {
    hero: {
      eyebrow: 'Trail ready',
      headline: 'Pack light, go further',
      boldHeadline: 'The mountains are calling',
      copy: 'Tents, packs and layers that earn their place on every trip.',
      cta: 'Shop outdoor',
      href: '/category/outdoor',
    },
    recsHeading: 'Trail essentials',
    recsCategories: ['outdoor', 'jackets'],
  },
  'mobile-visitor': {
    hero: {
      eyebrow: 'On the go',
      headline: 'Gear up in a few taps',
      boldHeadline: 'Tap, order, go',
      copy: 'Our bestsellers, with free returns on every order.',
      cta: 'See bestsellers',
      href: '/category/shoes',
    },
    recsHeading: 'Bestsellers',
    recsCategories: ['shoes', 'running', 'outdoor', 'jackets'],
  },
  general: {
    hero: {
      eyebrow: 'New season',
      headline: 'Gear for every trail',
      boldHeadline: 'Built for the outdoors',
      copy: 'Running, hiking and everyday outdoor gear, with free returns within 30 days.',
      cta: 'Start exploring',
      href: '/category/outdoor',
    },
    recsHeading: 'Popular right now',
    recsCategories: ['running', 'outdoor', 'shoes', 'jackets'],
  },
};

export function isSegment(value: string): value is Segment {
  return (SEGMENTS as readonly string[]).includes(value);
}

export function segmentContent(segment: Segment): SegmentContent {
  return CONTENT[segment];
}
