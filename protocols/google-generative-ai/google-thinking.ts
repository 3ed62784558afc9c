import type { ThinkingOptions } from '../../core/types.js';
import type { GoogleThinkingConfig, GoogleThinkingLevel } from './google-api.js';

/** How a Gemini model takes its thinking settings. */
export type GoogleThinkingStyle = 'level' | 'budget' | 'none';

/** Gemini 3 takes `thinkingLevel`; Gemini 2.5 a token `thinkingBudget`; older models do not think. */
export function googleThinkingStyle(model: string): GoogleThinkingStyle {
  const id = model.replace(/^.*\//, '');
  if (/^gemini-(3|[4-9])/.test(id)) return 'level';
  if (/^gemini-2\.5/.test(id) || /^gemini-(flash|pro)(-lite)?-latest$/.test(id)) return 'budget';
  return 'none';
}

// Gemini 2.5 budgets for an effort level, inside every 2.5 model's range (Pro: 128-32768, Flash: 0-24576).
const BUDGET_FOR_EFFORT: Readonly<Record<NonNullable<ThinkingOptions['effort']>, number>> = { minimal: 128, low: 1024, medium: 8192, high: 24576 };

/**
 * The caller's `thinking` → `generationConfig.thinkingConfig`. Thoughts are asked for
 * (`includeThoughts`) whenever thinking is set, so the reasoning comes back as `thought` parts.
 * Whatever cannot be sent as asked adds a warning.
 */
export function googleThinkingConfig(model: string, options: ThinkingOptions | undefined, warnings: string[]): GoogleThinkingConfig | undefined {
  if (options === undefined || (options.budgetTokens === undefined && options.effort === undefined)) return undefined;
  const style = googleThinkingStyle(model);
  if (style === 'none') {
    warnings.push(`thinking was not sent: ${model} does not think. Use Gemini 2.5 or later.`);
    return undefined;
  }
  if (style === 'level') {
    // Gemini 3 still takes a budget, but not together with a level: the budget wins when given, as it is the more exact ask.
    if (options.budgetTokens !== undefined) {
      if (options.effort !== undefined) warnings.push('thinking.effort was not sent: Gemini takes thinkingBudget or thinkingLevel, not both; thinkingBudget was sent.');
      return { includeThoughts: true, thinkingBudget: options.budgetTokens };
    }
    return { includeThoughts: true, thinkingLevel: options.effort as GoogleThinkingLevel };
  }
  if (options.budgetTokens !== undefined) {
    if (options.effort !== undefined) warnings.push('thinking.effort was not sent: Gemini 2.5 takes a token budget, and thinking.budgetTokens was given.');
    return { includeThoughts: true, thinkingBudget: options.budgetTokens };
  }
  const budget = BUDGET_FOR_EFFORT[options.effort!];
  warnings.push(`thinking.effort "${options.effort}" was sent as thinkingBudget ${budget}: ${model} takes a token budget, not a level.`);
  return { includeThoughts: true, thinkingBudget: budget };
}
