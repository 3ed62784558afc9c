import type { RequestCostEstimate } from '../../core/estimate.js';
import { formatUsd } from './format-usd.js';

/** Everything a refusal says: which budget, where it stands, what the call needed. */
export interface BudgetRefusal {
  readonly backendName: string;
  readonly model: string;
  /** `total`: `budgetUsd`; `backend`: `budgets[backendName]`. */
  readonly scope: 'total' | 'backend';
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly reservedUsd: number;
  /** What a new reservation may take now. */
  readonly leftUsd: number;
  /** Calls in flight holding `reservedUsd`. */
  readonly holders: number;
  readonly estimate: RequestCostEstimate;
  readonly neededUsd: number;
  /** The call would fit once the calls in flight settle. */
  readonly canFitLater: boolean;
  readonly waiting: boolean;
  /** Set when the call waited for room and ran out of `maxWaitMs`. */
  readonly waitedMs: number | undefined;
  readonly unknownPricingCalls: number;
}

export function budgetExceededMessage(refusal: BudgetRefusal): string {
  const { estimate } = refusal;
  const option = refusal.scope === 'total' ? 'budgetUsd' : `budgets["${refusal.backendName}"]`;
  const budget = refusal.scope === 'total' ? `the ${formatUsd(refusal.budgetUsd)} budget` : `the ${formatUsd(refusal.budgetUsd)} budget of backend "${refusal.backendName}"`;
  const waited = refusal.waitedMs === undefined ? '' : ` It waited ${Math.round(refusal.waitedMs)} ms (maxWaitMs) for calls in flight to settle.`;
  const unpriced = refusal.unknownPricingCalls > 0 ? ` ${refusal.unknownPricingCalls} call(s) with unknown pricing are not in the spent amount.` : '';
  const advice = refusal.canFitLater
    ? refusal.waiting
      ? `Raise maxWaitMs, lower maxTokens (a call reserves its most possible output), or raise ${option} in the cost plugin options.`
      : `It fits once calls in flight settle: retry it later, or set whenExceeded: "wait" in the cost plugin options; or lower maxTokens (a call reserves its most possible output), or raise ${option}.`
    : `Lower maxTokens (a call reserves its most possible output), raise ${option} in the cost plugin options, or reset the ledger.`;
  return (
    `Budget exceeded: this call to ${refusal.backendName} (${refusal.model}) needs up to ${formatUsd(refusal.neededUsd)} ` +
    `(~${estimate.promptTokens} prompt + up to ${estimate.outputTokens} output tokens), and of ${budget} ${formatUsd(refusal.spentUsd)} is spent ` +
    `and ${formatUsd(refusal.reservedUsd)} is reserved by ${refusal.holders} call(s) in flight, leaving ${formatUsd(refusal.leftUsd)}. ` +
    `It was not sent.${waited}${unpriced} ${advice}`
  );
}
