/**
 * The command line the paired in-guest A/B tools share: `BEFORE.wasm AFTER.wasm [COUNT]`, with a
 * usage line and exit code 2 when it is wrong.
 */
export function readAbArgs(script: string, what: string, fallback: number): { before: string; after: string; count: number } {
  const [before, after, countText = String(fallback)] = process.argv.slice(2);
  const count = Number(countText);
  if (!before || !after || !Number.isInteger(count) || count < 3) {
    console.error(`usage: npx tsx bench/${script} BEFORE.wasm AFTER.wasm [${what} ≥ 3, default ${fallback}]`);
    process.exit(2);
  }
  return { before, after, count };
}
