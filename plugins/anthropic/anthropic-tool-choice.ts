import type { InferOptions, ToolSchema } from '../../core/types.js';
import type { AnthropicToolChoice } from '../../protocols/anthropic-messages/index.js';
import type { AnthropicRequestSupport } from './anthropic-models.js';

/** What decides whether a forced tool choice can be sent. */
export interface ToolChoiceContext {
  readonly model: string;
  /** The request sends `thinking`. */
  readonly thinking: boolean;
  readonly support: AnthropicRequestSupport;
}

/** Our `toolChoice` as Anthropic's `tool_choice`. A forced choice the request cannot carry becomes `auto`, with a warning. */
export function anthropicToolChoice(
  tools: readonly ToolSchema[],
  options: Pick<InferOptions, 'toolChoice' | 'parallelToolCalls'>,
  context: ToolChoiceContext,
  warnings: string[],
): AnthropicToolChoice | undefined {
  const choice = options.toolChoice;
  if (tools.length === 0) {
    if (choice !== undefined && choice !== 'none' && choice !== 'auto') warnings.push('toolChoice was ignored: the call has no tools.');
    return undefined;
  }
  const disableParallel = options.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required' || typeof choice === 'object') {
    const refusal = forcedChoiceRefusal(choice, context);
    if (refusal) {
      warnings.push(refusal);
      return { type: 'auto', ...disableParallel };
    }
    return choice === 'required' ? { type: 'any', ...disableParallel } : { type: 'tool', name: choice.name, ...disableParallel };
  }
  if (choice === 'auto' || options.parallelToolCalls === false) return { type: 'auto', ...disableParallel };
  return undefined;
}

/** Why a forced choice (`tool_choice` `any` or `tool`) cannot be sent, or `undefined` when it can. */
function forcedChoiceRefusal(choice: 'required' | { readonly name: string }, { model, thinking, support }: ToolChoiceContext): string | undefined {
  const asked = choice === 'required' ? 'toolChoice "required"' : `toolChoice {name: "${choice.name}"}`;
  const outcome = 'so the model may answer without calling a tool';
  if (!support.forcedToolChoice) {
    const who = support.inCatalog ? `${model} rejects` : `${model} is not in the catalog and is treated like the newest Claude models, which reject`;
    const override = support.inCatalog ? '' : ' If this model takes it, send it with providerOptions.tool_choice.';
    return `${asked} was sent as "auto": ${who} forced tool use (tool_choice any or tool) with HTTP 400, ${outcome}. Ask for the tool in the prompt.${override}`;
  }
  if (thinking) {
    return `${asked} was sent as "auto": Anthropic rejects forced tool use (tool_choice any or tool) while extended thinking is on, ${outcome}. Leave thinking unset to force a tool call.`;
  }
  return undefined;
}
