/**
 * The demo store's baskets and orders, in memory on the origin, keyed by the `cart` cookie the
 * origin sets. Bounded: the least recently used baskets and the oldest orders are dropped past the
 * caps, so a client minting cookies cannot grow memory without limit.
 */
export interface CartLine {
  sku: string;
  qty: number;
}

export interface OrderLine extends CartLine {
  name: string;
  priceCents: number;
}

export interface Order {
  id: string;
  lines: OrderLine[];
  totalPence: number;
}

export type PricedItem = { name: string; priceCents: number };

export const MAX_QTY = 10;
export const MAX_LINES = 50;
const MAX_CARTS = 10_000;
const MAX_ORDERS = 10_000;

export type AddResult = 'ok' | 'too-many-lines';

export class CartStore {
  private readonly carts = new Map<string, Map<string, number>>();
  private readonly orders = new Map<string, Order>();
  private nextOrder = 1;

  lines(cartId: string): CartLine[] {
    const cart = this.carts.get(cartId);
    return cart ? [...cart.entries()].map(([sku, qty]) => ({ sku, qty })) : [];
  }

  count(cartId: string): number {
    return this.lines(cartId).reduce((sum, line) => sum + line.qty, 0);
  }

  /** Adds `qty`, capping a line at MAX_QTY. */
  add(cartId: string, sku: string, qty: number): AddResult {
    const cart = this.touch(cartId);
    if (!cart.has(sku) && cart.size >= MAX_LINES) return 'too-many-lines';
    cart.set(sku, Math.min(MAX_QTY, (cart.get(sku) ?? 0) + qty));
    return 'ok';
  }

  remove(cartId: string, sku: string): void {
    this.carts.get(cartId)?.delete(sku);
  }

  /** Turns the basket into an order and empties it; null when it is empty. */
  checkout(cartId: string, priceOf: (sku: string) => PricedItem | undefined): Order | null {
    const lines: OrderLine[] = [];
    for (const line of this.lines(cartId)) {
      const item = priceOf(line.sku);
      if (item) lines.push({ ...line, ...item });
    }
    if (lines.length === 0) return null;
    const order: Order = {
      id: `TS-${String(this.nextOrder++).padStart(6, '0')}`,
      lines,
      totalPence: lines.reduce((sum, line) => sum + line.qty * line.priceCents, 0),
    };
    this.carts.delete(cartId);
    this.orders.set(order.id, order);
    if (this.orders.size > MAX_ORDERS) this.orders.delete(this.orders.keys().next().value ?? '');
    return order;
  }

  order(id: string): Order | undefined {
    return this.orders.get(id);
  }

  private touch(cartId: string): Map<string, number> {
    const cart = this.carts.get(cartId) ?? new Map<string, number>();
    this.carts.delete(cartId);
    this.carts.set(cartId, cart);
    if (this.carts.size > MAX_CARTS) this.carts.delete(this.carts.keys().next().value ?? '');
    return cart;
  }
}
