import type { ThinkingOptions } from '../../core/types.js';
import type { AnthropicEffort, AnthropicOutputConfig, AnthropicThinkingConfig } from '../../protocols/anthropic-messages/index.js';
import { anthropicThinkingSupport, type AnthropicThinkingSupport } from './anthropic-models.js';

/** What `thinking` becomes in the request body for one model. */
export interface AnthropicThinkingPlan {
  readonly thinking?: AnthropicThinkingConfig;
  readonly outputConfig?: AnthropicOutputConfig;
  /** The `max_tokens` to send: raised above a token budget when it was not. */
  readonly maxTokens: number;
}

/** The caller's `thinking`, mapped to the form `model` takes. Whatever cannot be sent as asked adds a warning. */
export function anthropicThinking(
  model: string,
  options: ThinkingOptions | undefined,
  maxTokens: number,
  modelDefaultMaxTokens: number,
  warnings: string[],
): AnthropicThinkingPlan {
  const budget = options?.budgetTokens;
  const requested = options?.effort;
  if (budget === undefined && requested === undefined) return { maxTokens };

  const support = anthropicThinkingSupport(model);
  if (support.mode === 'none') {
    warnings.push(`thinking was not sent: ${model} has no extended thinking. Use a model that has it (Claude 3.7 Sonnet or later).`);
    return { maxTokens };
  }
  const effort = requested === undefined ? undefined : anthropicEffort(requested, warnings);
  const outputConfig = effortConfig(model, support, effort, budget, warnings);

  // Opus/Sonnet 4.6 still take a budget (deprecated there); it is kept because it caps thinking tokens, which
  // adaptive thinking does not.
  if (budget !== undefined && (support.mode === 'budget' || support.mode === 'adaptive')) {
    return { thinking: { type: 'enabled', budget_tokens: budget }, outputConfig, maxTokens: aboveBudget(maxTokens, budget, modelDefaultMaxTokens, warnings) };
  }
  if (support.mode === 'budget') return { outputConfig, maxTokens };

  if (budget !== undefined) {
    const depth = effort === undefined ? "at the model's default effort" : `with effort "${effort}"`;
    warnings.push(
      `thinking.budgetTokens (${budget}) was not sent: ${model} supports only adaptive thinking, where thinking.effort (low|medium|high) sets how much it thinks; adaptive thinking was sent ${depth}.`,
    );
  }
  // No budget is sent, so max_tokens has nothing to exceed; it still caps thinking and text together.
  return { thinking: { type: 'adaptive' }, outputConfig, maxTokens };
}

/** Anthropic has no `minimal` level; `low` is its lowest. */
function anthropicEffort(effort: NonNullable<ThinkingOptions['effort']>, warnings: string[]): AnthropicEffort {
  if (effort !== 'minimal') return effort;
  warnings.push('thinking.effort "minimal" was sent as "low": Anthropic\'s lowest effort level is low.');
  return 'low';
}

function effortConfig(
  model: string,
  support: AnthropicThinkingSupport,
  effort: AnthropicEffort | undefined,
  budget: number | undefined,
  warnings: string[],
): AnthropicOutputConfig | undefined {
  if (effort === undefined) return undefined;
  if (!support.effort) {
    warnings.push('thinking.effort was ignored: Anthropic extended thinking is set with thinking.budgetTokens.');
    return undefined;
  }
  // Opus 4.5 takes effort, but effort alone does not turn its thinking on: it sets the token spend of the whole reply.
  if (support.mode === 'budget' && budget === undefined) {
    warnings.push(
      `thinking.effort was sent as output_config.effort, but ${model} thinks only with thinking.budgetTokens: effort set how many tokens the reply spends and extended thinking stayed off. Set thinking.budgetTokens to turn it on.`,
    );
  }
  return { effort };
}

/** The API requires `max_tokens` above `budget_tokens`. */
function aboveBudget(maxTokens: number, budget: number, modelDefaultMaxTokens: number, warnings: string[]): number {
  if (maxTokens > budget) return maxTokens;
  const raised = budget + modelDefaultMaxTokens;
  warnings.push(`max_tokens (${maxTokens}) must exceed the thinking budget (${budget}); it was raised to ${raised}.`);
  return raised;
}
