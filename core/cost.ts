import type { ModelInfo, ModelPricing, ModelRates, TokenUsage } from './types.js';

export interface CostBreakdown {
  /** USD for uncached input tokens. */
  readonly input: number;
  /** USD for cache-read input tokens. */
  readonly cachedInput: number;
  /** USD for cache-write input tokens, both TTLs. */
  readonly cacheWrite: number;
  /** USD for the 1-hour cache writes: part of `cacheWrite`. */
  readonly cacheWrite1h: number;
  /** USD for output tokens, reasoning included. */
  readonly output: number;
  /** USD for reasoning tokens: part of `output` (at the reasoning rate where it is priced apart). */
  readonly reasoning: number;
  /** USD of the per-request fee. */
  readonly perRequest: number;
  readonly total: number;
  /** `provider` when the provider reported the cost itself, `catalog` when computed from our prices. */
  readonly source: 'provider' | 'catalog';
  /** The prompt-length tier whose rates applied (its `above` threshold); `undefined` for the base rates. */
  readonly tier: number | undefined;
  /** Priced at the batch API's rates. */
  readonly batch: boolean;
  /**
   * With `source: "provider"`: what our price table gives for the same usage, `undefined` when the
   * model is unpriced. A reported cost far from it means our table is stale.
   */
  readonly catalogTotal?: number;
}

export interface CostOptions {
  /** The call went through the provider's batch API: its batch rates apply where the model has them. @default false */
  readonly batch?: boolean;
}

const PER_MILLION = 1_000_000;

/**
 * USD cost of one call. Cached tokens and cache writes are parts of `promptTokens` and are billed
 * at their own rates. A provider-reported cost wins over our price table. `undefined` when the
 * model's pricing is unknown: never $0.
 */
export function calculateCost(modelInfo: ModelInfo, usage: TokenUsage, options?: CostOptions): number | undefined {
  return costBreakdown(modelInfo, usage, options)?.total;
}

export function costBreakdown(modelInfo: ModelInfo, usage: TokenUsage, options?: CostOptions): CostBreakdown | undefined {
  const pricing = modelInfo.pricing;
  const computed = pricing === 'unknown' || pricing === undefined || pricing === null ? undefined : priceUsage(pricing, usage, options?.batch === true);
  if (usage.reportedCostUsd !== undefined && Number.isFinite(usage.reportedCostUsd)) {
    return {
      input: 0,
      cachedInput: 0,
      cacheWrite: 0,
      cacheWrite1h: 0,
      output: 0,
      reasoning: 0,
      perRequest: 0,
      total: usage.reportedCostUsd,
      source: 'provider',
      tier: computed?.tier,
      batch: computed?.batch ?? false,
      ...(computed === undefined ? {} : { catalogTotal: computed.total }),
    };
  }
  return computed;
}

/** The tier that applies to a prompt of `promptTokens`: the last one it is longer than. */
export function tierFor(pricing: ModelPricing, promptTokens: number): number | undefined {
  let applied: number | undefined;
  for (const tier of pricing.tiers ?? []) if (promptTokens > tier.above) applied = tier.above;
  return applied;
}

function priceUsage(pricing: ModelPricing, usage: TokenUsage, batch: boolean): CostBreakdown {
  const prompt = count(usage.promptTokens);
  const tierAbove = tierFor(pricing, prompt);
  const tier = tierAbove === undefined ? undefined : pricing.tiers!.find((candidate) => candidate.above === tierAbove);
  const batchRates = batch ? pricing.batch : undefined;
  // Batch rates, then the tier's, then the base ones: a rate left out falls back to the next.
  const rate = (field: keyof ModelRates): number | undefined => batchRates?.[field] ?? tier?.[field] ?? pricing[field];
  const inputRate = rate('input') ?? 0;
  const outputRate = rate('output') ?? 0;
  const cacheWriteRate = rate('cacheWrite') ?? inputRate;
  const cached = Math.min(count(usage.cachedTokens), prompt);
  const cacheWrite = Math.min(count(usage.cacheWriteTokens), prompt - cached);
  const cacheWrite1h = Math.min(count(usage.cacheWrite1hTokens), cacheWrite);
  const uncached = prompt - cached - cacheWrite;
  const completion = count(usage.completionTokens);
  const reasoningTokens = Math.min(count(usage.reasoningTokens), completion);
  const input = (uncached * inputRate) / PER_MILLION;
  const cachedInput = (cached * (rate('cachedInput') ?? inputRate)) / PER_MILLION;
  const cacheWrite1hCost = (cacheWrite1h * (rate('cacheWrite1h') ?? cacheWriteRate)) / PER_MILLION;
  const cacheWriteCost = ((cacheWrite - cacheWrite1h) * cacheWriteRate) / PER_MILLION + cacheWrite1hCost;
  const reasoning = (reasoningTokens * (rate('reasoning') ?? outputRate)) / PER_MILLION;
  const output = ((completion - reasoningTokens) * outputRate) / PER_MILLION + reasoning;
  const perRequest = pricing.perRequest ?? 0;
  // Rounded to a millionth of a micro-dollar: far below any price, and 0.0000072 rather than 0.000007199999999999999.
  const total = Math.round((input + cachedInput + cacheWriteCost + output + perRequest) * 1e12) / 1e12;
  return {
    input,
    cachedInput,
    cacheWrite: cacheWriteCost,
    cacheWrite1h: cacheWrite1hCost,
    output,
    reasoning,
    perRequest,
    total,
    source: 'catalog',
    tier: tierAbove,
    batch: batchRates !== undefined,
  };
}

function count(value: number | undefined): number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? value : 0;
}

/** Sum two usages; optional counters stay absent when neither side has them. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const sum = (x: number | undefined, y: number | undefined): number | undefined =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  return stripUndefined({
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    cachedTokens: sum(a.cachedTokens, b.cachedTokens),
    cacheWriteTokens: sum(a.cacheWriteTokens, b.cacheWriteTokens),
    cacheWrite1hTokens: sum(a.cacheWrite1hTokens, b.cacheWrite1hTokens),
    reasoningTokens: sum(a.reasoningTokens, b.reasoningTokens),
    reportedCostUsd: sum(a.reportedCostUsd, b.reportedCostUsd),
  });
}

export const EMPTY_USAGE: TokenUsage = Object.freeze({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });

function stripUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
