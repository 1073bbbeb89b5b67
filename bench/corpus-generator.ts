/**
 * The benchmark corpus: realistic store markup generated from a seeded PRNG, so the committed files
 * under bench/corpus/ can be rebuilt byte for byte (`npx tsx bench/corpus-generator.ts` rewrites
 * them; a test checks they match). It holds what real pages hold and what an ESI tokenizer trips
 * over: links and attributes, inline CSS, scripts with `$(` and `${`, HTML comments and conditional
 * comments, `</e…` closers and `<!--` that are not ESI, JSON-LD, multi-byte UTF-8 (accents, CJK,
 * emoji) and one windows-1252 page. Templates carry no ESI: `corpus-pages.ts` inserts includes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from './corpus-prng.ts';

const NAMES = ['Trail runner', 'Löwenzahn hoodie', 'Café crème mug', 'Ultralight tent', 'Señora sandal', '跑步鞋 Pro', 'Fjällräven pack', 'Naïve wool sock', 'Crème brûlée set', 'Grip gloves 🧤'];
const CATEGORIES = ['running', 'shoes', 'outdoor', 'hats', 'jackets', 'socks', 'bags', 'watches'];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function productCard(random: () => number, i: number): string {
  const category = pick(random, CATEGORIES);
  const name = pick(random, NAMES);
  const price = (10 + random() * 290).toFixed(2);
  const sku = 1000 + Math.floor(random() * 9000);
  const rating = (1 + random() * 4).toFixed(1);
  return `<li class="grid__item product-card product-card--${category}" data-sku="sku-${sku}" data-position="${i}">
  <a href="/product/${category}/sku-${sku}?color=${pick(random, ['red', 'blue', 'black'])}&amp;size=${36 + (i % 10)}" class="product-card__link" title="${name} – ${category}">
    <img src="https://cdn.example.com/img/${category}/${sku}.jpg?w=320&amp;q=75" srcset="https://cdn.example.com/img/${category}/${sku}.jpg?w=640 2x" alt="${name}" loading="lazy" width="320" height="320">
    <h3 class="product-card__title"><em>${name}</em></h3>
  </a>
  <p class="price" aria-label="Price">€${price} <s>€${(Number(price) * 1.2).toFixed(2)}</s> — <span class="rating" style="--stars:${rating}">★ ${rating}</span></p>
  <button type="button" class="btn btn--cart" onclick="cart.add('sku-${sku}', 1); return false;" data-analytics='{"event":"add_to_cart","sku":"sku-${sku}"}'>In den Warenkorb</button>
</li>
`;
}

function inlineStyle(random: () => number): string {
  const rules = CATEGORIES.map((c) => `.product-card--${c} .price{color:#${Math.floor(random() * 0xffffff).toString(16).padStart(6, '0')};}`).join('\n');
  return `<style>
:root{--brand:#0a7;--gap:12px}body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:var(--gap)}
.product-card__title::after{content:"\\2192";margin-left:.25em}a[href^="http"]:not([href*="example.com"])::after{content:" ↗"}
${rules}
@media (max-width:600px){.grid{grid-template-columns:1fr 1fr}}
</style>
`;
}

function inlineScript(random: () => number): string {
  return `<script>
  /* tracking <!-- not a comment --> and </em> is not a tag here */
  $(function () {
    $('.btn--cart').on('click', function (e) { var sku = $(this).data('sku'); window.dataLayer.push({ sku: sku, t: ${Math.floor(random() * 1e6)} }); });
    var label = \`Total: \${$('.price').length} items, 50% off <b>today</b>\`;
    if (a < b && b > c) { $('#cart-count').text(label); }
  });
</script>
`;
}

function jsonLd(random: () => number): string {
  const offers = Array.from({ length: 3 }, () => ({ '@type': 'Offer', price: (random() * 200).toFixed(2), priceCurrency: 'EUR', availability: 'https://schema.org/InStock' }));
  return `<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'Product', name: pick(random, NAMES), description: 'Leicht, atmungsaktiv – für lange Läufe. 軽量。', offers })}</script>\n`;
}

function comments(random: () => number): string {
  return `<!-- grid rendered by shop-frontend ${Math.floor(random() * 1e4)} -->
<!--[if lt IE 9]><script src="/js/html5shiv.js"></script><![endif]-->
<!-- <esi-like> is not ESI, and neither is <e-mail> or </em> -->
`;
}

/** One block of a category page: a grid of cards with the page furniture around it. */
function storeBlock(random: () => number, cards: number): string {
  let html = `<section class="grid-section">\n<h2>Neu eingetroffen · 新着 · Nouveautés</h2>\n${comments(random)}<ul class="grid">\n`;
  for (let i = 0; i < cards; i++) html += productCard(random, i);
  html += `</ul>\n${jsonLd(random)}${inlineScript(random)}</section>\n`;
  return html;
}

export function storePage(seed = 1, blocks = 24): { head: string; body: string; tail: string } {
  const random = prng(seed);
  const head = `<!doctype html>
<html lang="de-DE">
<head>
<meta charset="utf-8"><title>Laufschuhe &amp; Zubehör – Example Store</title>
<link rel="stylesheet" href="/css/site.css?v=3.2.1"><link rel="preload" as="font" href="/fonts/inter.woff2" crossorigin>
${inlineStyle(random)}</head>
<body class="page page--category" data-page-type="category">
<header><nav><a href="/">Start</a> › <a href="/category/running">Laufen</a> › <span>Schuhe</span></nav></header>
<main id="main">
`;
  let body = '';
  for (let b = 0; b < blocks; b++) body += storeBlock(random, 8);
  const tail = `</main>
<footer><p>© 2026 Example Store · Preise inkl. MwSt. · <a href="/impressum">Impressum</a> 🏃‍♀️</p></footer>
</body>
</html>
`;
  return { head, body, tail };
}

/** windows-1252 bytes for the characters the legacy page uses (U+0080–U+009F differ from Latin-1). */
const CP1252: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '“': 0x93, '”': 0x94, '’': 0x92, '…': 0x85, '™': 0x99 };

