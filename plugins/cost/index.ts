import { definePlugin } from '../../core/define.js';
import { Stage } from '../../core/hooks.js';
import type { Kernel } from '../../core/kernel.js';
import { BudgetGuard } from './budget-guard.js';
import { costOptionsSchema, PLUGIN_NAME, resolveCostOptions, type CostOptions } from './cost-options.js';
import { estimateEmbedCost, estimateInferCost } from '../../core/estimate.js';
import { createLedger } from './ledger-registry.js';
import { MemoryStateStore } from '../../core/store/memory-state-store.js';

export { PLUGIN_NAME, costOptionsSchema, type CostOptions } from './cost-options.js';
export { CostLedger, type CostSummary } from './cost-ledger.js';
export type { CostTotals, TokenTotals, UsdBreakdown } from './cost-totals.js';
export { getCostLedger } from './ledger-registry.js';
export { UNKNOWN_PRICING_NOTICE } from './budget-guard.js';
export { BudgetAccount } from './budget-account.js';
export { StoreBudget } from './store-budget.js';
export { formatUsd } from './format-usd.js';

/**
 * A ledger of every call's cost (`getCostLedger(kernel).summary()`), and with `budgetUsd` (or
 * `budgets`) a budget: each call reserves its worst-case cost before it is sent and settles to its
 * real cost when it ends, so concurrent calls can never overshoot it.
 */
export default definePlugin<CostOptions>({
  name: PLUGIN_NAME,
  optionsSchema: costOptionsSchema,
  apply(kernel: Kernel, options: CostOptions) {
    const resolved = resolveCostOptions(options);
    const ledger = createLedger(kernel, PLUGIN_NAME);
    const observe = { name: PLUGIN_NAME, stage: Stage.OBSERVE };
    if (resolved.budgetUsd === undefined && Object.keys(resolved.budgets).length === 0) {
      kernel.hooks.onCost.tap(observe, (event) => ledger.record(event));
      return;
    }

    const guard = new BudgetGuard({
      ...resolved,
      store: kernel.store,
      unknownPricingCalls: () => ledger.unknownPricingCalls,
      notify: (notice, context) => kernel.hooks.onNotice.call(notice, context),
    });
    ledger.onReset(() => guard.resetSpent());
    kernel.hooks.onCost.tap(observe, (event, context) => {
      ledger.record(event);
      guard.charge(event, context);
    });
    kernel.hooks.onCallEnd.tap(observe, (_end, context) => guard.end(context));
    const budget = { name: PLUGIN_NAME, stage: Stage.BUDGET };
    if (resolved.whenExceeded === 'refuse' && !(kernel.store instanceof MemoryStateStore)) {
      // A remote store answers admission with a promise.
      kernel.hooks.beforeInfer.tapPromise(budget, async (request, context) => {
        await guard.admit(estimateInferCost(request, context), context, request.options.model ?? context.model);
        return request;
      });
      kernel.hooks.beforeEmbed.tapPromise(budget, async (request, context) => {
        await guard.admit(estimateEmbedCost(request, context), context, request.options.model ?? context.model);
        return request;
      });
      return;
    }
    if (resolved.whenExceeded === 'refuse') {
      // A sync tap: with the memory store admission is one check-and-reserve, with no promise of its own.
      kernel.hooks.beforeInfer.tap(budget, (request, context) => {
        guard.admit(estimateInferCost(request, context), context, request.options.model ?? context.model);
        return request;
      });
      kernel.hooks.beforeEmbed.tap(budget, (request, context) => {
        guard.admit(estimateEmbedCost(request, context), context, request.options.model ?? context.model);
        return request;
      });
      return;
    }
    // A callback tap, called back at once when the call fits: only a call that waits costs a timer.
    kernel.hooks.beforeInfer.tapAsync(budget, (request, context, callback) => {
      guard.admitOrWait(estimateInferCost(request, context), context, request.options.model ?? context.model, (error) => (error ? callback(error) : callback(null, request)));
    });
    kernel.hooks.beforeEmbed.tapAsync(budget, (request, context, callback) => {
      guard.admitOrWait(estimateEmbedCost(request, context), context, request.options.model ?? context.model, (error) => (error ? callback(error) : callback(null, request)));
    });
  },
});
