/**
 * A product's picture as SVG, drawn from its attributes: a gradient in the item's colour, a
 * pattern picked by its id (stripes, dots or contours), the silhouette of its category and its kind
 * as a caption. Deterministic, so the origin can serve it with a long max-age.
 */
import type { Category, Product } from '../data/catalog.ts';
import { escapeHtml } from './render-html.ts';
import { seedFrom } from '../data/seeded-random.ts';

const SILHOUETTES: Record<Category, string> = {
  // A tee.
  running: 'M140 70 L175 55 Q200 75 225 55 L260 70 L290 110 L260 125 L250 112 L250 230 L150 230 L150 112 L140 125 L110 110 Z',
  // Mountains.
  outdoor: 'M60 230 L150 95 L190 150 L230 80 L340 230 Z',
  // A shoe.
  shoes: 'M80 200 L90 130 Q120 140 150 125 L175 150 Q240 160 300 175 Q330 185 325 215 L80 215 Z',
  // A hooded jacket.
  jackets: 'M165 55 Q200 35 235 55 L265 75 L300 200 L270 205 L262 130 L258 235 L142 235 L138 130 L130 205 L100 200 L135 75 Z',
};

function hueOf(product: Product): number {
  const match = /^hsl\((\d+)/.exec(product.swatch);
  return match ? Number(match[1]) : 200;
}

function pattern(id: string, seed: number, hue: number): string {
  const ink = `hsl(${(hue + 40) % 360} 60% 70% / 0.35)`;
  switch (seed % 3) {
    case 0:
      return `<pattern id="${id}" width="24" height="24" patternUnits="userSpaceOnUse" patternTransform="rotate(${seed % 90})"><rect width="10" height="24" fill="${ink}"/></pattern>`;
    case 1:
      return `<pattern id="${id}" width="22" height="22" patternUnits="userSpaceOnUse"><circle cx="11" cy="11" r="${3 + (seed % 5)}" fill="${ink}"/></pattern>`;
    default:
      return `<pattern id="${id}" width="60" height="30" patternUnits="userSpaceOnUse"><path d="M0 15 Q15 0 30 15 T60 15" fill="none" stroke="${ink}" stroke-width="3"/></pattern>`;
  }
}

export function renderProductImage(product: Product): string {
  const hue = hueOf(product);
  const seed = seedFrom(product.sku);
  const patternId = `p-${product.sku}`;
  const gradientId = `g-${product.sku}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" role="img" aria-label="${escapeHtml(product.name)}">
<defs><linearGradient id="${gradientId}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 60% 58%)"/><stop offset="1" stop-color="hsl(${(hue + 35) % 360} 55% 32%)"/></linearGradient>
${pattern(patternId, seed, hue)}</defs>
<rect width="400" height="300" fill="url(#${gradientId})"/>
<rect width="400" height="300" fill="url(#${patternId})"/>
<ellipse cx="200" cy="240" rx="150" ry="14" fill="hsl(${hue} 40% 15% / 0.35)"/>
<path d="${SILHOUETTES[product.category]}" fill="hsl(${(hue + 180) % 360} 35% 92%)" stroke="hsl(${hue} 40% 20%)" stroke-width="4" stroke-linejoin="round"/>
<text x="20" y="285" font-family="system-ui, sans-serif" font-size="18" font-weight="600" fill="#fff">${escapeHtml(product.kind)}</text>
</svg>
`;
}
