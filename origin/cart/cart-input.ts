/** The add and remove requests of the basket, validated into typed values or an error for a 400. */
import { PRODUCTS, type Product } from '../data/catalog.ts';
import { MAX_QTY } from './cart-store.ts';

export type ItemInput = { ok: true; product: Product; qty: number } | { ok: false; error: string };

const SKU = /^sku-\d{1,8}$/;

export function productWithSku(sku: string): Product | undefined {
  return PRODUCTS.find((product) => product.sku === sku);
}

export function readItemInput(fields: ReadonlyMap<string, string>, allowed: readonly string[]): ItemInput {
  for (const name of fields.keys()) {
    if (!allowed.includes(name)) return { ok: false, error: `unknown field "${name.slice(0, 32)}"` };
  }
  const sku = fields.get('sku');
  if (sku === undefined || !SKU.test(sku)) return { ok: false, error: 'sku must look like "sku-1001"' };
  const product = productWithSku(sku);
  if (!product) return { ok: false, error: 'no such product' };
  const qtyText = fields.get('qty') ?? '1';
  const qty = /^\d{1,2}$/.test(qtyText) ? Number(qtyText) : NaN;
  if (!(qty >= 1 && qty <= MAX_QTY)) return { ok: false, error: `qty must be a whole number from 1 to ${MAX_QTY}` };
  return { ok: true, product, qty };
}
