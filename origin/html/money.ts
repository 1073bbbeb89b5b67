/** Prices as the store shows them: pounds sterling, two decimals (`£24.99`), from whole pence. */
const GBP = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

export function formatGbp(pence: number): string {
  return GBP.format(pence / 100);
}

/** The beacon's `value`: pounds as a number with at most two decimals. */
export function poundsValue(pence: number): string {
  return (pence / 100).toFixed(2);
}
