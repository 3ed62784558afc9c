import { InvalidRequestError } from '../../core/errors.js';
import type { InferOptions, LLMMessage, ResponseFormat, ToolSchema } from '../../core/types.js';
import {
  ANTHROPIC_PROVIDER,
  convertToAnthropicMessages,
  type AnthropicMessageParam,
  type AnthropicMessagesRequest,
  type AnthropicTextBlockParam,
  type AnthropicToolParam,
} from '../../protocols/anthropic-messages/index.js';
import { anthropicRequestSupport, defaultMaxTokens, type AnthropicRequestSupport } from './anthropic-models.js';
import { anthropicSampling } from './anthropic-sampling.js';
import { anthropicThinking } from './anthropic-thinking.js';
import { anthropicToolChoice } from './anthropic-tool-choice.js';

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

/**
 * Builds the Messages API body for one call. Settings the API lacks, or the model rejects, become warnings, never
 * silent drops; a prefill the model rejects fails here with an `InvalidRequestError`, since no body without it would
 * mean the same.
 */
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
  const thinkingOn = thinking !== undefined;
  const support = anthropicRequestSupport(model);
  rejectPrefill(model, prompt.messages, thinkingOn, support);
  const { temperature, topP } = anthropicSampling(model, options, thinkingOn, support, warnings);
  if (options.logprobs) warnings.push('logprobs were not requested: Anthropic does not return log-probabilities, so confidence is 1.');

  const toolChoice = anthropicToolChoice(tools, options, { model, thinking: thinkingOn, support }, warnings);
  // Field by field, in the order the API documents them, rather than from spreads of optional parts: this runs on every call.
  const body: { -readonly [K in keyof AnthropicMessagesRequest]: AnthropicMessagesRequest[K] } = { model, max_tokens: maxTokens } as AnthropicMessagesRequest;
  if (system !== undefined) body.system = system;
  body.messages = prompt.messages;
  if (temperature !== undefined) body.temperature = temperature;
  if (topP !== undefined) body.top_p = topP;
  if (options.stop && options.stop.length > 0) body.stop_sequences = [...options.stop];
  if (tools.length > 0) body.tools = tools.map(anthropicTool);
  if (toolChoice) body.tool_choice = toolChoice;
  if (thinking) body.thinking = thinking;
  if (outputConfig) body.output_config = outputConfig;
  if (stream) body.stream = true;
  const wireFields = options.wireFields?.['anthropic-messages'];
  if (wireFields) for (const [key, value] of Object.entries(wireFields)) if (key !== '__proto__') (body as Record<string, unknown>)[key] = value;
  // A spread, not Object.assign: an own "__proto__" key (JSON-parsed) must stay a plain field.
  if (options.providerOptions) return { model, body: { ...body, ...options.providerOptions }, warnings };
  return { model, body, warnings };
}

function anthropicTool(tool: ToolSchema): AnthropicToolParam {
  return { name: tool.name, description: tool.description, input_schema: tool.parameters };
}

/** A final assistant turn is a prefill of the reply. Where the API refuses it (HTTP 400), fail before sending, saying what to do instead. */
function rejectPrefill(model: string, messages: readonly AnthropicMessageParam[], thinking: boolean, support: AnthropicRequestSupport): void {
  if (messages[messages.length - 1]?.role !== 'assistant') return;
  if (!support.prefill) throw prefillError(`${model} rejects prefill (HTTP 400). End with a user message, and ask for the shape of the reply in the system prompt or with responseFormat.`);
  if (thinking) throw prefillError('Anthropic rejects prefill while extended thinking is on (HTTP 400). End with a user message, or call without thinking.');
}

function prefillError(reason: string): InvalidRequestError {
  return new InvalidRequestError(`The messages end with an assistant message, which Anthropic takes as a prefill of the reply, and ${reason}`, { provider: ANTHROPIC_PROVIDER });
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
