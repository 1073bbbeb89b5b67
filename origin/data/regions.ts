/** Geo promotions per region (the edge's `$(GEO{region})`); a region not listed here has no promo. */
export interface RegionPromo {
  headline: string;
  detail: string;
}

const PROMOS: Readonly<Record<string, RegionPromo>> = {
  'eu-west': { headline: 'Free UK & Ireland delivery', detail: 'on orders over £50, with next-day options.' },
  'eu-central': { headline: 'Kostenloser Versand', detail: 'ab 50 € in Deutschland, Österreich und der Schweiz.' },
  'eu-north': { headline: 'Winter-ready shipping', detail: 'to the Nordics in 3 working days.' },
  'na-east': { headline: 'Free 2-day shipping', detail: 'on orders over $75 across the East Coast.' },
  'na-west': { headline: 'Free 2-day shipping', detail: 'on orders over $75 across the West Coast.' },
  apac: { headline: 'Now shipping to Asia-Pacific', detail: 'with duties included at checkout.' },
  latam: { headline: 'Envío gratis', detail: 'en pedidos superiores a $100.' },
};

export const REGIONS: readonly string[] = Object.keys(PROMOS);

export function promoFor(region: string): RegionPromo | undefined {
  return Object.hasOwn(PROMOS, region) ? PROMOS[region] : undefined;
}
