import { createOptionsValidator } from '../../core/validate-options.js';

export const PLUGIN_NAME = 'cost';

/** The longest `setTimeout` takes; a longer wait would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

export interface CostOptions {
  /**
   * A budget over every backend, in USD. Each call reserves its worst-case cost (prompt estimate
   * plus its most possible output) when it is admitted and settles to its real cost when it ends;
   * a call whose reservation does not fit next to what is spent and reserved is refused
   * (`BudgetExceededError`, before anything is sent) or waits (`whenExceeded`). Calls to models
   * with unknown pricing are refused unless `unpricedCalls` is `"allow"`.
   * @default undefined (no budget; the ledger still records every call)
   */
  readonly budgetUsd?: number;
  /**
   * Budgets of single backends, in USD by backend name, kept the same way as `budgetUsd` (a call
   * must fit in both when both apply).
   * @default {}
   */
  readonly budgets?: Readonly<Record<string, number>>;
  /** With `budgetUsd`: send a `budget` notice (`crossed: false`) once spending reaches this fraction of it. @default 0.8 */
  readonly warnAtFraction?: number;
  /**
   * A call that does not fit: `refuse` it at once, or `wait` (first in, first out) until calls in
   * flight settle and leave room. A waiting call leaves with an `AbortError` when its signal
   * aborts, and with `BudgetExceededError` after `maxWaitMs` or as soon as it could never fit.
   * @default "refuse"
   */
  readonly whenExceeded?: 'refuse' | 'wait';
  /**
   * With `whenExceeded: "wait"`: the longest a call waits for room. A minute lets typical calls in
   * flight finish without leaving a caller hanging on a budget that a stuck call holds.
   * @default 60000
   */
  readonly maxWaitMs?: number;
  /**
   * With a budget: what to do with a call to a model whose price is unknown (no price in the
   * snapshot, HyperAgent's own entries or the config's `"prices"` file). `refuse` throws
   * `BudgetExceededError` (its `estimatedUsd` is `Infinity`) before anything is sent; `allow` lets it
   * through with a notice, uncounted. Refuse is the default because a budget is a promise that
   * spending stays under it, and a call nobody can price can spend any amount: letting it through
   * would break the promise silently, where refusing says so at once and names the fix (a price
   * file, or `"allow"`).
   * @default "refuse"
   */
  readonly unpricedCalls?: 'refuse' | 'allow';
}

export interface ResolvedCostOptions {
  readonly budgetUsd: number | undefined;
  readonly budgets: Readonly<Record<string, number>>;
  readonly warnAtFraction: number;
  readonly whenExceeded: 'refuse' | 'wait';
  readonly maxWaitMs: number;
  readonly unpricedCalls: 'refuse' | 'allow';
}

export const costOptionsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Options of the cost plugin',
  type: 'object',
  properties: {
    budgetUsd: { type: 'number', minimum: 0, description: 'Refuse calls whose worst-case cost does not fit next to what is spent and reserved (USD).' },
    budgets: {
      type: 'object',
      additionalProperties: { type: 'number', minimum: 0 },
      description: 'Budgets of single backends in USD, by backend name, kept like budgetUsd.',
    },
    warnAtFraction: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.8,
      description: 'Send a budget notice once spending reaches this fraction of budgetUsd.',
    },
    whenExceeded: {
      enum: ['refuse', 'wait'],
      default: 'refuse',
      description: 'A call that does not fit: refuse it, or wait for calls in flight to settle.',
    },
    maxWaitMs: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_TIMER_MS,
      default: 60000,
      description: 'With whenExceeded "wait": the longest a call waits for room in the budget.',
    },
    unpricedCalls: {
      enum: ['refuse', 'allow'],
      default: 'refuse',
      description: 'With a budget: refuse calls to models whose price is unknown (they could spend any amount), or allow them uncounted.',
    },
  },
  additionalProperties: false,
} as const;

const validate = createOptionsValidator(PLUGIN_NAME, costOptionsSchema);

export function resolveCostOptions(options: CostOptions | undefined): ResolvedCostOptions {
  const given = options ?? {};
  validate(given);
  return {
    budgetUsd: given.budgetUsd,
    budgets: given.budgets ?? {},
    warnAtFraction: given.warnAtFraction ?? 0.8,
    whenExceeded: given.whenExceeded ?? 'refuse',
    maxWaitMs: given.maxWaitMs ?? 60_000,
    unpricedCalls: given.unpricedCalls ?? 'refuse',
  };
}
