import type { PriceEntry } from '../core/pricing-table.js';
import type { ModelPricing, ModelRates } from '../core/types.js';

/** `$3`, `$0.15`, `$0.075`. */
export function usd(value: number): string {
  return `$${value.toFixed(Math.max(2, Math.min(6, (String(value).split('.')[1] ?? '').length)))}`;
}

function rates(rates: Partial<ModelRates>, base?: ModelRates): string {
  const parts: string[] = [];
  const add = (label: string, value: number | undefined, fallback?: number): void => {
    if (value !== undefined) parts.push(`${label} ${usd(value)}`);
    else if (fallback !== undefined && base === undefined) parts.push(`${label} ${usd(fallback)}`);
  };
  add('input', rates.input);
  add('cached', rates.cachedInput, rates.input);
  add('cache write 5m', rates.cacheWrite, rates.input);
  add('cache write 1h', rates.cacheWrite1h ?? (base === undefined ? rates.cacheWrite : undefined), rates.input);
  add('output', rates.output);
  if (rates.reasoning !== undefined) add('reasoning', rates.reasoning);
  return parts.join(' · ');
}

/** The lines that show one price: base rates, fees, each tier, batch. */
export function pricingLines(pricing: ModelPricing): string[] {
  const lines = [`per 1M tokens: ${rates(pricing)}`];
  if (pricing.perRequest) lines.push(`per request: ${usd(pricing.perRequest)}`);
  for (const tier of pricing.tiers ?? []) lines.push(`prompts over ${tier.above.toLocaleString('en-US')} tokens: ${rates(tier, pricing)}`);
  if (pricing.batch) lines.push(`batch API: ${rates(pricing.batch)}`);
  return lines;
}

const ORIGIN: Readonly<Record<PriceEntry['origin'], string>> = { database: 'price database', own: "HyperAgent's own entry", override: 'override file' };

/** `openai  gpt-4o-mini (price database entry gpt-4o-mini)` and the price lines under it. */
export function priceEntryLines(provider: string, model: string, entry: PriceEntry): string[] {
  const lines = [`${provider}  ${model}  (${ORIGIN[entry.origin]}${entry.entryId.toLowerCase() === model.toLowerCase() ? '' : `, entry ${entry.entryId}`})`];
  for (const line of pricingLines(entry.pricing)) lines.push(`  ${line}`);
  if (entry.ignored?.length) lines.push(`  not charged by HyperAgent: ${entry.ignored.join(', ')}`);
  lines.push(`  source: ${entry.pricingSource}`);
  return lines;
}
