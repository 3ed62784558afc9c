import { definePlugin } from '../../core/define.js';
import { Stage } from '../../core/hooks.js';
import type { Kernel } from '../../core/kernel.js';
import { BudgetGuard } from './budget-guard.js';
import { costOptionsSchema, PLUGIN_NAME, resolveCostOptions, type CostOptions } from './cost-options.js';
import { estimateEmbedCost, estimateInferCost } from '../../core/estimate.js';
import { createLedger } from './ledger-registry.js';

export { PLUGIN_NAME, costOptionsSchema, type CostOptions } from './cost-options.js';
export { CostLedger, type CostSummary } from './cost-ledger.js';
export type { CostTotals, TokenTotals, UsdBreakdown } from './cost-totals.js';
export { getCostLedger } from './ledger-registry.js';
export { UNKNOWN_PRICING_NOTICE } from './budget-guard.js';
export { formatUsd } from './format-usd.js';

/**
 * A ledger of every call's cost (`getCostLedger(kernel).summary()`), and with `budgetUsd` a
 * budget: calls that would pass it are refused before they are sent.
 */
export default definePlugin<CostOptions>({
  name: PLUGIN_NAME,
  optionsSchema: costOptionsSchema,
  apply(kernel: Kernel, options: CostOptions) {
    const resolved = resolveCostOptions(options);
    const ledger = createLedger(kernel, PLUGIN_NAME);
    const observe = { name: PLUGIN_NAME, stage: Stage.OBSERVE };
    const budgetUsd = resolved.budgetUsd;
    if (budgetUsd === undefined) {
      kernel.hooks.onCost.tap(observe, (event) => ledger.record(event));
      return;
    }

    const guard = new BudgetGuard(ledger, budgetUsd, resolved.warnAtFraction, (notice, context) => kernel.hooks.onNotice.call(notice, context));
    kernel.hooks.onCost.tap(observe, (event, context) => {
      ledger.record(event);
      guard.afterCharge(context);
    });
    const budget = { name: PLUGIN_NAME, stage: Stage.BUDGET };
    kernel.hooks.beforeInfer.tap(budget, (request, context) => {
      guard.check(estimateInferCost(request, context), context, request.options.model ?? context.model);
      return request;
    });
    kernel.hooks.beforeEmbed.tap(budget, (request, context) => {
      guard.check(estimateEmbedCost(request, context), context, request.options.model ?? context.model);
      return request;
    });
  },
});
