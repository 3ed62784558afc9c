import type { ModelInfo, TokenUsage } from './types.js';

export interface CostBreakdown {
  /** USD for uncached input tokens. */
  readonly input: number;
  /** USD for cache-read input tokens. */
  readonly cachedInput: number;
  /** USD for cache-write input tokens. */
  readonly cacheWrite: number;
  readonly output: number;
  readonly total: number;
  /** `provider` when the provider reported the cost itself, `catalog` when computed from our prices. */
  readonly source: 'provider' | 'catalog';
}

const PER_MILLION = 1_000_000;

/**
 * USD cost of one call. Cached tokens and cache writes are parts of `promptTokens` and are billed
 * at their own rates. A provider-reported cost wins over our price table. `undefined` when the
 * model's pricing is unknown.
 */
export function calculateCost(modelInfo: ModelInfo, usage: TokenUsage): number | undefined {
  return costBreakdown(modelInfo, usage)?.total;
}

export function costBreakdown(modelInfo: ModelInfo, usage: TokenUsage): CostBreakdown | undefined {
  if (usage.reportedCostUsd !== undefined && Number.isFinite(usage.reportedCostUsd)) {
    return { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, total: usage.reportedCostUsd, source: 'provider' };
  }
  const pricing = modelInfo.pricing;
  if (pricing === 'unknown') return undefined;
  const cached = usage.cachedTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.promptTokens - cached - cacheWrite);
  const input = (uncached * pricing.input) / PER_MILLION;
  const cachedInput = (cached * (pricing.cachedInput ?? pricing.input)) / PER_MILLION;
  const cacheWriteCost = (cacheWrite * (pricing.cacheWrite ?? pricing.input)) / PER_MILLION;
  const output = (usage.completionTokens * pricing.output) / PER_MILLION;
  // Rounded to a millionth of a micro-dollar: far below any price, and 0.0000072 rather than 0.000007199999999999999.
  const total = Math.round((input + cachedInput + cacheWriteCost + output) * 1e12) / 1e12;
  return { input, cachedInput, cacheWrite: cacheWriteCost, output, total, source: 'catalog' };
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
    reasoningTokens: sum(a.reasoningTokens, b.reasoningTokens),
    reportedCostUsd: sum(a.reportedCostUsd, b.reportedCostUsd),
  });
}

export const EMPTY_USAGE: TokenUsage = Object.freeze({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });

function stripUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
