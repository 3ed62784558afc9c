import { BudgetExceededError } from '../../core/errors.js';
import type { CallContext } from '../../core/hooks.js';

/**
 * The refusal of a call whose model has no price, under `unpricedCalls: "refuse"`: its worst case is
 * unbounded, so `estimatedUsd` is `Infinity`; spending is not read for it (`spentUsd` is `NaN`), since
 * no amount spent would let the call in. The message names the three ways out.
 */
export function unpricedRefusal(context: CallContext, model: string, budgetUsd: number): BudgetExceededError {
  return new BudgetExceededError(
    `The call to ${model} on backend ${context.backendName} was refused before it was sent: the price of ${model} (${context.provider}) is unknown, so the budget cannot bound what it spends ` +
      `(cost plugin option unpricedCalls: "refuse", the default). Give the model a price in a price file the config names ("prices": "./prices.json"; \`hyperagent prices update --from FILE|URL\` writes one), ` +
      `set the backend's "pricing" option where its provider takes one, or set unpricedCalls: "allow" to let such calls through uncounted.`,
    budgetUsd,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  );
}
