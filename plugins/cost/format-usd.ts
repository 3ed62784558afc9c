/** `$12.35`, `$0.0123`, `$0.000000123`: enough digits to tell small amounts apart. */
export function formatUsd(usd: number): string {
  if (usd === 0 || Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  const decimals = Math.min(12, Math.max(4, 2 - Math.floor(Math.log10(Math.abs(usd)))));
  return `$${usd.toFixed(decimals)}`;
}
