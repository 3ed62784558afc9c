import type { TokenUsage } from './types.js';

/** One field of a provider's usage that the kernel had to correct. */
export interface UsageCorrection {
  readonly field: keyof TokenUsage;
  readonly received: unknown;
  readonly used: number | undefined;
}

type Counts = { -readonly [K in keyof TokenUsage]: TokenUsage[K] };

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A count as a non-negative integer: numeric strings and fractions are read, anything else is 0. */
function toCount(value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return 0;
  return Math.min(Math.round(number), Number.MAX_SAFE_INTEGER);
}

/**
 * Usage as the ledger may trust it, from whatever a provider (built-in or third-party) reported:
 * every count a non-negative safe integer, the parts no larger than their totals, and
 * `totalTokens` = prompt + completion. A negative or non-numeric count would drive the ledger down
 * and let later calls past a budget. The common case, usage that is already sound, costs a few
 * comparisons and returns the same object.
 */
export function sanitizeUsage(usage: TokenUsage | undefined, onCorrection?: (correction: UsageCorrection) => void): TokenUsage {
  if (usage === undefined || usage === null || typeof usage !== 'object') {
    if (usage !== undefined) onCorrection?.({ field: 'totalTokens', received: usage, used: 0 });
    return { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  }
  const { promptTokens, completionTokens, totalTokens, cachedTokens, cacheWriteTokens, reasoningTokens, reportedCostUsd } = usage;
  if (
    isCount(promptTokens) &&
    isCount(completionTokens) &&
    totalTokens === promptTokens + completionTokens &&
    (cachedTokens === undefined || (isCount(cachedTokens) && cachedTokens <= promptTokens)) &&
    (cacheWriteTokens === undefined || (isCount(cacheWriteTokens) && cacheWriteTokens + (cachedTokens ?? 0) <= promptTokens)) &&
    (reasoningTokens === undefined || (isCount(reasoningTokens) && reasoningTokens <= completionTokens)) &&
    (usage.cacheWrite1hTokens === undefined || (isCount(usage.cacheWrite1hTokens) && usage.cacheWrite1hTokens <= (cacheWriteTokens ?? 0))) &&
    (reportedCostUsd === undefined || (typeof reportedCostUsd === 'number' && Number.isFinite(reportedCostUsd) && reportedCostUsd >= 0))
  ) {
    return usage;
  }
  return correct(usage, onCorrection);
}

function correct(usage: TokenUsage, onCorrection: ((correction: UsageCorrection) => void) | undefined): TokenUsage {
  const note = (field: keyof TokenUsage, received: unknown, used: number | undefined): void => {
    if (received !== used) onCorrection?.({ field, received, used });
  };
  const prompt = toCount(usage.promptTokens);
  note('promptTokens', usage.promptTokens, prompt);
  const completion = toCount(usage.completionTokens);
  note('completionTokens', usage.completionTokens, completion);
  const out: Counts = { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
  // A total that disagrees with its parts is recomputed; only a missing or broken total is worth a notice.
  if (!isCount(usage.totalTokens) || usage.totalTokens < prompt + completion) note('totalTokens', usage.totalTokens, out.totalTokens);
  if (usage.cachedTokens !== undefined) {
    const cached = Math.min(toCount(usage.cachedTokens), prompt);
    note('cachedTokens', usage.cachedTokens, cached);
    out.cachedTokens = cached;
  }
  if (usage.cacheWriteTokens !== undefined) {
    const cacheWrite = Math.min(toCount(usage.cacheWriteTokens), prompt - (out.cachedTokens ?? 0));
    note('cacheWriteTokens', usage.cacheWriteTokens, cacheWrite);
    out.cacheWriteTokens = cacheWrite;
  }
  if (usage.cacheWrite1hTokens !== undefined) {
    const cacheWrite1h = Math.min(toCount(usage.cacheWrite1hTokens), out.cacheWriteTokens ?? 0);
    note('cacheWrite1hTokens', usage.cacheWrite1hTokens, cacheWrite1h);
    out.cacheWrite1hTokens = cacheWrite1h;
  }
  if (usage.reasoningTokens !== undefined) {
    const reasoning = Math.min(toCount(usage.reasoningTokens), completion);
    note('reasoningTokens', usage.reasoningTokens, reasoning);
    out.reasoningTokens = reasoning;
  }
  if (usage.reportedCostUsd !== undefined) {
    const cost = usage.reportedCostUsd;
    if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0) out.reportedCostUsd = cost;
    else note('reportedCostUsd', cost, undefined);
  }
  return out;
}

/** The sum of two usages, e.g. of a call's attempts. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const sum: Counts = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  if (a.cachedTokens !== undefined || b.cachedTokens !== undefined) sum.cachedTokens = (a.cachedTokens ?? 0) + (b.cachedTokens ?? 0);
  if (a.cacheWriteTokens !== undefined || b.cacheWriteTokens !== undefined) sum.cacheWriteTokens = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  if (a.cacheWrite1hTokens !== undefined || b.cacheWrite1hTokens !== undefined) sum.cacheWrite1hTokens = (a.cacheWrite1hTokens ?? 0) + (b.cacheWrite1hTokens ?? 0);
  if (a.reasoningTokens !== undefined || b.reasoningTokens !== undefined) sum.reasoningTokens = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  if (a.reportedCostUsd !== undefined || b.reportedCostUsd !== undefined) sum.reportedCostUsd = (a.reportedCostUsd ?? 0) + (b.reportedCostUsd ?? 0);
  return sum;
}
