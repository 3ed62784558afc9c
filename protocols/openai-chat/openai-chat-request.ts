import type { InferOptions, LLMMessage, ThinkingOptions, ToolSchema } from '../../core/types.js';
import type { OpenAIChatRequestBody } from './openai-chat-api.js';
import {
  convertToOpenAIChatMessages,
  convertToOpenAIChatResponseFormat,
  convertToOpenAIChatToolChoice,
  convertToOpenAIChatTools,
} from './convert-to-openai-chat-messages.js';

/** Turns `thinking` into body fields; pushes a warning for what it cannot express. */
export type ThinkingMapper = (thinking: ThinkingOptions, warnings: string[]) => Record<string, unknown>;

export interface OpenAIChatRequestSettings {
  readonly provider: string;
  readonly model: string;
  readonly stream: boolean;
  /** Used when the call sets no `maxTokens`. @default none: the server's default */
  readonly defaultMaxTokens?: number;
  /**
   * OpenAI reasoning models (o1, o3, o4, gpt-5): `max_completion_tokens` instead of `max_tokens`,
   * and no `temperature`/`top_p`/`logprobs`, which they reject. @default false
   */
  readonly reasoningModel?: boolean;
  /** See `ConvertMessagesOptions.cacheControl`. @default false */
  readonly cacheControl?: boolean;
  /** Ask for a usage chunk at the end of streams (`stream_options.include_usage`). @default true */
  readonly includeStreamUsage?: boolean;
  /** @default effort → `reasoning_effort`; a token budget is dropped with a warning */
  readonly mapThinking?: ThinkingMapper;
}

export interface OpenAIChatRequest {
  readonly body: OpenAIChatRequestBody;
  /** Settings we could not send, in words; they end up in `metadata.warnings`. */
  readonly warnings: string[];
}

export const mapThinkingToReasoningEffort: ThinkingMapper = (thinking, warnings) => {
  if (thinking.budgetTokens !== undefined && thinking.effort === undefined) {
    warnings.push('thinking.budgetTokens is not supported on this protocol and was not sent; set thinking.effort (minimal|low|medium|high) instead.');
  }
  return thinking.effort === undefined ? {} : { reasoning_effort: thinking.effort };
};

/** The Chat Completions body for one call. `providerOptions` are merged last and win. */
export function buildOpenAIChatRequest(
  messages: readonly LLMMessage[],
  tools: readonly ToolSchema[],
  options: InferOptions,
  settings: OpenAIChatRequestSettings,
): OpenAIChatRequest {
  const warnings: string[] = [];
  const reasoning = settings.reasoningModel === true;
  const body: OpenAIChatRequestBody = {
    model: settings.model,
    messages: convertToOpenAIChatMessages(messages, { provider: settings.provider, cacheControl: settings.cacheControl }),
  };
  if (tools.length > 0) {
    body.tools = convertToOpenAIChatTools(tools);
    if (options.toolChoice !== undefined) body.tool_choice = convertToOpenAIChatToolChoice(options.toolChoice);
    if (options.parallelToolCalls !== undefined) body.parallel_tool_calls = options.parallelToolCalls;
  } else if (options.toolChoice !== undefined) {
    warnings.push('toolChoice was set but no tools were given, so it was not sent.');
  }
  if (options.temperature !== undefined) {
    if (reasoning) warnings.push(`temperature is not supported by reasoning model ${settings.model} and was not sent.`);
    else body.temperature = options.temperature;
  }
  if (options.topP !== undefined) {
    if (reasoning) warnings.push(`topP is not supported by reasoning model ${settings.model} and was not sent.`);
    else body.top_p = options.topP;
  }
  if (options.stop !== undefined && options.stop.length > 0) body.stop = [...options.stop];
  const maxTokens = options.maxTokens ?? settings.defaultMaxTokens;
  if (maxTokens !== undefined) {
    if (reasoning) body.max_completion_tokens = maxTokens;
    else body.max_tokens = maxTokens;
  }
  if (options.responseFormat !== undefined) {
    const format = convertToOpenAIChatResponseFormat(options.responseFormat);
    if (format) body.response_format = format;
  }
  if (options.thinking !== undefined) Object.assign(body, (settings.mapThinking ?? mapThinkingToReasoningEffort)(options.thinking, warnings));
  if (options.logprobs) {
    if (reasoning) warnings.push(`logprobs are not supported by reasoning model ${settings.model} and were not requested; confidence is 1.`);
    else body.logprobs = true;
  }
  if (settings.stream) {
    body.stream = true;
    if (settings.includeStreamUsage !== false) body.stream_options = { include_usage: true };
  }
  const wireFields = options.wireFields?.['openai-chat'];
  // Entries, not Object.assign: an own "__proto__" key (JSON-parsed, from a gateway client) must not set the prototype.
  if (wireFields) for (const [key, value] of Object.entries(wireFields)) if (key !== '__proto__') body[key] = value;
  if (options.providerOptions) Object.assign(body, options.providerOptions);
  return { body, warnings };
}
