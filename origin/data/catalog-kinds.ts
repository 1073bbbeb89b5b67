/**
 * What the catalog is made of: per category, eight kinds of item with a price band in pounds and a
 * few tags, the store's original 32 names (one per kind), and the name prefixes that spell out the
 * rest of the range (nine per category, each combined with every kind).
 */
export const CATEGORIES = ['running', 'outdoor', 'shoes', 'jackets'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Kind {
  label: string;
  /** Lowest and highest whole-pound price. */
  pounds: readonly [number, number];
  tags: readonly string[];
}

function kind(label: string, low: number, high: number, ...tags: string[]): Kind {
  return { label, pounds: [low, high], tags };
}

export const KINDS: Record<Category, readonly Kind[]> = {
  running: [
    kind('Tee', 20, 38, 'road'), kind('Shorts', 25, 42, 'road'), kind('Tights', 35, 65, 'road', 'winter'),
    kind('Singlet', 18, 32, 'road', 'race'), kind('Cap', 12, 24), kind('Socks', 8, 16),
    kind('Vest', 40, 85, 'trail'), kind('Belt', 15, 32),
  ],
  outdoor: [
    kind('Daypack', 45, 95, 'trail'), kind('Poles', 35, 90, 'trail'), kind('Tent', 120, 380, 'camp'),
    kind('Bottle', 10, 26), kind('Hat', 15, 32), kind('Gaiters', 20, 42, 'trail'),
    kind('Bivy Sack', 80, 160, 'camp'), kind('Headlamp', 25, 65, 'camp'),
  ],
  shoes: [
    kind('Runner', 80, 140, 'road'), kind('Trail Shoe', 90, 150, 'trail'), kind('Racer', 140, 230, 'road', 'race'),
    kind('Trainer', 70, 120, 'road'), kind('Approach Shoe', 95, 160, 'trail'), kind('Hiking Boot', 110, 210, 'trail'),
    kind('Slide', 25, 45), kind('Spike', 60, 110, 'race'),
  ],
  jackets: [
    kind('Shell', 140, 320, 'rain'), kind('Puffer', 120, 280, 'winter'), kind('Windbreaker', 55, 110),
    kind('Poncho', 25, 55, 'rain'), kind('Fleece', 45, 95, 'winter'), kind('Parka', 180, 360, 'winter'),
    kind('Softshell', 90, 170), kind('Anorak', 60, 130, 'rain'),
  ],
};

/** The store's first products, in kind order: `sku-1001`.. keep these names. */
export const ORIGINALS: Record<Category, readonly string[]> = {
  running: ['Tempo Tee', 'Stride Shorts', 'Pace Tights', 'Race Singlet', 'Split Cap', 'Cadence Socks', 'Interval Vest', 'Long Run Belt'],
  outdoor: ['Ridge Daypack', 'Summit Poles', 'Basecamp Tent', 'Trailhead Bottle', 'Canyon Hat', 'Alpine Gaiters', 'Bivy Sack', 'Headlamp 400'],
  shoes: ['Glide Runner', 'Trail Grip', 'Carbon Racer', 'Daily Trainer', 'Approach Shoe', 'Hiking Boot', 'Recovery Slide', 'Track Spike'],
  jackets: ['Storm Shell', 'Down Puffer', 'Wind Breaker', 'Rain Poncho', 'Fleece Midlayer', 'Insulated Parka', 'Softshell', 'Packable Anorak'],
};

export const PREFIXES: Record<Category, readonly string[]> = {
  running: ['Aero', 'Swift', 'Tempo Pro', 'Marathon', 'Sprint', 'Dawn', 'Negative Split', 'Parkrun', 'Fartlek'],
  outdoor: ['Fellside', 'Cairn', 'Bothy', 'Scree', 'Moorland', 'Ridgeway', 'Glen', 'Tarn', 'Highland'],
  shoes: ['Velocity', 'Gritstone', 'Cloudline', 'Bog Trotter', 'Tarmac', 'Peak', 'Loam', 'Kestrel', 'Fell'],
  jackets: ['Squall', 'Drizzle', 'Nimbus', 'Gale', 'Thermal', 'Borealis', 'Hailstone', 'Cirrus', 'Monsoon'],
};
