import type { CostEvent } from '../../core/hooks.js';

/** USD of one group of calls, split the way providers bill it. */
export interface UsdBreakdown {
  readonly input: number;
  readonly cachedInput: number;
  readonly cacheWrite: number;
  readonly output: number;
  /** Cost the provider reported as one number (OpenRouter), which has no parts. */
  readonly providerReported: number;
}

export interface TokenTotals {
  /** Input tokens billed at the full rate: prompt tokens less cache reads and writes. */
  readonly input: number;
  readonly cachedInput: number;
  readonly cacheWrite: number;
  readonly output: number;
  /** Part of `output`. */
  readonly reasoning: number;
  readonly total: number;
}

export interface CostTotals {
  /** USD of the calls whose price is known. */
  readonly totalUsd: number;
  /** Every call that reported usage, priced or not. */
  readonly calls: number;
  /** Calls to models with unknown pricing: their tokens are counted, their cost is not known (not zero). */
  readonly unknownPricingCalls: number;
  /** Failed calls charged for what was received before the failure; part of `calls`. */
  readonly partialCalls: number;
  readonly usd: UsdBreakdown;
  /** Tokens of every call, priced or not. */
  readonly tokens: TokenTotals;
}

// Nano-dollars: a call can cost less than a micro-dollar, and rounding each call to micro-dollars
// drifts by up to half a micro-dollar per call (cents after 50,000 calls). Integers up to 2^53
// nano-dollars hold $9 million exactly.
const NANO_PER_USD = 1e9;

export function toNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

export function fromNano(nano: number): number {
  return nano / NANO_PER_USD;
}

/** Running sums of one group, all integers so that adding calls never loses a fraction of a cent. */
export class TotalsAccumulator {
  calls = 0;
  unknownPricingCalls = 0;
  partialCalls = 0;
  totalNano = 0;
  private inputNano = 0;
  private cachedInputNano = 0;
  private cacheWriteNano = 0;
  private outputNano = 0;
  private providerReportedNano = 0;
  private inputTokens = 0;
  private cachedInputTokens = 0;
  private cacheWriteTokens = 0;
  private outputTokens = 0;
  private reasoningTokens = 0;
  private totalTokens = 0;

  add(event: CostEvent): void {
    const usage = event.usage;
    const cached = usage.cachedTokens ?? 0;
    const cacheWrite = usage.cacheWriteTokens ?? 0;
    this.calls += 1;
    if (event.partial) this.partialCalls += 1;
    this.inputTokens += Math.max(0, usage.promptTokens - cached - cacheWrite);
    this.cachedInputTokens += cached;
    this.cacheWriteTokens += cacheWrite;
    this.outputTokens += usage.completionTokens;
    this.reasoningTokens += usage.reasoningTokens ?? 0;
    this.totalTokens += usage.totalTokens;

    const breakdown = event.breakdown;
    if (event.costUsd === undefined || !Number.isFinite(event.costUsd)) {
      this.unknownPricingCalls += 1;
      return;
    }
    this.totalNano += toNano(event.costUsd);
    if (breakdown === undefined || breakdown.source === 'provider') {
      this.providerReportedNano += toNano(event.costUsd);
      return;
    }
    this.inputNano += toNano(breakdown.input);
    this.cachedInputNano += toNano(breakdown.cachedInput);
    this.cacheWriteNano += toNano(breakdown.cacheWrite);
    this.outputNano += toNano(breakdown.output);
  }

  snapshot(): CostTotals {
    return {
      totalUsd: fromNano(this.totalNano),
      calls: this.calls,
      unknownPricingCalls: this.unknownPricingCalls,
      partialCalls: this.partialCalls,
      usd: {
        input: fromNano(this.inputNano),
        cachedInput: fromNano(this.cachedInputNano),
        cacheWrite: fromNano(this.cacheWriteNano),
        output: fromNano(this.outputNano),
        providerReported: fromNano(this.providerReportedNano),
      },
      tokens: {
        input: this.inputTokens,
        cachedInput: this.cachedInputTokens,
        cacheWrite: this.cacheWriteTokens,
        output: this.outputTokens,
        reasoning: this.reasoningTokens,
        total: this.totalTokens,
      },
    };
  }
}
