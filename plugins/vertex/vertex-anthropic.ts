import type { InferOptions, LLMMessage, ToolSchema } from '../../core/types.js';
import { convertToAnthropicMessages, type AnthropicToolChoice } from '../../protocols/anthropic-messages/index.js';

/** The version Vertex's Claude endpoints take in the body (not a header, and no `model` field: the URL names it). */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';
const DEFAULT_MAX_TOKENS = 4096;

export interface VertexAnthropicPlan {
  readonly body: Record<string, unknown>;
  readonly warnings: string[];
}

/**
 * The Messages API body for a Claude model on Vertex (`rawPredict` / `streamRawPredict`). The
 * per-model rules of the anthropic provider (adaptive thinking, sampling limits, prefill) are not
 * repeated here: thinking is the token-budget form every Claude on Vertex takes, and anything else
 * the model refuses comes back as its own 400.
 */
export function buildVertexAnthropicRequest(messages: readonly LLMMessage[], tools: readonly ToolSchema[], options: InferOptions, defaultMaxTokens: number | undefined, stream: boolean): VertexAnthropicPlan {
  const prompt = convertToAnthropicMessages(messages);
  const warnings = [...prompt.warnings];
  let maxTokens = options.maxTokens ?? defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  const body: Record<string, unknown> = { anthropic_version: VERTEX_ANTHROPIC_VERSION, max_tokens: maxTokens };
  let system = prompt.system;
  if (options.responseFormat && options.responseFormat.type !== 'text') {
    const schema = options.responseFormat.type === 'json_schema' ? ` The JSON must conform to this JSON Schema:\n${JSON.stringify(options.responseFormat.schema)}` : '';
    const instruction = `Respond with one valid JSON value and nothing else.${schema}`;
    system = system === undefined ? instruction : typeof system === 'string' ? `${system}\n\n${instruction}` : [...system, { type: 'text', text: instruction }];
    warnings.push('Claude has no JSON mode: it was emulated with a system instruction.');
  }
  if (system !== undefined) body.system = system;
  body.messages = prompt.messages;
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.topP !== undefined) body.top_p = options.topP;
  if (options.stop && options.stop.length > 0) body.stop_sequences = [...options.stop];
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters }));
    const choice = toolChoice(options);
    if (choice) body.tool_choice = choice;
  }
  const budget = options.thinking?.budgetTokens;
  if (budget !== undefined) {
    if (maxTokens <= budget) {
      warnings.push(`max_tokens (${maxTokens}) must exceed the thinking budget (${budget}); it was raised to ${budget + DEFAULT_MAX_TOKENS}.`);
      maxTokens = budget + DEFAULT_MAX_TOKENS;
      body.max_tokens = maxTokens;
    }
    body.thinking = { type: 'enabled', budget_tokens: budget };
  } else if (options.thinking?.effort !== undefined) {
    warnings.push('thinking.effort was not sent: Claude on Vertex thinks with thinking.budgetTokens.');
  }
  if (stream) body.stream = true;
  return { body: options.providerOptions ? { ...body, ...options.providerOptions } : body, warnings };
}

function toolChoice(options: InferOptions): AnthropicToolChoice | undefined {
  const parallel = options.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  const choice = options.toolChoice;
  if (choice === undefined) return options.parallelToolCalls === false ? { type: 'auto', ...parallel } : undefined;
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...parallel };
  return { type: 'tool', name: choice.name, ...parallel };
}