export function encodeWindows1252(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const mapped = CP1252[text[i]!] ?? (code <= 0xff && (code < 0x80 || code >= 0xa0) ? code : 0x3f);
    out[i] = mapped;
  }
  return out;
}

export function legacyPage(seed = 7): Uint8Array {
  const random = prng(seed);
  let rows = '';
  for (let i = 0; i < 120; i++) {
    rows += `<tr><td><a href="/produkt.asp?id=${Math.floor(random() * 1e5)}&amp;lang=fr">Crème “spéciale” n°${i}</a></td><td>€ ${(random() * 99).toFixed(2)}</td><td>Qualité supérieure™ – très léger… l’été</td></tr>\n`;
  }
  const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>Boutique – Été</title>
<script language="JavaScript">function go(u){ if (u) $(document).ready(function(){ location.href = u; }); }</script></head>
<body><!-- généré par Boutique 4.0 --><table border="0" cellpadding="2">
${rows}</table></body></html>
`;
  return encodeWindows1252(html);
}

/** A recommendations fragment, about 1 KB of UTF-8. */
export function fragment(seed = 3): string {
  const random = prng(seed);
  let html = '<section class="recs" aria-label="Empfehlungen">';
  for (let i = 0; i < 12; i++) html += `<article><a href="/p/sku-${1000 + Math.floor(random() * 9000)}">${pick(random, NAMES)}</a><span>€${(random() * 200).toFixed(2)}</span></article>`;
  return `${html}</section>`;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Every committed corpus file by name. */
export function corpusFiles(): Map<string, Uint8Array> {
  const store = storePage();
  return new Map([
    ['store-head.html', utf8(store.head)],
    ['store-body.html', utf8(store.body)],
    ['store-tail.html', utf8(store.tail)],
    ['legacy-windows-1252.html', legacyPage()],
    ['fragment-recs.html', utf8(fragment())],
  ]);
}

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

if (process.argv[1] === import.meta.filename) {
  for (const [name, bytes] of corpusFiles()) writeFileSync(join(CORPUS_DIR, name), bytes);
  console.log(`wrote ${CORPUS_DIR}`);
}
