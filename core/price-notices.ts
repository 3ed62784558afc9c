import type { CostBreakdown } from './cost.js';
import type { CallContext } from './hooks.js';
import type { Kernel } from './kernel.js';
import type { ModelInfo, TokenUsage } from './types.js';

/** A reported cost further than this from our table's means the table is stale. */
export const PRICE_MISMATCH_FRACTION = 0.05;

// Differences below a micro-dollar are rounding (OpenRouter reports to 1e-9), not a stale price.
const MISMATCH_FLOOR_USD = 1e-6;

/** Backend and model pairs already noticed, per kernel: once is enough to act on, every call would be noise. */
const noticed = new WeakMap<Kernel, Set<string>>();

function firstTime(kernel: Kernel, kind: string, backend: string, model: string): boolean {
  let seen = noticed.get(kernel);
  if (seen === undefined) noticed.set(kernel, (seen = new Set()));
  const key = `${kind}\u0000${backend}\u0000${model}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/**
 * At a call's charge: a `price-unknown` notice when it used tokens of a model with no price, a
 * `price-mismatch` notice when the provider's own cost disagrees with our table by more than 5%.
 */
export function noticePricing(kernel: Kernel, context: CallContext, model: string, usage: TokenUsage, info: ModelInfo | undefined, breakdown: CostBreakdown | undefined): void {
  const onNotice = kernel.hooks.onNotice;
  if (!onNotice.isUsed()) return;
  const backend = context.backendName;
  const provider = context.provider;
  if (breakdown === undefined) {
    if (usage.totalTokens <= 0 || !firstTime(kernel, 'unknown', backend, model)) return;
    const message =
      `The price of ${model} on backend ${backend} (${provider}) is unknown${info === undefined ? ' (its model info could not be read)' : ''}: its calls have costUsd undefined and ` +
      `are counted apart in the ledger. Give it a price in a price file the config names ("prices": "./prices.json", see \`hyperagent prices update --from\`).`;
    onNotice.call({ type: 'price-unknown', backend, provider, model, message }, context);
    return;
  }
  const tableUsd = breakdown.catalogTotal;
  if (breakdown.source !== 'provider' || tableUsd === undefined) return;
  const reportedUsd = breakdown.total;
  const difference = Math.abs(reportedUsd - tableUsd);
  if (difference <= MISMATCH_FLOOR_USD || difference <= PRICE_MISMATCH_FRACTION * tableUsd) return;
  if (!firstTime(kernel, 'mismatch', backend, model)) return;
  const percent = tableUsd > 0 ? `${Math.round((difference / tableUsd) * 100)}%` : 'more than 5%';
  const message =
    `${provider} reported $${reportedUsd} for a call to ${model} on backend ${backend}, ${percent} away from the $${tableUsd} our price table gives (${info?.pricingSource ?? 'no source'}): ` +
    `the reported cost is the one charged; the table is probably stale (run \`npm run prices\` after updating @pydantic/genai-prices, or override it with a price file).`;
  onNotice.call({ type: 'price-mismatch', backend, provider, model, reportedUsd, tableUsd, message }, context);
}
