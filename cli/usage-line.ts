import type { TokenUsage } from '../core/types.js';
import { formatUsd } from '../plugins/cost/format-usd.js';

export interface UsageSummary {
  readonly tokenUsage: TokenUsage;
  /** `undefined` when a model's price is unknown. */
  readonly costUsd: number | undefined;
  /** Model calls made (agent steps). */
  readonly calls: number;
  readonly elapsedMs: number;
  /** The prices are the mock provider's made-up ones. */
  readonly mockPrices?: boolean;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** `tokens: 512 in, 38 out, 0 cached · cost: $0.000588 · 2 calls · 1.24s` */
export function usageLine(summary: UsageSummary): string {
  const { tokenUsage: usage } = summary;
  const tokens = `tokens: ${count(usage.promptTokens)} in, ${count(usage.completionTokens)} out, ${count(usage.cachedTokens ?? 0)} cached`;
  const cost = summary.costUsd === undefined ? 'cost unknown' : `cost: ${formatUsd(summary.costUsd)}${summary.mockPrices ? ' (made-up mock prices)' : ''}`;
  const calls = summary.calls === 1 ? '1 call' : `${summary.calls} calls`;
  const seconds = summary.elapsedMs < 10_000 ? (summary.elapsedMs / 1000).toFixed(2) : (summary.elapsedMs / 1000).toFixed(1);
  return `${tokens} · ${cost} · ${calls} · ${seconds}s`;
}
