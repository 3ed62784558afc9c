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
  /** Calls charged partly on the kernel's estimate (cut off before the provider reported usage); part of `calls`. */
  readonly estimatedCalls: number;
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
  estimatedCalls = 0;
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
    // The kernel sanitises usage; the ledger defends itself too, so no event can take a sum down.
    const usage = event.usage;
    const prompt = count(usage.promptTokens);
    const cached = count(usage.cachedTokens);
    const cacheWrite = count(usage.cacheWriteTokens);
    const completion = count(usage.completionTokens);
    this.calls += 1;
    if (event.partial) this.partialCalls += 1;
    if ((event as { readonly estimated?: boolean }).estimated === true) this.estimatedCalls += 1;
    this.inputTokens += Math.max(0, prompt - cached - cacheWrite);
    this.cachedInputTokens += cached;
    this.cacheWriteTokens += cacheWrite;
    this.outputTokens += completion;
    this.reasoningTokens += count(usage.reasoningTokens);
    this.totalTokens += count(usage.totalTokens);

    const costUsd = event.costUsd;
    // A negative or non-finite cost is as unknown as a missing one: counted apart, never as a refund.
    if (costUsd === undefined || !(costUsd >= 0) || !Number.isFinite(costUsd)) {
      this.unknownPricingCalls += 1;
      return;
    }
    const costNano = toNano(costUsd);
    this.totalNano += costNano;
    const breakdown = event.breakdown;
    if (breakdown === undefined || breakdown.source === 'provider') {
      this.providerReportedNano += costNano;
      return;
    }
    this.inputNano += nano(breakdown.input);
    this.cachedInputNano += nano(breakdown.cachedInput);
    this.cacheWriteNano += nano(breakdown.cacheWrite);
    this.outputNano += nano(breakdown.output);
  }

  snapshot(): CostTotals {
    return {
      totalUsd: fromNano(this.totalNano),
      calls: this.calls,
      unknownPricingCalls: this.unknownPricingCalls,
      partialCalls: this.partialCalls,
      estimatedCalls: this.estimatedCalls,
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

/** A token count as the ledger adds it: a non-negative integer (anything else counts 0). */
function count(value: number | undefined): number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? Math.round(value) : 0;
}

function nano(usd: number): number {
  return typeof usd === 'number' && usd > 0 && Number.isFinite(usd) ? toNano(usd) : 0;
}
