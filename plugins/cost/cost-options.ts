import { createOptionsValidator } from '../../core/validate-options.js';
import { costDefaults, type CostJsonOptions } from './cost-options.generated.js';

export const PLUGIN_NAME = 'cost';

/** The longest `setTimeout` takes; a longer wait would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** The cost plugin's options: written once, in `costOptionsSchema` below (the type and defaults are generated from it). */
export type CostOptions = CostJsonOptions;

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
    budgetUsd: {
      type: 'number',
      minimum: 0,
      description:
        'A budget over every backend, in USD. Each call reserves its worst-case cost (prompt estimate plus its most possible output) when it is admitted and settles to its real cost when it ends; a call whose reservation does not fit next to what is spent and reserved is refused (BudgetExceededError, before anything is sent) or waits (whenExceeded). Calls to models with unknown pricing are refused unless unpricedCalls is "allow". Default: no budget (the ledger still records every call).',
    },
    budgets: {
      type: 'object',
      additionalProperties: { type: 'number', minimum: 0 },
      default: {},
      description: 'Budgets of single backends, in USD by backend name, kept the same way as budgetUsd (a call must fit in both when both apply).',
    },
    warnAtFraction: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.8,
      description: 'With budgetUsd: send a budget notice (crossed: false) once spending reaches this fraction of it.',
    },
    whenExceeded: {
      enum: ['refuse', 'wait'],
      default: 'refuse',
      description:
        'A call that does not fit: refuse it at once, or wait (first in, first out) until calls in flight settle and leave room. A waiting call leaves with an AbortError when its signal aborts, and with BudgetExceededError after maxWaitMs or as soon as it could never fit.',
    },
    maxWaitMs: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_TIMER_MS,
      default: 60000,
      description:
        'With whenExceeded "wait": the longest a call waits for room. A minute lets typical calls in flight finish without leaving a caller hanging on a budget that a stuck call holds.',
    },
    unpricedCalls: {
      enum: ['refuse', 'allow'],
      default: 'refuse',
      description:
        'With a budget: what to do with a call to a model whose price is unknown (no price in the snapshot, HyperAgent\'s own entries or the config\'s "prices" file). "refuse" throws BudgetExceededError (its estimatedUsd is Infinity) before anything is sent; "allow" lets it through with a notice, uncounted. Refuse is the default because a budget is a promise that spending stays under it, and a call nobody can price can spend any amount.',
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
    budgets: given.budgets ?? costDefaults.budgets,
    warnAtFraction: given.warnAtFraction ?? costDefaults.warnAtFraction,
    whenExceeded: given.whenExceeded ?? costDefaults.whenExceeded,
    maxWaitMs: given.maxWaitMs ?? costDefaults.maxWaitMs,
    unpricedCalls: given.unpricedCalls ?? costDefaults.unpricedCalls,
  };
}
