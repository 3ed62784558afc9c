import type { InferOptions, LLMMessage, ResponseFormat, ToolChoice, ToolSchema } from '../../core/types.js';
import type { AnthropicMessagesRequest, AnthropicTextBlockParam, AnthropicToolChoice, AnthropicToolParam } from './anthropic-api.js';
import { defaultMaxTokens } from './anthropic-models.js';
import { anthropicThinking } from './anthropic-thinking.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

export interface AnthropicRequestDefaults {
  readonly model: string;
  /** The backend's `maxTokens`, used when the call sets none. */
  readonly maxTokens: number | undefined;
}

export interface AnthropicRequestPlan {
  readonly model: string;
  readonly body: AnthropicMessagesRequest;
  /** Settings we could not honour as asked, for `metadata.warnings`. */
  readonly warnings: string[];
}

/** Builds the Messages API body for one call. Settings the API lacks become warnings, never silent drops. */
export function buildAnthropicRequest(
  messages: readonly LLMMessage[],
  tools: readonly ToolSchema[],
  options: InferOptions,
  defaults: AnthropicRequestDefaults,
  stream: boolean,
): AnthropicRequestPlan {
  const model = options.model ?? defaults.model;
  const prompt = convertToAnthropicMessages(messages);
  const warnings = [...prompt.warnings];
  const modelDefault = defaultMaxTokens(model);
  const requestedMaxTokens = options.maxTokens ?? defaults.maxTokens ?? modelDefault;

  let system = prompt.system;
  const jsonInstruction = jsonModeInstruction(options.responseFormat);
  if (jsonInstruction) {
    system = appendSystem(system, jsonInstruction);
    warnings.push('Anthropic has no JSON mode (response_format): it was emulated with a system instruction, so the reply is likely but not guaranteed to be valid JSON.');
  }

  const { thinking, outputConfig, maxTokens } = anthropicThinking(model, options.thinking, requestedMaxTokens, modelDefault, warnings);
  let temperature = options.temperature;
  // Both thinking forms, budgeted and adaptive, refuse a temperature.
  if (thinking && temperature !== undefined) {
    warnings.push('temperature was not sent: Anthropic does not accept it together with extended thinking.');
    temperature = undefined;
  }
  if (options.logprobs) warnings.push('logprobs were not requested: Anthropic does not return log-probabilities, so confidence is 1.');

  const toolChoice = anthropicToolChoice(tools, options.toolChoice, options.parallelToolCalls, warnings);
  // Field by field, in the order the API documents them, rather than from spreads of optional parts: this runs on every call.
  const body: { -readonly [K in keyof AnthropicMessagesRequest]: AnthropicMessagesRequest[K] } = { model, max_tokens: maxTokens } as AnthropicMessagesRequest;
  if (system !== undefined) body.system = system;
  body.messages = prompt.messages;
  if (temperature !== undefined) body.temperature = temperature;
  if (options.topP !== undefined) body.top_p = options.topP;
  if (options.stop && options.stop.length > 0) body.stop_sequences = [...options.stop];
  if (tools.length > 0) body.tools = tools.map(anthropicTool);
  if (toolChoice) body.tool_choice = toolChoice;
  if (thinking) body.thinking = thinking;
  if (outputConfig) body.output_config = outputConfig;
  if (stream) body.stream = true;
  // A spread, not Object.assign: an own "__proto__" key (JSON-parsed) must stay a plain field.
  if (options.providerOptions) return { model, body: { ...body, ...options.providerOptions }, warnings };
  return { model, body, warnings };
}

function anthropicTool(tool: ToolSchema): AnthropicToolParam {
  return { name: tool.name, description: tool.description, input_schema: tool.parameters };
}

function anthropicToolChoice(
  tools: readonly ToolSchema[],
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
  warnings: string[],
): AnthropicToolChoice | undefined {
  if (tools.length === 0) {
    if (choice !== undefined && choice !== 'none' && choice !== 'auto') warnings.push('toolChoice was ignored: the call has no tools.');
    return undefined;
  }
  const disableParallel = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...disableParallel };
  if (typeof choice === 'object') return { type: 'tool', name: choice.name, ...disableParallel };
  if (choice === 'auto' || parallelToolCalls === false) return { type: 'auto', ...disableParallel };
  return undefined;
}

function jsonModeInstruction(format: ResponseFormat | undefined): string | undefined {
  if (!format || format.type === 'text') return undefined;
  const base = 'Respond with one valid JSON value and nothing else: no prose before or after it, no Markdown code fences.';
  if (format.type === 'json') return base;
  return `${base} The JSON must conform to this JSON Schema (named "${format.name}"):\n${JSON.stringify(format.schema)}`;
}

function appendSystem(system: string | AnthropicTextBlockParam[] | undefined, text: string): string | AnthropicTextBlockParam[] {
  if (system === undefined) return text;
  if (typeof system === 'string') return `${system}\n\n${text}`;
  return [...system, { type: 'text', text }];
}
