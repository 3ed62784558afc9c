import type { EmbedRequest, InferRequest } from '../../core/hooks.js';
import type { LLMMessage, ToolSchema } from '../../core/types.js';

export interface TokenEstimate {
  readonly promptTokens: number;
  /** Output tokens the call may produce: its `maxTokens`, else the default estimate. */
  readonly outputTokens: number;
  readonly totalTokens: number;
}

/** English text and JSON average about four characters a token on every provider's tokenizer. */
const CHARS_PER_TOKEN = 4;
/** Role markers and separators around each message (OpenAI documents 3–4). */
const MESSAGE_OVERHEAD = 4;
/** The tokens that prime the assistant's reply. */
const REPLY_OVERHEAD = 3;
/** A middling image: OpenAI's 512 px high-detail tile set is 765 tokens, Anthropic's 1000×1000 px about 1,334. */
const IMAGE_TOKENS = 1_000;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function messageTokens(message: LLMMessage): number {
  let tokens = MESSAGE_OVERHEAD;
  if (typeof message.content === 'string') tokens += estimateTextTokens(message.content);
  else for (const part of message.content) tokens += part.type === 'text' ? estimateTextTokens(part.text) : IMAGE_TOKENS;
  for (const call of message.toolCalls ?? []) tokens += estimateTextTokens(call.name) + estimateTextTokens(call.rawArguments);
  for (const part of message.reasoning ?? []) tokens += estimateTextTokens(part.text);
  return tokens;
}

function toolTokens(tool: ToolSchema): number {
  return estimateTextTokens(JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.parameters }));
}

/**
 * A cheap upper-ish guess of what a chat request will count against a tokens-per-minute limit:
 * the prompt, plus `maxTokens` of output (what providers themselves reserve), else `defaultOutputTokens`
 * capped at the model's output limit.
 */
export function estimateInferTokens(request: InferRequest, defaultOutputTokens: number, modelMaxOutputTokens?: number): TokenEstimate {
  let promptTokens = REPLY_OVERHEAD;
  for (const message of request.messages) promptTokens += messageTokens(message);
  for (const tool of request.tools) promptTokens += toolTokens(tool);
  const outputTokens = request.options.maxTokens ?? Math.min(defaultOutputTokens, modelMaxOutputTokens ?? Number.POSITIVE_INFINITY);
  return { promptTokens, outputTokens, totalTokens: promptTokens + outputTokens };
}

export function estimateEmbedTokens(request: EmbedRequest): TokenEstimate {
  let promptTokens = 0;
  for (const text of request.input) promptTokens += estimateTextTokens(text);
  return { promptTokens, outputTokens: 0, totalTokens: promptTokens };
}
