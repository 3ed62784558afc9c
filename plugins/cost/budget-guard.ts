import { BudgetExceededError } from '../../core/errors.js';
import type { CallContext, KernelNotice } from '../../core/hooks.js';
import type { CostLedger } from './cost-ledger.js';
import { toNano } from './cost-totals.js';
import type { RequestCostEstimate } from '../../core/estimate.js';
import { formatUsd } from './format-usd.js';

export const UNKNOWN_PRICING_NOTICE = 'cost.unknown-pricing';

/**
 * Keeps spending under `budgetUsd`: refuses a call whose estimate would pass it, and sends one
 * notice when spending reaches `warnAtFraction` of it and one when it crosses it.
 */
export class BudgetGuard {
  private readonly budgetNano: number;
  private readonly warnNano: number;
  private warned = false;
  private crossed = false;
  private readonly unpricedModelsNoticed = new Set<string>();

  constructor(
    private readonly ledger: CostLedger,
    private readonly budgetUsd: number,
    warnAtFraction: number,
    private readonly notify: (notice: KernelNotice, context: CallContext) => void,
  ) {
    this.budgetNano = toNano(budgetUsd);
    this.warnNano = toNano(budgetUsd * warnAtFraction);
  }

  /** Throws `BudgetExceededError` if the call may not be made. Nothing has been sent yet. */
  check(estimate: RequestCostEstimate, context: CallContext, model: string): void {
    if (estimate.costUsd === undefined) {
      const key = `${context.backendName}\u0000${model}`;
      if (!this.unpricedModelsNoticed.has(key)) {
        this.unpricedModelsNoticed.add(key);
        this.notify(
          { type: 'custom', name: UNKNOWN_PRICING_NOTICE, data: { backend: context.backendName, model, message: `Pricing of ${model} is unknown: its calls are let through without a budget check.` } },
          context,
        );
      }
      return;
    }
    const spentUsd = this.ledger.spentUsd;
    if (toNano(spentUsd) + toNano(estimate.costUsd) <= this.budgetNano) return;
    const unpriced = this.ledger.unknownPricingCalls;
    throw new BudgetExceededError(
      `Budget exceeded: spent ${formatUsd(spentUsd)} of the ${formatUsd(this.budgetUsd)} budget, and this call to ${context.backendName} (${model}) ` +
        `is estimated at ${formatUsd(estimate.costUsd)} (~${estimate.promptTokens} prompt + up to ${estimate.outputTokens} output tokens). ` +
        `It was not sent.${unpriced > 0 ? ` ${unpriced} call(s) with unknown pricing are not in the spent amount.` : ''} ` +
        'Raise budgetUsd in the cost plugin options, lower maxTokens, or reset the ledger.',
      this.budgetUsd,
      spentUsd,
      estimate.costUsd,
    );
  }

  /** After each charge: notify once at the warning threshold and once past the budget. */
  afterCharge(context: CallContext): void {
    const spentNano = toNano(this.ledger.spentUsd);
    const crossed = spentNano > this.budgetNano;
    const warn = spentNano > 0 && spentNano >= this.warnNano;
    // Spending below a threshold again can only follow a ledger reset: arm that notice again.
    if (!crossed) this.crossed = false;
    if (!warn) this.warned = false;
    if (crossed && !this.crossed) {
      this.crossed = true;
      this.warned = true;
      this.notify({ type: 'budget', spentUsd: this.ledger.spentUsd, budgetUsd: this.budgetUsd, crossed: true }, context);
    } else if (warn && !this.warned) {
      this.warned = true;
      this.notify({ type: 'budget', spentUsd: this.ledger.spentUsd, budgetUsd: this.budgetUsd, crossed: false }, context);
    }
  }
}
