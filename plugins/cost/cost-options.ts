import { createOptionsValidator } from '../../core/validate-options.js';

export const PLUGIN_NAME = 'cost';

export interface CostOptions {
  /**
   * Refuse a call (`BudgetExceededError`, before anything is sent) when what this kernel has
   * spent plus the call's estimated cost would pass this many USD. Calls to models with unknown
   * pricing are let through with a notice.
   * @default undefined (no budget; the ledger still records every call)
   */
  readonly budgetUsd?: number;
  /** With `budgetUsd`: send a `budget` notice (`crossed: false`) once spending reaches this fraction of it. @default 0.8 */
  readonly warnAtFraction?: number;
}

export interface ResolvedCostOptions {
  readonly budgetUsd: number | undefined;
  readonly warnAtFraction: number;
}

export const costOptionsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Options of the cost plugin',
  type: 'object',
  properties: {
    budgetUsd: { type: 'number', minimum: 0, description: 'Refuse calls that would take spending past this many USD.' },
    warnAtFraction: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.8,
      description: 'Send a budget notice once spending reaches this fraction of budgetUsd.',
    },
  },
  additionalProperties: false,
} as const;

const validate = createOptionsValidator(PLUGIN_NAME, costOptionsSchema);

export function resolveCostOptions(options: CostOptions | undefined): ResolvedCostOptions {
  const given = options ?? {};
  validate(given);
  return { budgetUsd: given.budgetUsd, warnAtFraction: given.warnAtFraction ?? 0.8 };
}
